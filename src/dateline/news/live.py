"""Live coverage: a story that editors keep adding short, time-stamped updates to while news breaks.

A live story is an ArticlePage in live mode (``live_since`` set), not a page type of its own: it is
a story in every list, search, feed, API, sitemap, kill and purge with no second code path, and a
wire story already on the site becomes live coverage by a field, where Wagtail cannot change a
page's type in place. Its updates are rows of their own (``LiveUpdate``), not page revisions: an
editor posts one in a second, and the page's revision history stays the story's.

Each update has a permanent address: ``#update-ID`` on the page and ``…/updates/ID/`` on its own.
Readers' pages poll ``…/updates/`` (the newest updates, the same for every reader) and, to catch up
after a long absence, ``…/updates/?after=ID`` (news/routes.py, news/views.py); the page cache keeps
both and a posted, edited or deleted update purges them (publishing/pipeline.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.search import index

from .blocks import PARAGRAPH_FEATURES, PhotoBlock, QuoteBlock

#: Updates shown on the live page itself; older ones are on their own addresses and in the feed.
PAGE_UPDATES = 100
#: Updates a poll returns at most (a reader away for hours reloads instead).
POLL_UPDATES = 50


class StoryLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(page_type="news.ArticlePage", help_text="The full story.")
    text = blocks.CharBlock(required=False, help_text="The link's words; the story's headline if empty.")

    class Meta:
        icon = "link"
        template = "news/blocks/story_link.html"


class UpdateBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, template="news/blocks/paragraph.html")
    quote = QuoteBlock()
    photo = PhotoBlock()
    story_link = StoryLinkBlock()


class LiveUpdateQuerySet(models.QuerySet):
    def newest_first(self) -> LiveUpdateQuerySet:
        return self.order_by("-pk")

    def for_page(self) -> list[LiveUpdate]:
        """What the page shows: the pinned update first, then the newest ``PAGE_UPDATES``."""
        updates = list(self.newest_first().select_related("author")[:PAGE_UPDATES])
        pinned = [u for u in updates if u.pinned] or list(self.filter(pinned=True).select_related("author")[:1])
        return pinned[:1] + [u for u in updates if not pinned or u.pk != pinned[0].pk]


class LiveUpdate(index.Indexed, models.Model):
    article = models.ForeignKey("news.ArticlePage", on_delete=models.CASCADE, related_name="live_updates")
    posted_at = models.DateTimeField(default=timezone.now, help_text="The time readers see on the update.")
    author = models.ForeignKey(
        "news.Author", null=True, blank=True, on_delete=models.SET_NULL, related_name="live_updates"
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    headline = models.CharField(max_length=255, blank=True, help_text="A few words over the update (optional).")
    body: Any = StreamField(UpdateBlock(), help_text="What is new: a paragraph or two, a quote, a photo, a link.")
    pinned = models.BooleanField(default=False, help_text="Shown at the top of the page (one update at a time).")
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveUpdateQuerySet.as_manager()

    search_fields = [index.SearchField("headline"), index.SearchField("body")]

    class Meta:
        ordering = ["-pk"]
        indexes = [models.Index(fields=["article", "-id"], name="liveupdate_article_newest")]

    def __str__(self) -> str:
        return self.headline or f"Update {self.pk} to {self.article_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """An update saved again with its text is marked edited; one pinned unpins the story's others
        (pinning alone, ``save(update_fields=["pinned"])``, is not an edit)."""
        fields = kwargs.get("update_fields")
        if self.pk is not None and fields is None:
            self.edited_at = timezone.now()
        super().save(*args, **kwargs)
        if self.pinned:
            for other in LiveUpdate.objects.filter(article_id=self.article_id, pinned=True).exclude(pk=self.pk):
                other.pinned = False
                other.save(update_fields=["pinned"])  # each purged by the pipeline, as any save

    @property
    def anchor(self) -> str:
        return f"update-{self.pk}"

    def page_url(self) -> str:
        """Its place on the live page: ``/world/story/#update-ID``."""
        return f"{self.article.url}#{self.anchor}"

    def own_url(self) -> str:
        """Its own address: ``/world/story/updates/ID/``."""
        return f"{self.article.url}updates/{self.pk}/"

    def plain_text(self) -> str:
        from .formatting import plain_text

        parts = [self.headline]
        for block in self.body:
            if block.block_type == "paragraph":
                parts.append(plain_text(block.value.source))
            elif block.block_type == "quote":
                parts.append(block.value["quote"])
        return " ".join(" ".join(p.split()) for p in parts if p)
