"""One story's life: published, changed, scheduled into view, moved, unpublished, deleted.

Every change to an ArticlePage, whoever makes it (an editor in the admin, the wire importer, the
scheduler, a kill), runs these steps, in this order, in the change's own transaction:

1. **tag**: the story's topics are found again in its text (untagged when it leaves the site);
2. **bookkeeping**: the publish generation moves on (lists cached per publish are computed again)
   and the story's month is counted again for the sitemap;
3. **owe the purge**: a mark, in the same transaction, that its addresses must be purged;
4. **purge after commit**: every address that showed it before or shows it now is purged from the
   page cache, the static files and the CDN, once the transaction has committed, so no reader can
   put the old text back in a cache between the purge and the commit. During an ingest run
   (dateline/batch.py) a published story's purge is done with the run's other stories, within a
   second; a story taken down is purged at once, always. A process killed between
   the commit and the purge leaves the mark; ``settle`` (run by ``dateline ingest``, the serve
   scheduler and ``publish_scheduled``) pays it;
5. **alert after commit**: a breaking story (urgency 1, or marked by an editor) newly published is
   sent to the breaking-news lists (newsletters/alerts.py).

An update to a live story (news/live.py) posted, edited or deleted changes only the story's own
pages and its updates' addresses: those are purged once committed (``_live_update_changed``); a
deleted update is purged hard, as a kill is.

A bulk ingest (``dateline ingest --bulk``) sends ``stories_published_in_bulk`` for a chunk of new
stories instead: the same steps, once for all of them (``_published_in_bulk``).

The handlers are connected here with ``sender=ArticlePage`` (``PublishingConfig.ready``); no step
depends on the order of INSTALLED_APPS.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from modelsearch import index as search_index
from wagtail.models import PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from dateline import addresses, batch
from dateline.feeds.sitemaps import forget_month
from dateline.news.fronts import FrontPick
from dateline.news.generation import bump_generation
from dateline.news.identity import SiteIdentity
from dateline.news.live import LiveUpdate
from dateline.news.pages import ArticlePage, HomePage, SectionPage
from dateline.news.signals import front_changed, housekeeping, stories_published_in_bulk
from dateline.newsletters import alerts
from dateline.topics.tagging import tag_new_stories, tag_story, untag_story

from . import refresh
from .footprint import footprint, list_keys, site_urls, story_urls


def story_changed(article: ArticlePage, *, taken_down: bool = False, extra: list[str] | None = None) -> None:
    """The four steps, in order, for one story (``taken_down``: it left the site)."""
    # 1. tag (Wagtail sends page_published for a scheduled publish too: only what is live is tagged)
    if article.live and not taken_down:
        tag_story(article)
    else:
        untag_story(article)
    # 2. bookkeeping (the generation moves again once committed: what was rendered meanwhile, from the
    # data as it was before this change, is kept under the generation it read, never the new one)
    bump_generation()
    transaction.on_commit(_bump_generation_after_commit, robust=True)
    forget_month(article.published_at)
    # 3. owe the purge, in this transaction
    page_id = article.pk
    refresh.mark_pending(page_id)
    # 4. purge once committed: a story taken down at once; one published during an ingest run with
    # the run's other stories (their lists and feeds are mostly the same), within a second
    if taken_down or extra:
        transaction.on_commit(lambda: refresh.story(page_id, taken_down=taken_down, extra=extra or ()), robust=True)
    else:
        transaction.on_commit(lambda: _purge_published(page_id), robust=True)
    # 5. alert once committed (a rolled-back publish alerts nobody)
    if article.live and not taken_down:
        transaction.on_commit(lambda: alerts.story_published(page_id), robust=True)


def _bump_generation_after_commit() -> None:
    """An ingest run's stories move the generation once, with their purge (dateline/batch.py)."""
    if not batch.defer(_bump_generation_once, "generation"):
        bump_generation()


def _bump_generation_once(items: list) -> None:
    bump_generation()


def _purge_published(page_id: int) -> None:
    if not batch.defer(refresh.stories, page_id):
        refresh.story(page_id)


def _published(sender: type, instance: ArticlePage, **kwargs: Any) -> None:
    story_changed(instance)


def _unpublished(sender: type, instance: ArticlePage, **kwargs: Any) -> None:
    story_changed(instance, taken_down=True)


def _moved(sender: type, instance: Any, parent_page_after: Any, **kwargs: Any) -> None:
    """A moved story is listed in its new section from now on, and has new addresses.

    Wagtail may send the generic Page here: the story is read again, as it is after the move.
    """
    ArticlePage.objects.filter(pk=instance.pk).update(section_page_id=parent_page_after.pk)
    story_changed(ArticlePage.objects.get(pk=instance.pk))


def _deleted(sender: type, instance: ArticlePage, **kwargs: Any) -> None:
    if instance.live:
        story_changed(instance, taken_down=True, extra=story_urls(instance))


