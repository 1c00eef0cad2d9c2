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


@receiver(page_published)
@receiver(page_unpublished)
def story_changed(sender, instance, signal, **kwargs):
    if _is_article(sender):
        page_id, taken_down = instance.pk, signal is page_unpublished
        refresh.mark_pending(page_id)
        transaction.on_commit(lambda: refresh.story(page_id, taken_down=taken_down), robust=True)
    elif sender.__name__ in ("SectionPage", "HomePage"):
        url = instance.url
        if url:
            transaction.on_commit(lambda: refresh.addresses([url]), robust=True)


@receiver(post_page_move)
def story_moved(sender, instance, **kwargs):
    """A moved story has new addresses and a new section (its footprint keeps the old ones)."""
    if _is_article(sender):
        page_id = instance.pk
        refresh.mark_pending(page_id)
        transaction.on_commit(lambda: refresh.story(page_id), robust=True)


@receiver(post_delete)
def story_deleted(sender, instance, **kwargs):
    if _is_article(sender) and instance.live:
        from .footprint import story_urls

        page_id, own = instance.pk, story_urls(instance)
        refresh.mark_pending(page_id)
        transaction.on_commit(lambda: refresh.story(page_id, extra=own), robust=True)
