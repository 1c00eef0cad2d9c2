"""One place that knows what to do when addresses change: the page cache, static files, the CDN."""

from __future__ import annotations

import logging

from django.db import transaction

from .footprint import footprint, possible_footprint
from .models import Footprint

log = logging.getLogger(__name__)


def story(page_id: int, taken_down: bool = False, extra: list[str] = ()) -> list[str]:
    """Purge every address that showed the story at its last publish or shows it now; returns them.

    ``taken_down``: it was unpublished, so with no record of its last publish every address that
    could have shown it is purged. ``extra``: addresses known to the caller (a deleted story's own).
    """
    from dateline.news.pages import ArticlePage

    page = ArticlePage.objects.filter(pk=page_id).select_related("section_page").first()
    now = footprint(page) if page is not None else []
    with transaction.atomic():
        before = Footprint.objects.select_for_update().filter(pk=page_id).first()
        if before is not None:
            shown = before.urls
        else:  # published before its publishes were recorded: purge wherever it could have been
            shown = possible_footprint(page) if taken_down and page is not None and not page.live else []
        urls = list(dict.fromkeys([*shown, *now, *extra]))
        if now:
            Footprint.objects.update_or_create(page_id=page_id, defaults={"urls": now})
        elif before:
            before.delete()
    addresses(urls)
    return urls


def addresses(urls: list[str]) -> None:
    from . import frontend, pagecache, static

    if not urls:
        return
    pagecache.purge(urls)
    static.refresh(urls)
    frontend.purge(urls)
    log.debug("purged %d addresses", len(urls))
