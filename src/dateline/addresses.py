"""Every public address that is not a page's own, each built from its named route.

One module for the footprint (what a publish purges), feeds, sitemaps, the API and static
publishing, so an address is spelled in exactly one place: its URLconf. Templates use the same
routes through ``{% url %}``. A page's own addresses come from the page (``page.url``, and an
article's ``page_url(n)``, ``single_url``, ``print_url``, ``get_cached_paths()``).

Imports nothing of Dateline's apps: every layer may use it.
"""

from __future__ import annotations

import functools
from typing import Any

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as _django_reverse


@functools.lru_cache(maxsize=8192)
def _reversed(name: str, kwargs: tuple, prefix: str, urlconf: Any) -> str:
    return _django_reverse(name, kwargs=dict(kwargs))


def reverse(name: str, kwargs: dict[str, Any] | None = None) -> str:
    """Django's reverse(), each answer kept (a page asks for the same feed addresses on every request);
    the key holds the script prefix and URLconf it was worked out under."""
    return _reversed(name, tuple(sorted((kwargs or {}).items())), get_script_prefix(), get_urlconf())


def _forget(setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()


setting_changed.connect(_forget, dispatch_uid="dateline.addresses")


def feed(fmt: str, kind: str = "site", slug: str = "") -> str:
    """A list's feed in one format: '/feeds/rss/', '/feeds/section/world/atom/'."""
    if kind == "site":
        return reverse("feed", kwargs={"fmt": fmt})
    return reverse("feed", kwargs={"kind": kind, "slug": slug, "fmt": fmt})


def live_feed(fmt: str, page_id: int) -> str:
    """A live story's feed of its updates: '/feeds/live/42/rss/'."""
    return reverse("live-feed", kwargs={"fmt": fmt, "page_id": page_id})


def author(slug: str) -> str:
    return reverse("author", kwargs={"slug": slug})


def tag(slug: str) -> str:
    return reverse("tag", kwargs={"slug": slug})


def topic(slug: str) -> str:
    return reverse("topic", kwargs={"slug": slug})


def search() -> str:
    return reverse("search")


def robots() -> str:
    return reverse("robots-txt")


def sitemap_index() -> str:
    return reverse("sitemap-index")


def news_sitemap() -> str:
    return reverse("sitemap-news")


def sitemap(section: str) -> str:
    """One part of the sitemap: 'pages', 'authors' or 'articles-YYYY-MM'."""
    return reverse("sitemap", kwargs={"section": section})


def month_sitemap(key: str) -> str:
    """The sitemap of one month's stories, KEY as 'YYYY-MM'."""
    return sitemap(f"articles-{key}")
