"""Purges for a CDN or reverse proxy in front, through Wagtail's frontend-cache backends.

Configured by DATELINE_PURGE_URL (an HTTP cache that takes PURGE requests: Varnish, nginx with
a purge module, ...) or DATELINE_CLOUDFLARE_ZONE with DATELINE_CLOUDFLARE_TOKEN; see settings.
"""

from __future__ import annotations

import logging

from django.conf import settings

log = logging.getLogger(__name__)


def purge(paths: list[str]) -> None:
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    try:
        purge_urls_from_cache([settings.DATELINE_SITE_URL + path for path in paths])
    except Exception:  # a CDN that is down must not undo a publish; its max-age bounds the staleness
        log.exception("purging %d addresses from the front-end cache failed", len(paths))
