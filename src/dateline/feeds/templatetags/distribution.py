"""Tags for a page's <head>: its feeds, and an article's structured data and social cards."""

from __future__ import annotations

import functools
import json

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from dateline.feeds.content import absolute, lead_picture
from dateline.feeds.stories import author_url
from dateline.feeds.syndication import FORMAT_NAMES, MIME_TYPES, feed_path
from dateline.news.identity import site_name

register = template.Library()

LOGO_SIZE = (600, 60)
LIVE_JSONLD_UPDATES = 10
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _scope_of(context) -> tuple[str, str, str]:
    if context.get("feed_kind"):
        return context["feed_kind"], context.get("feed_slug", ""), context.get("feed_title", "")
    page = context.get("page")
    specific = getattr(page, "specific_class", None)
    if specific is not None and specific.__name__ == "SectionPage":
        return "section", page.slug, page.title
    if specific is not None and specific.__name__ == "ArticlePage":
        section = page.specific.section
        return "section", section.slug, section.title
    return "site", "", ""


@register.simple_tag(takes_context=True)
def feed_links(context):
    """<link rel="alternate"> for the page's own list (section, author, tag) and the whole site."""
    return _feed_links(*_scope_of(context), site_name(), get_script_prefix())


@functools.lru_cache(maxsize=4096)
def _feed_links(kind: str, slug: str, title: str, name: str, prefix: str):
    """The links for one list under one site name: the same on every request for it (PREFIX, the
    script prefix the addresses were made under, is part of the key)."""
    scopes = [(kind, slug, title)] if kind != "site" else []
    scopes.append(("site", "", ""))
    rows = [
        (
            MIME_TYPES[fmt],
            f"{name}: {title} ({FORMAT_NAMES[fmt]})" if title else f"{name} ({FORMAT_NAMES[fmt]})",
            feed_path(k, s, fmt),
        )
        for k, s, title in scopes
        for fmt in ("rss", "atom", "json")
    ]
    return format_html_join("\n  ", '<link rel="alternate" type="{}" title="{}" href="{}">', rows)


def news_article(page) -> dict:
    """schema.org NewsArticle for an article page."""
    canonical = page.canonical_url()
    published = page.display_time
    modified = page.updated_at or page.last_published_at or published
    authors = [{"@type": "Person", "name": a.name, "url": absolute(author_url(a))} for a in page.authors]
    if not authors:
        name = (
            page.byline_text.removeprefix("By ").strip() or (page.agency.name if page.agency_id else "") or site_name()
        )
        authors = [{"@type": "Organization", "name": name}]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": page.title if len(page.title) <= 110 else page.title[:109].rstrip() + "…",
        "description": page.summary,
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "datePublished": published.isoformat(timespec="seconds") if published else None,
        "dateModified": max(modified, published).isoformat(timespec="seconds") if published else None,
        "author": authors,
        "publisher": {
            "@type": "Organization",
            "name": site_name(),
            "url": settings.DATELINE_SITE_URL + "/",
            "logo": {
                "@type": "ImageObject",
                "url": absolute(static(str(settings.DATELINE_PUBLISHER_LOGO))),
                "width": LOGO_SIZE[0],
                "height": LOGO_SIZE[1],
            },
        },
        "articleSection": page.section.title,
        "isAccessibleForFree": True,
        "inLanguage": page.language or settings.LANGUAGE_CODE.split("-")[0],
    }
    if page.dateline:
        data["dateline"] = page.dateline_lead.removesuffix(" - ")
    picture = lead_picture(page)
    if picture:
        data["image"] = [
            {
                "@type": "ImageObject",
                "url": picture.url,
                "width": picture.width,
                "height": picture.height,
                "caption": picture.caption,
            }
        ]
    keywords = [tag.name for tag in page.tags.all()]
    if keywords:
        data["keywords"] = keywords
    return {key: value for key, value in data.items() if value not in (None, "")}


def live_blog_posting(page, updates) -> dict:
    """schema.org LiveBlogPosting for a live story (news/live.py): the story's NewsArticle fields, the
    coverage's start and end, and its newest updates (at most ``LIVE_JSONLD_UPDATES``) as BlogPostings."""
    data = {**news_article(page), "@type": "LiveBlogPosting"}
    data["coverageStartTime"] = page.live_since.isoformat(timespec="seconds")
    if page.live_until:
        data["coverageEndTime"] = page.live_until.isoformat(timespec="seconds")
    newest = sorted(updates, key=lambda update: update.pk, reverse=True)[:LIVE_JSONLD_UPDATES]
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": (update.headline or update.plain_text())[:110],
            "url": absolute(update.page_url()),
            "datePublished": update.posted_at.isoformat(timespec="seconds"),
            **({"dateModified": update.edited_at.isoformat(timespec="seconds")} if update.edited_at else {}),
            "articleBody": update.plain_text(),
            **({"author": {"@type": "Person", "name": update.author.name}} if update.author else {}),
        }
        for update in newest
    ]
    changes = [update.edited_at or update.posted_at for update in newest]
    changes += [moment for moment in (page.updated_at, page.last_published_at, page.display_time) if moment]
    if changes:
        data["dateModified"] = max(changes).isoformat(timespec="seconds")
    return data


@register.simple_tag
def live_metadata(page, updates):
    """``article_metadata`` for a live story: LiveBlogPosting instead of NewsArticle."""
    return article_metadata(page, live_blog_posting(page, updates))


@register.simple_tag
def article_metadata(page, data=None):
    """Open Graph and Twitter card tags, and the NewsArticle JSON-LD (data, never executed)."""
    data = data or news_article(page)
    picture = lead_picture(page)
    meta = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", site_name()),
        ("property", "og:title", page.title),
        ("property", "og:description", page.summary),
        ("property", "og:url", data["url"]),
        ("property", "article:published_time", data.get("datePublished", "")),
        ("property", "article:modified_time", data.get("dateModified", "")),
        ("property", "article:section", data["articleSection"]),
    ]
    meta += [("property", "article:tag", keyword) for keyword in data.get("keywords", [])]
    meta += [
        ("name", "twitter:card", "summary_large_image" if picture else "summary"),
        ("name", "twitter:title", page.title),
        ("name", "twitter:description", page.summary),
    ]
    if picture:
        meta += [
            ("property", "og:image", picture.url),
            ("property", "og:image:width", str(picture.width)),
            ("property", "og:image:height", str(picture.height)),
            ("property", "og:image:alt", picture.caption),
            ("name", "twitter:image", picture.url),
            ("name", "twitter:image:alt", picture.caption),
        ]
    tags = format_html_join("\n  ", '<meta {}="{}" content="{}">', [m for m in meta if m[2]])
    payload = json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
    return tags + mark_safe(f'\n  <script type="application/ld+json">{payload}</script>')
