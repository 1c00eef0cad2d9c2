"""One place that knows what to do when addresses change: the page cache, static files, the CDN."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from . import renditions
from .footprint import footprint, list_urls, possible_footprint
from .models import Footprint

log = logging.getLogger(__name__)


def story(page_id: int, taken_down: bool = False, extra: Iterable[str] = ()) -> list[str]:
    """Purge every address that showed the story at its last publish or shows it now; returns them.

    ``taken_down``: it was unpublished, so with no record of its last publish every address that
    could have shown it is purged. ``extra``: addresses known to the caller (a deleted story's own).
    """
    from dateline.news.fronts import pinned_front_urls
    from dateline.news.pages import ArticlePage

    page = ArticlePage.objects.filter(pk=page_id).select_related("section_page", "lead_image").first()
    now = footprint(page) if page is not None else []
    before = Footprint.objects.filter(pk=page_id).first()
    if before is not None and before.urls is not None:
        shown = before.urls
    else:  # published before its publishes were recorded: purge wherever it could have been
        shown = possible_footprint(page) if taken_down and page is not None and not page.live else []
    # The fronts it is pinned on, read now: a pin made after its last publish is in no record.
    # Taken down: its own addresses as they are now as well (a live story's update pages, made
    # after its last publish was recorded).
    own = page.cached_urls() if taken_down and page is not None else []
    urls = list(dict.fromkeys([*shown, *now, *own, *extra, *pinned_front_urls(page_id)]))
    if page is not None and not taken_down:  # its pictures resized before any reader is sent the story
        renditions.prepare([page])
    addresses(urls, hard=taken_down)  # taken down (killed, withdrawn, deleted): no copy is kept anywhere
    # Recorded only once the purge has run: a crash before this line leaves it pending.
    if now:
        Footprint.objects.update_or_create(page_id=page_id, defaults={"urls": now, "pending": False})
    else:
        Footprint.objects.filter(pk=page_id).delete()
    return urls


def stories(page_ids: list[int]) -> list[str]:
    """``story`` for published stories of one run, with one purge of every address any of them showed.

    Lists the stories share (the home page, a section, the feeds) are read once (``footprint``'s memo)."""
    from dateline.news.pages import ArticlePage

    pages = {
        page.pk: page
        for page in ArticlePage.objects.filter(pk__in=page_ids)
        .select_related("section_page", "lead_image")
        .prefetch_related("article_authors__author", "tags", "story_topics__topic")
    }
    before = {row.page_id: row.urls for row in Footprint.objects.filter(pk__in=page_ids)}
    memo: dict = {}
    now = {page_id: footprint(pages[page_id], memo) if page_id in pages else [] for page_id in page_ids}
    urls = list(dict.fromkeys(url for page_id in page_ids for url in [*(before.get(page_id) or []), *now[page_id]]))
    renditions.prepare(pages.values())
    addresses(urls)
    shown = [Footprint(page_id=page_id, urls=urls, pending=False) for page_id, urls in now.items() if urls]
    Footprint.objects.bulk_create(
        shown, update_conflicts=True, unique_fields=["page_id"], update_fields=["urls", "pending", "updated_at"]
    )
    Footprint.objects.filter(pk__in=[page_id for page_id, urls in now.items() if not urls]).delete()
    return urls


def lists(keys: list) -> list[str]:
    """Purge the lists new stories joined (``footprint.list_keys``): a bulk ingest's one purge."""
    urls = list_urls(keys)
    addresses(urls)
    return urls


def mark_pending(page_id: int) -> None:
    """In the story's own transaction: its purge is owed, until ``story`` has run after the commit."""
    Footprint.objects.bulk_create(  # one upsert: the addresses it was shown at, if known, are kept
        [Footprint(page_id=page_id, pending=True)],
        update_conflicts=True,
        unique_fields=["page_id"],
        update_fields=["pending", "updated_at"],
    )


def pending(older_than: float = 2.0) -> int:
    """Run the purges a killed process owed (changes committed more than ``older_than`` seconds ago)."""
    cutoff = timezone.now() - timedelta(seconds=older_than)
    owed = list(Footprint.objects.filter(pending=True, updated_at__lte=cutoff).values_list("page_id", flat=True))
    for page_id in owed:
        story(page_id, taken_down=True)
    if owed:
        log.warning("ran %d purges left over by an interrupted process", len(owed))
    return len(owed)


def addresses(urls: list[str], hard: bool = False) -> None:
    """Purge these addresses everywhere; ``hard``: the page cache keeps no stale copy of them either."""
    from . import frontend, pagecache, static

    if not urls:
        return
    pagecache.purge(urls, hard=hard)
    static.refresh(urls)
    frontend.purge(urls)
    log.debug("purged %d addresses", len(urls))
