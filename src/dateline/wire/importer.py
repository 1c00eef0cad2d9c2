"""The one importer: writes a ``WireStory`` into an ArticlePage, one transaction a story.

The story's guid is its identity: a second import of the same guid updates the page (a new
Wagtail revision) instead of creating another; an older version is ignored.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify
from wagtail.rich_text import RichText

from dateline.news.models import Agency, ArticleAuthor, ArticlePage, Author, SectionPage

from .story import WireError, WireStory

SUMMARY_CHARS = 280


@dataclass(frozen=True)
class ImportResult:
    action: str  # "created", "updated", "unchanged" or "stale"
    page: ArticlePage

    def describe(self) -> str:
        return f"{self.action}: {self.page.url} ({self.page.title})"


def checksum(story: WireStory) -> str:
    data = json.dumps(asdict(story), sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def find_section(slug: str | None) -> SectionPage:
    slug = slug or settings.DATELINE_DEFAULT_SECTION
    section = SectionPage.objects.filter(slug=slug).first()
    if section is None:
        known = ", ".join(SectionPage.objects.order_by("path").values_list("slug", flat=True)) or "none yet"
        raise WireError(
            f"there is no section {slug!r} (sections: {known}); create it in the admin or run 'dateline load-demo'"
        )
    return section


def _unique_slug(parent, headline: str) -> str:
    base = slugify(headline)[:70].strip("-") or "story"
    siblings = set(parent.get_children().values_list("slug", flat=True))
    slug, n = base, 2
    while slug in siblings:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _summary(story: WireStory) -> str:
    if story.summary:
        return story.summary
    return Truncator(strip_tags(story.paragraphs[0])).chars(SUMMARY_CHARS)


def _body(story: WireStory) -> list[tuple[str, object]]:
    body: list[tuple[str, object]] = [("paragraph", RichText(f"<p>{p}</p>")) for p in story.paragraphs]
    for photo in story.photos[1:]:
        body.append(("photo", {"image": None, "caption": photo.caption, "credit": photo.credit}))
    return body


def _apply(page: ArticlePage, story: WireStory, digest: str) -> None:
    page.title = story.headline
    page.draft_title = story.headline
    page.summary = _summary(story)
    page.published_at = story.published
    page.updated_at = story.updated
    page.dateline = story.dateline
    page.agency = Agency.objects.filter(name__iexact=story.agency).first() or (
        Agency.objects.create(name=story.agency) if story.agency else None
    )
    authors = [Author.objects.filter(name__iexact=name).first() or Author.objects.create(name=name) for name in story.authors]
    page.article_authors = [ArticleAuthor(author=author, sort_order=i) for i, author in enumerate(authors)]
    page.byline_text = "" if authors else story.byline
    page.body = _body(story)
    lead = story.photos[0] if story.photos else None
    page.lead_caption = lead.caption if lead else ""
    page.lead_credit = lead.credit if lead else ""
    if lead is None:
        page.lead_image = None
    page.tags.set(list(story.tags))
    page.source_guid = story.guid
    page.source_version = story.version
    page.source_checksum = digest
    page.source_continued = story.continued


def import_story(story: WireStory, section: str | None = None) -> ImportResult:
    """Create or update the story's page and publish it; nothing is written if any step fails."""
    digest = checksum(story)
    try:
        with transaction.atomic():
            existing = ArticlePage.objects.select_for_update().filter(source_guid=story.guid).first()
            if existing is not None:
                if story.version < existing.source_version:
                    return ImportResult("stale", existing)
                if existing.source_checksum == digest:
                    return ImportResult("unchanged", existing)
                _apply(existing, story, digest)
                revision = existing.save_revision(log_action=True)
                if existing.live:
                    revision.publish()
                return ImportResult("updated", existing)

            parent = find_section(section)
            page = ArticlePage(slug=_unique_slug(parent, story.headline))
            _apply(page, story, digest)
            parent.add_child(instance=page)
            page.save_revision(log_action=True).publish()
            return ImportResult("created", page)
    except IntegrityError:
        # Another process created the same guid between our look-up and our insert: theirs stands.
        existing = ArticlePage.objects.filter(source_guid=story.guid).first()
        if existing is None:
            raise
        return ImportResult("unchanged", existing)
