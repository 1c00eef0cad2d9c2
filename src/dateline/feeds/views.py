"""Feed, sitemap and robots.txt views."""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse

from dateline import addresses
from dateline.inputs import InputError, page_number
from dateline.news.generation import per_publish, publish_generation

from .conditional import conditional, list_state
from .sitemaps import month_table, news_items, sitemap_for
from .stories import scope_for
from .syndication import FORMATS, StoryFeed, UpdatesFeed

_FEEDS = {fmt: StoryFeed(fmt) for fmt in FORMATS}
_UPDATE_FEEDS = {fmt: UpdatesFeed(fmt) for fmt in FORMATS}


def _feed_state(request, fmt, kind="site", slug=""):
    request.feed_scope = scope_for(kind, slug)  # looked up once: the feed itself reads it too
    return list_state(request.feed_scope.newest(), "feed", fmt, kind, slug)


def without_query(view):
    """A feed or sitemap has one address: any query string (?utm_source=..., ?x=N) is sent to it with a
    permanent redirect, so no variant is rendered or kept in a cache."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.META.get("QUERY_STRING"):
            return HttpResponsePermanentRedirect(request.path)
        return view(request, *args, **kwargs)

    return wrapped


@without_query
@conditional(_feed_state, keep_body=True)
def feed(request, fmt, kind="site", slug=""):
    return _FEEDS[fmt](request, kind=kind, slug=slug)


@without_query
def live_feed(request, fmt, page_id):
    """A live story's updates as a feed (kept by the page cache, purged with each update)."""
    return _UPDATE_FEEDS[fmt](request, page_id=page_id)


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /search/",
        "Disallow: /*/email/",
        "Disallow: /*/print/",
        "",
        f"Sitemap: {settings.DATELINE_SITE_URL}{addresses.sitemap_index()}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def _generation_state(request, *args, **kwargs):
    return f'"g{publish_generation()}"', None


@without_query
@conditional(_generation_state)
def sitemap_index(request):
    # Rendered once a publish: its length grows with the archive's age, its cost does not.
    body = per_publish(f"sitemap-index:{settings.DATELINE_SITE_URL}", lambda: _render_index(request), 24 * 3600)
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


def _render_index(request) -> bytes:
    months = month_table()
    entries: list[dict[str, object]] = [{"section": "pages"}, {"section": "authors"}]
    for month in months:
        for page in range(1, month["pages"] + 1):
            entries.append({"section": f"articles-{month['key']}", "page": page, "lastmod": month["lastmod"]})
    return render_to_string(
        "feeds/sitemap_index.xml", {"entries": entries, "site_url": settings.DATELINE_SITE_URL}, request
    ).encode()


def known_sitemap(view):
    """Before any cache is read: a sitemap part that exists (a month the archive has), and no query but
    its page (?p=2), written one way and only past the first."""

    @wraps(view)
    def wrapped(request, section):
        if set(request.GET) - {"p"}:
            raise Http404("A sitemap takes no query but its page (?p=2)")
        raw = request.GET.get("p")
        if raw is not None:
            try:
                if page_number(raw, "p") == 1:
                    raise InputError("page 1 is the address without ?p=")
            except InputError as problem:
                raise Http404(str(problem)) from None
        sitemap = sitemap_for(section)
        if sitemap is None:
            raise Http404(f"No sitemap {section!r}")
        request.sitemap = sitemap
        return view(request, section)

    return wrapped


@known_sitemap
@conditional(_generation_state, keep_body=True)
def sitemap_section(request, section):
    return django_sitemap(request, {section: request.sitemap}, section=section)


def _news_state(request, *args, **kwargs):
    # The 48-hour window moves with the clock: the kept body lasts ten minutes at most.
    return f'"g{publish_generation()}-{int(time.time() // 600)}"', None


@without_query
@conditional(_news_state, keep_body=True)
def news_sitemap(request):
    context = {"items": news_items(), "publication": settings.DATELINE_NEWS_NAME}
    return TemplateResponse(request, "feeds/news_sitemap.xml", context, content_type="application/xml; charset=utf-8")
