"""Tag a story whenever it is published (by an editor, the importer or the scheduler); untag it when it leaves."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .tagging import tag_story, untag_story


@receiver(page_published)
def tag_on_publish(sender, instance, **kwargs):
    # Wagtail sends page_published for a scheduled (embargoed) publish too: tag only what is live.
    if sender.__name__ == "ArticlePage":
        tag_story(instance) if instance.live else untag_story(instance)


@receiver(page_unpublished)
def untag_on_unpublish(sender, instance, **kwargs):
    if sender.__name__ == "ArticlePage":
        untag_story(instance)
