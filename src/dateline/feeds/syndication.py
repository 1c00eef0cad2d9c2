"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 for the site, a section, an author or a tag, and for a live
story's updates (``UpdatesFeed``).

Django's syndication framework builds the feeds; three small generator classes add what a
newsroom's feed carries beyond its defaults: the full text (``content:encoded`` / Atom
``content`` / ``content_html``) and the lead photo as Media RSS, besides the enclosure.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import feedgenerator
from django.utils.feedgenerator import rfc3339_date
from django.utils.html import escape

from dateline import addresses
from dateline.news.identity import site_name

from .content import absolute, lead_picture, story_html, update_html
from .identity import story_uri
from .stories import FEED_SIZE, Scope, author_url, scope_for

MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


def _media(handler, item) -> None:
    picture = item.get("picture")
    if picture is None:
        return
    handler.startElement(
        "media:content",
        {
            "url": picture.url,
            "type": picture.mime_type,
            "medium": "image",
            "width": str(picture.width),
            "height": str(picture.height),
        },
    )
    if picture.caption:
        handler.addQuickElement("media:description", picture.caption, {"type": "plain"})
    if picture.credit:
        handler.addQuickElement("media:credit", picture.credit)
    handler.endElement("media:content")


# An empty feed's build date: steady, so an unchanged empty list reads the same on every request
# (Django's default, the current time, would make every poll a change and defeat 304s).
EMPTY_FEED_DATE = datetime(2000, 1, 1, tzinfo=UTC)


class SteadyDateMixin:
    def latest_post_date(self):
        return super().latest_post_date() if self.items else EMPTY_FEED_DATE


class HtmlSummaryMixin:
    """RSS's description and Atom's summary (``type="html"``) are HTML to a feed reader: the story's
    summary, plain text, goes in escaped as HTML, so "<cheaply>" in a story reads "<cheaply>" in the
    reader, not a tag it drops (the XML writer then escapes that once more, as XML)."""

    def add_item_elements(self, handler, item):
        if item.get("description"):
            item = {**item, "description": escape(item["description"])}
        super().add_item_elements(handler, item)  # the feed class's, after this mixin


