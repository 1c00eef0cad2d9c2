"""Feed, sitemap and robots.txt views."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse

from .conditional import conditional, list_state
from .sitemaps import month_table, news_items, publish_generation, sitemap_for
from .stories import scope_for
from .syndication import FORMATS, StoryFeed

_FEEDS = {fmt: StoryFeed(fmt) for fmt in FORMATS}


def _feed_state(request, fmt, kind="site", slug=""):
    return list_state(scope_for(kind, slug).newest(), "feed", fmt, kind, slug)


@conditional(_feed_state)
def feed(request, fmt, kind="site", slug=""):
    return _FEEDS[fmt](request, kind=kind, slug=slug)


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /search/",
        "Disallow: /*/email/",
        "Disallow: /*/print/",
        "",
        f"Sitemap: {settings.DATELINE_SITE_URL}/sitemap.xml",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def _generation_state(request, *args, **kwargs):
    return f'"g{publish_generation()}"', None


@conditional(_generation_state)
def sitemap_index(request):
    months = month_table()
    entries = [{"section": "pages"}, {"section": "authors"}]
    for month in months:
        for page in range(1, month["pages"] + 1):
            entries.append({"section": f"articles-{month['key']}", "page": page, "lastmod": month["lastmod"]})
    return TemplateResponse(request, "feeds/sitemap_index.xml", {"entries": entries, "site_url": settings.DATELINE_SITE_URL},
                            content_type="application/xml; charset=utf-8")


def sitemap_section(request, section):
    sitemap = sitemap_for(section)
    if sitemap is None:
        raise Http404(f"No sitemap {section!r}")
    return django_sitemap(request, {section: sitemap}, section=section)


@conditional(_generation_state)
def news_sitemap(request):
    context = {"items": news_items(), "publication": settings.DATELINE_NEWS_NAME}
    return TemplateResponse(request, "feeds/news_sitemap.xml", context, content_type="application/xml; charset=utf-8")