def _published_in_bulk(sender: type, pages: list[ArticlePage], **kwargs: Any) -> None:
    """New stories of a bulk ingest, live: the four steps once for all of them. Their own pages were
    never shown (nothing to purge); the lists they join are purged once, with the run's other work,
    and no record is kept of where they were shown, so a later kill purges wherever they could be."""
    found = tag_new_stories(pages)
    bump_generation()
    transaction.on_commit(_bump_generation_after_commit, robust=True)
    months = {
        f"{timezone.localtime(page.published_at):%Y-%m}": page.published_at for page in pages if page.published_at
    }
    for moment in months.values():
        forget_month(moment)
    keys = list_keys(pages, found)
    transaction.on_commit(lambda: _purge_lists(keys), robust=True)


def _purge_lists(keys: list) -> None:
    """With the run's shared work (dateline/batch.py), or now when there is no run."""
    if keys and batch.defer(refresh.lists, keys[0]):
        for key in keys[1:]:
            batch.defer(refresh.lists, key)
    else:
        refresh.lists(keys)


def _front_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """A section front or the home page published or unpublished: new lists, its own address purged."""
    bump_generation()
    transaction.on_commit(bump_generation, robust=True)
    url = instance.url
    if url:
        transaction.on_commit(lambda: refresh.addresses([url]), robust=True)


def _front_picked(sender: type, front: Any, **kwargs: Any) -> None:
    """A story pinned or unpinned on a front: its lists are read again, the front (and the home
    page, whose rows show each section front's slots) purged."""
    bump_generation()
    transaction.on_commit(bump_generation, robust=True)
    homes = list(HomePage.objects.all()) if isinstance(front.specific, SectionPage) else []
    urls = [url for url in [front.url, *(home.url for home in homes)] if url]
    transaction.on_commit(lambda: refresh.addresses(urls), robust=True)


def _identity_changed(sender: type, **kwargs: Any) -> None:
    """The site's name, logo, colour or footer changed (news/identity.py): it is on every page, so
    every public address is purged once the change has committed."""
    bump_generation()
    transaction.on_commit(bump_generation, robust=True)
    transaction.on_commit(lambda: refresh.addresses(site_urls()), robust=True)


def _routing_changed(sender: type, **kwargs: Any) -> None:
    """A site or a view restriction saved or deleted: what is kept per publish about addresses is read again."""
    bump_generation()
    transaction.on_commit(bump_generation, robust=True)


def _live_update_changed(sender: type, instance: LiveUpdate, **kwargs: Any) -> None:
    """An update posted or edited (post_save) or deleted (post_delete): its story's pages, the poll
    address, the update's own address and the feeds that carry the story are purged once committed;
    a deletion keeps no copy. Lists and fronts show the story's teaser, which updates do not change."""
    deleted = "created" not in kwargs
    article = ArticlePage.objects.filter(pk=instance.article_id).first()
    if article is None or not article.url:
        return
    feeds = [url for url in footprint(article) if url.startswith("/feeds/")]  # they carry the updates too
    feeds += [addresses.live_feed(fmt, article.pk) for fmt in ("rss", "atom", "json")]
    urls = [*article.cached_urls(), f"{article.url}updates/", instance.own_url(), *feeds]
    transaction.on_commit(lambda: refresh.addresses(urls, hard=deleted), robust=True)
    # the story's search entry carries its updates' words (ArticlePage.live_update_text)
    transaction.on_commit(lambda: search_index.insert_or_update_object(article), robust=True)


def _settle(sender: Any, **kwargs: Any) -> None:
    refresh.pending()


def connect() -> None:
    page_published.connect(_published, sender=ArticlePage, dispatch_uid="pipeline-published")
    page_unpublished.connect(_unpublished, sender=ArticlePage, dispatch_uid="pipeline-unpublished")
    post_page_move.connect(_moved, sender=ArticlePage, dispatch_uid="pipeline-moved")
    post_delete.connect(_deleted, sender=ArticlePage, dispatch_uid="pipeline-deleted")
    for front in (HomePage, SectionPage):
        page_published.connect(_front_changed, sender=front, dispatch_uid=f"pipeline-front-published-{front.__name__}")
        page_unpublished.connect(_front_changed, sender=front, dispatch_uid=f"pipeline-front-unpub-{front.__name__}")
    front_changed.connect(_front_picked, sender=FrontPick, dispatch_uid="pipeline-front-picked")
    post_save.connect(_identity_changed, sender=SiteIdentity, dispatch_uid="pipeline-identity-saved")
    for model in (Site, PageViewRestriction):
        post_save.connect(_routing_changed, sender=model, dispatch_uid=f"pipeline-routing-saved-{model.__name__}")
        post_delete.connect(_routing_changed, sender=model, dispatch_uid=f"pipeline-routing-deleted-{model.__name__}")
    post_save.connect(_live_update_changed, sender=LiveUpdate, dispatch_uid="pipeline-live-update-saved")
    post_delete.connect(_live_update_changed, sender=LiveUpdate, dispatch_uid="pipeline-live-update-deleted")
    housekeeping.connect(_settle, dispatch_uid="pipeline-settle-owed-purges")
    stories_published_in_bulk.connect(_published_in_bulk, sender=ArticlePage, dispatch_uid="pipeline-bulk")