class RssFeed(HtmlSummaryMixin, SteadyDateMixin, feedgenerator.Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_NS, "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["updateddate"]:  # RSS 2.0 has no element for it; Atom's is the one readers know
            handler.addQuickElement("atom:updated", rfc3339_date(item["updateddate"]))
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        _media(handler, item)


class AtomFeed(HtmlSummaryMixin, SteadyDateMixin, feedgenerator.Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        _media(handler, item)


class JsonFeed(feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        feed = self.feed
        document = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "items": [self._item(item) for item in self.items],
        }
        if feed.get("icon"):
            document["icon"] = feed["icon"]
        outfile.write(json.dumps(document, ensure_ascii=False, indent=1).encode(encoding))

    @staticmethod
    def _item(item) -> dict:
        entry = {"id": item["unique_id"], "url": item["link"], "title": item["title"], "summary": item["description"]}
        if item.get("content_html"):
            entry["content_html"] = item["content_html"]
        else:
            entry["content_text"] = item["description"]
        if item["pubdate"]:
            entry["date_published"] = rfc3339_date(item["pubdate"])
        if item["updateddate"]:
            entry["date_modified"] = rfc3339_date(item["updateddate"])
        if item.get("authors"):
            entry["authors"] = item["authors"]
        if item["categories"]:
            entry["tags"] = list(item["categories"])
        if item.get("picture"):
            entry["image"] = item["picture"].url
        if item.get("language"):
            entry["language"] = item["language"]
        return entry


FORMATS: dict[str, type[feedgenerator.SyndicationFeed]] = {"rss": RssFeed, "atom": AtomFeed, "json": JsonFeed}
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
MIME_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}


class StoryFeed(Feed):
    """One feed class for every list and format: ``StoryFeed(fmt)(request, kind=..., slug=...)``."""

    def __init__(self, fmt: str):
        super().__init__()
        self.fmt = fmt
        self.feed_type = FORMATS[fmt]

    def get_object(self, request, kind="site", slug=""):
        return getattr(request, "feed_scope", None) or scope_for(kind, slug)

    def title(self, scope: Scope) -> str:
        return scope.title

    def link(self, scope: Scope) -> str:
        return absolute(scope.html_url)

    def feed_url(self, scope: Scope) -> str:
        return absolute(feed_path(scope.kind, scope.slug, self.fmt))

    def description(self, scope: Scope) -> str:
        return f"The latest {FEED_SIZE} stories from {scope.title}."

    def feed_copyright(self, scope: Scope) -> str:
        return f"Copyright {site_name()}"

    def items(self, scope: Scope):
        return scope.newest().select_related("lead_image").prefetch_related("article_authors__author", "tags")

    def item_title(self, page) -> str:
        return page.title

    def item_description(self, page) -> str:
        return page.summary

    def item_link(self, page) -> str:
        return page.canonical_url()

    def item_guid(self, page) -> str:
        return story_uri(page)

    def item_guid_is_permalink(self, page) -> bool:
        return False

    def item_pubdate(self, page):
        return page.display_time

    def item_updateddate(self, page):
        return page.updated_at or page.display_time

    def item_author_name(self, page) -> str | None:
        names = [link.author.name for link in page.article_authors.all()]
        return " and ".join(names) if names else (page.byline_text.removeprefix("By ").strip() or None)

    def item_author_link(self, page) -> str | None:
        links = list(page.article_authors.all())
        return absolute(author_url(links[0].author)) if len(links) == 1 else None

    def item_categories(self, page) -> list[str]:
        return [page.section.title] + [tag.name for tag in page.tags.all()]

    def item_enclosures(self, page) -> list:
        picture = lead_picture(page)
        if picture is None:
            return []
        return [feedgenerator.Enclosure(picture.url, str(picture.length), picture.mime_type)]

    def item_extra_kwargs(self, page) -> dict:
        authors = [
            {"name": link.author.name, "url": absolute(author_url(link.author))} for link in page.article_authors.all()
        ]
        if not authors and page.byline_text:
            authors = [{"name": page.byline_text.removeprefix("By ").strip()}]
        return {
            "content_html": story_html(page) if settings.DATELINE_FEED_FULL_TEXT else "",
            "picture": lead_picture(page),
            "authors": authors,
            "language": page.language or None,
        }


def feed_path(kind: str, slug: str, fmt: str) -> str:
    return addresses.feed(fmt, kind, slug)


class UpdatesFeed(Feed):
    """A live story's updates, newest first: ``UpdatesFeed(fmt)(request, page_id=...)``. Purged with
    the story's page whenever an update is posted, edited or deleted (publishing/pipeline.py)."""

    def __init__(self, fmt: str):
        super().__init__()
        self.fmt = fmt
        self.feed_type = FORMATS[fmt]

    def get_object(self, request, page_id):
        from django.http import Http404

        from dateline.news.pages import ArticlePage

        story = ArticlePage.objects.live().filter(pk=int(page_id), live_since__isnull=False).first()
        if story is None:
            raise Http404("No live story with that id")
        return story

    def title(self, story) -> str:
        return f"{story.title} (live updates)"

    def link(self, story) -> str:
        return story.canonical_url()

    def feed_url(self, story) -> str:
        return absolute(addresses.live_feed(self.fmt, story.pk))

    def description(self, story) -> str:
        return story.summary or f"Live updates from {site_name()}."

    def feed_copyright(self, story) -> str:
        return f"Copyright {site_name()}"

    def items(self, story):
        return story.live_updates.newest_first().select_related("author", "article")[:FEED_SIZE]

    def item_title(self, update) -> str:
        text = update.headline or update.plain_text()
        return text if len(text) <= 110 else text[:109].rstrip() + "…"

    def item_description(self, update) -> str:
        return update.plain_text()

    def item_link(self, update) -> str:
        return absolute(update.page_url())

    def item_guid(self, update) -> str:
        return absolute(update.own_url())

    def item_pubdate(self, update):
        return update.posted_at

    def item_updateddate(self, update):
        return update.edited_at or update.posted_at

    def item_author_name(self, update) -> str | None:
        return update.author.name if update.author_id else None

    def item_extra_kwargs(self, update) -> dict:
        return {
            "content_html": update_html(update),
            "picture": None,
            "authors": [{"name": update.author.name}] if update.author_id else [],
            "language": update.article.language or None,
        }
