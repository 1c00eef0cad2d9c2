"""A story published, changed, scheduled into view, moved, unpublished or deleted: purge what showed it.

The purge runs after the transaction commits, so no reader can put the old text back in a cache
between the purge and the commit. The change itself marks the purge as owed, in its own
transaction; a process killed between the commit and the purge leaves the mark, and the next
`dateline ingest` runs the purge (``refresh.pending``).
"""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import refresh


def _is_article(sender) -> bool:
    return sender.__name__ == "ArticlePage"


def _purge_after_commit(page_id: int, **options) -> None:
    """Owe the story's purge in this transaction; pay it once the transaction commits."""
    refresh.mark_pending(page_id)
    transaction.on_commit(lambda: refresh.story(page_id, **options), robust=True)


@receiver(page_published)
@receiver(page_unpublished)
def story_changed(sender, instance, signal, **kwargs):
    if _is_article(sender):
        _purge_after_commit(instance.pk, taken_down=signal is page_unpublished)
    elif sender.__name__ in ("SectionPage", "HomePage"):
        url = instance.url
        if url:
            transaction.on_commit(lambda: refresh.addresses([url]), robust=True)


@receiver(post_page_move)
def story_moved(sender, instance, **kwargs):
    """A moved story has new addresses and a new section (its footprint keeps the old ones)."""
    if _is_article(sender):
        _purge_after_commit(instance.pk)


@receiver(post_delete)
def story_deleted(sender, instance, **kwargs):
    if _is_article(sender) and instance.live:
        from .footprint import story_urls

        _purge_after_commit(instance.pk, extra=story_urls(instance))
