"""The page tree: HomePage -> SectionPage -> ArticlePage."""

from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from dateline.backends.tasks import once_while_indexing
from dateline.inputs import InputError, page_number

from .blocks import BodyBlock
from .forms import ArticlePageForm
from .fragments import kept, may_keep
from .routes import ArticleRoutes

LIST_PAGE_SIZE = 20


class StoryBodyField(StreamField):
    """A story's body: Wagtail's StreamField, its text for the search index read once an indexing
    (the index asks for it three times, and reading rich text is most of a story's indexing)."""

    def get_searchable_content(self, value):
        return once_while_indexing(value, lambda: super(StoryBodyField, self).get_searchable_content(value))

    def deconstruct(self):  # the same column as a StreamField: no migration
        name, _path, args, kwargs = super().deconstruct()
        return name, "wagtail.fields.StreamField", args, kwargs


def section_articles(section):
    """A section's live stories, newest first, read through the (section, published_at) index."""
    return live_articles().filter(section_page=section)


def _restricted_paths() -> list[str]:
    from wagtail.models import PageViewRestriction

    return list(PageViewRestriction.objects.order_by("page__path").values_list("page__path", flat=True))


def public(queryset):
    """Wagtail's ``.public()`` (no page under a view restriction), with the restricted sections kept
    per publish (a restriction's change moves the generation) rather than read for every list."""
    restricted = Q()
    for path in kept(["restricted-paths"], _restricted_paths, per_publish=True):
        restricted |= Q(path__startswith=path)
    return queryset.exclude(restricted) if restricted else queryset


def live_sections(menu_only: bool = False):
    """The live, public sections in tree order, read through the small section table.

    Ordered by path in one query, SQLite walks the whole page tree's path index instead (70 ms
    a request with 100,000 stories); naming the few sections first keeps it at a millisecond.
    """
    ids = list(SectionPage.objects.order_by().values_list("pk", flat=True))
    sections = public(SectionPage.objects.filter(pk__in=ids).live())
    return (sections.in_menu() if menu_only else sections).order_by("path")


def live_articles():
    return (
        public(ArticlePage.objects.live())
        .select_related("agency", "lead_image", "section_page")
        .order_by("-published_at", "-pk")
    )


def story_refs(queryset):
    """A list's stories as (pk, live_revision_id, url_path) rows: one narrow query; each teaser comes
    from a fragment kept with the story's revision and address, or is rendered once (news_tags.teaser)."""
    return queryset.values_list("pk", "live_revision_id", "url_path", named=True)


def paginate(request, queryset, per_page=LIST_PAGE_SIZE, *, kept_as: list | None = None):
    """A page of ``queryset`` for ``?page=``; 404 past the end. ``kept_as``: the list's name, under
    which its length is kept per publish (news/fragments.py), so a page of it whose teasers are a
    kept fragment costs no query."""
    paginator = Paginator(queryset, per_page)
    request.dateline_paged = True  # news/middleware.py: the page cache may keep ?page=N of this address
    if kept_as is not None and may_keep(request):
        paginator.__dict__["count"] = kept([*kept_as, "count"], queryset.count, per_publish=True)
    try:
        return paginator.page(page_number(request.GET.get("page")))
    except (InputError, PageNotAnInteger, EmptyPage):
        raise Http404("No such page of stories") from None


class HomePage(Page):
    intro = models.TextField(blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.SectionPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        from .fronts import home_front

        context = super().get_context(request, *args, **kwargs)
        # Read only where the template renders the front (a fragment kept per publish).
        context["front"] = SimpleLazyObject(lambda: home_front(self))
        return context


class SectionPage(Page):
    intro = models.TextField(blank=True, help_text="A line under the section's name.")

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.ArticlePage"]
    show_in_menus_default = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from .fronts import section_front

        context["stories"] = paginate(request, story_refs(section_articles(self)), kept_as=["section", self.pk])
        context["front"] = SimpleLazyObject(lambda: section_front(self))  # the first page's curated top
        return context


class ArticleAuthor(Orderable):
    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="article_authors")
    author = models.ForeignKey("news.Author", on_delete=models.CASCADE, related_name="article_links")

    panels = [FieldPanel("author")]


class ArticleCorrection(Orderable):
    """A dated correction line shown under the story; kept through every later version."""

    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="corrections")
    noted_at = models.DateTimeField(help_text="When the correction was made.")
    text = models.TextField(help_text="What was corrected, as readers will read it.")

    panels = [FieldPanel("noted_at"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        ordering = ["sort_order"]


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items")


class ArticlePage(ArticleRoutes, Page):
    summary = models.TextField(blank=True, help_text="One or two sentences for lists, feeds and e-mails.")
    published_at = models.DateTimeField(
        null=True, blank=True, db_index=True, help_text="The story's time stamp. Empty: the time it is first published."
    )
    updated_at = models.DateTimeField(null=True, blank=True, help_text='Shown as "Updated ..." when set.')
    byline_text = models.CharField(
        "free-text byline", max_length=255, blank=True, help_text='Used when no author is chosen, e.g. "By Staff".'
    )
    dateline = models.CharField(
        max_length=100, blank=True, help_text='The city the story is filed from, e.g. "BRUSSELS".'
    )
    agency = models.ForeignKey("news.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles")
    body: Any = StoryBodyField(BodyBlock(), blank=True)  # a StreamValue; assigned lists of blocks
    lead_image = models.ForeignKey("news.NewsImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lead_caption = models.TextField(blank=True, help_text="Defaults to the image's caption.")
    lead_credit = models.CharField(max_length=255, blank=True, help_text="Defaults to the image's credit.")
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    lead_remote_url = models.CharField(
        "lead photo source address",
        max_length=500,
        blank=True,
        help_text="Where the wire said the lead picture is (recorded from the feed, never fetched automatically).",
    )

    slugline = models.CharField(max_length=100, blank=True, help_text="The desk's short name for the story.")
    urgency = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The agency's urgency, 1 (flash) to 9.")
    breaking = models.BooleanField(
        default=False,
        help_text="Breaking news: an alert goes to the breaking-news lists when it is first published "
        "(as for urgency 1).",
    )
    language = models.CharField(
        max_length=35, blank=True, help_text="The story's language when it is not the site's, e.g. \"de\"."
    )
    editor_note = models.TextField(blank=True, help_text="A note from the agency to editors; never shown to readers.")
    source_url = models.URLField(
        "source address",
        max_length=500,
        blank=True,
        help_text="Where the agency or a saved page says the story is on the web (recorded, never fetched).",
    )
    credit_line = models.CharField(
        max_length=500,
        blank=True,
        help_text='Shown under the story, e.g. "(Reporting by Adrian Croft; Editing by Jon Boyle)".',
    )
    live_since = models.DateTimeField(
        "live coverage since",
        null=True,
        blank=True,
        help_text="Set to run this story as live coverage: short updates, newest first, posted from "
        "'Post an update'. Readers see it as the coverage's start time.",
    )
    live_until = models.DateTimeField(
        "live coverage ended",
        null=True,
        blank=True,
        help_text="Set when the coverage ends: the page says so and stops asking for updates.",
    )
    key_points = models.TextField(
        blank=True, help_text="Live coverage: what is known so far, one point a line, kept current."
    )
    withdrawn = models.BooleanField(
        default=False,
        help_text=(
            "The agency withdrew or cancelled this story: it is unpublished and stays so until a later usable version."
        ),
    )

    section_page = models.ForeignKey(
        "news.SectionPage",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The parent section, kept beside the tree path so a section's newest stories are one index read.",
    )
    source_guid = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    source_version = models.PositiveIntegerField(default=0, editable=False)
    source_checksum = models.CharField(max_length=64, blank=True, editable=False)
    source_version_created = models.DateTimeField(null=True, blank=True, editable=False)
    source_continued = models.BooleanField(
        default=False, editable=False, help_text="The source capture ended with 'Continued...' (it held page 1 only)."
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel([InlinePanel("article_authors", label="Author"), FieldPanel("byline_text")], heading="Byline"),
        FieldRowPanel([FieldPanel("dateline"), FieldPanel("agency")], heading="Dateline"),
        FieldRowPanel([FieldPanel("published_at"), FieldPanel("updated_at")], heading="Time stamp"),
        FieldPanel("body"),
        FieldPanel("credit_line"),
        MultiFieldPanel(
            [FieldPanel("lead_image"), FieldPanel("lead_caption"), FieldPanel("lead_credit")], heading="Lead photo"
        ),
        FieldPanel("tags"),
        InlinePanel(
            "topic_choices",
            label="Topic",
            heading="Topics",
            help_text="Topics named in the story are found on every publish. Add one here that the text does not "
            "name, or mark one as 'not about' to keep it off; your choice is kept when the story is re-tagged.",
        ),
        InlinePanel("corrections", label="Correction", heading="Corrections"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("live_since"), FieldPanel("live_until")]), FieldPanel("key_points")],
            heading="Live coverage",
            classname="collapsed",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("slugline"), FieldPanel("urgency"), FieldPanel("language")]),
                FieldPanel("breaking"),
                FieldPanel("editor_note"),
                FieldPanel("lead_remote_url"),
                FieldPanel("source_url"),
                FieldPanel("withdrawn"),
            ],
            heading="Wire",
            classname="collapsed",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("byline"),
        index.SearchField("dateline"),
        index.SearchField("live_update_text"),  # live coverage is found by what its updates say
        index.FilterField("published_at"),
        index.FilterField("section_page"),  # the search page's section filter, as a column, not a list of ids
    ]
    search_prefetch = ("article_authors__author",)  # the byline, when many are indexed at once
    parent_page_types = ["news.SectionPage"]
    subpage_types: list[str] = []
    base_form_class = ArticlePageForm

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source_guid"], condition=~models.Q(source_guid=""), name="unique_article_source_guid"
            )
        ]
        indexes = [models.Index(fields=["section_page", "-published_at"], name="article_section_newest")]

    def publishing_problems(self) -> list[str]:
        """Why this story cannot be published, for every publisher (an editor, a rule, the scheduler)."""
        from .forms import has_words

        problems = []
        if not (self.title or "").strip():
            problems.append("it has no headline")
        if not any(has_words(block) for block in self.body):
            problems.append("it has no paragraph of body text")
        return problems

    def save(self, *args, **kwargs):
        if not self.summary and self.body:  # a summary left empty is the first paragraph's start
            from django.utils.text import Truncator

            from .formatting import plain_text

            first = next((b for b in self.body if b.block_type == "paragraph"), None)
            if first is not None:
                self.summary = Truncator(" ".join(plain_text(first.value.source).split())).chars(280)
        if self.live and self.published_at is None:
            self.published_at = self.first_published_at or self.go_live_at or timezone.now()
        if self.section_page_id is None and self.path and self.depth and self.depth > 1:
            parent_path = self.path[: -self.steplen]  # a move keeps it right through the page_moved signal
            self.section_page_id = SectionPage.objects.filter(path=parent_path).values_list("pk", flat=True).first()
        return super().save(*args, **kwargs)

    @property
    def headline(self) -> str:
        return self.title

    @property
    def is_live_coverage(self) -> bool:
        """Run as live coverage (news/live.py), now or in the past."""
        return self.live_since is not None

    def live_update_text(self) -> str:
        """The words of the story's live updates, newest first (empty unless it is live coverage):
        indexed for search with the story, and again when an update is posted, edited or deleted."""
        if self.live_since is None or self.pk is None:
            return ""
        return " ".join(update.plain_text() for update in self.live_updates.newest_first())

    @property
    def coverage_running(self) -> bool:
        return self.live_since is not None and self.live_until is None

    @property
    def key_point_list(self) -> list[str]:
        return [line.strip(" -*\u2022\t") for line in self.key_points.splitlines() if line.strip(" -*\u2022\t")]

    @cached_property
    def standfirst(self) -> str:
        """The summary shown under the headline, when someone wrote one (an editor, or the agency's
        abstract or second headline); not when it is the first paragraph's start, filled in from it
        (save, the importer), which the reader would read twice."""
        from .formatting import plain_text

        summary = " ".join((self.summary or "").split())
        first = next((b for b in self.body if b.block_type == "paragraph"), None)
        if not summary or first is None:
            return summary
        text = " ".join(plain_text(first.value.source).split())
        return "" if text.startswith(summary.removesuffix("…").rstrip()) else summary

    @property
    def display_time(self):
        return self.published_at or self.first_published_at or self.latest_revision_created_at

    @cached_property
    def authors(self):
        if "article_authors" in getattr(self, "_prefetched_objects_cache", {}):  # a list prefetched them
            return [link.author for link in self.article_authors.all()]
        return [link.author for link in self.article_authors.select_related("author")]

    @property
    def byline(self) -> str:
        names = [author.name for author in self.authors]
        if not names:
            return self.byline_text
        if len(names) == 1:
            return f"By {names[0]}"
        return "By " + ", ".join(names[:-1]) + " and " + names[-1]

    @property
    def lead_photo(self):
        """The lead photo as the body's photo blocks see it, or None."""
        image = self.lead_image
        caption = self.lead_caption or (image.caption if image else "")
        credit = self.lead_credit or (image.credit if image else "")
        if image is None and not (caption or credit):
            return None
        return {"image": image, "caption": caption, "credit": credit}

    @property
    def dateline_lead(self) -> str:
        """What leads the first paragraph: 'BRUSSELS (Reuters) - ', or nothing without a dateline."""
        if not self.dateline:
            return ""
        agency = self.agency if self.agency_id else None
        return f"{self.dateline} ({agency.name}) - " if agency else f"{self.dateline} - "

    @cached_property
    def section(self):
        if self.section_page_id:
            return self.section_page
        return self.get_parent().specific

    def canonical_url(self, suffix: str = "") -> str:
        return settings.DATELINE_SITE_URL + self.own_url() + suffix
