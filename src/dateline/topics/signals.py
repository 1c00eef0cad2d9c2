"""Tag a story whenever it is published (by an editor, the importer or the scheduler); untag it when it leaves."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .models import Topic
from .tagging import tag_story, topics_changed, untag_story


@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Topic)
def new_topic_list(sender, **kwargs):
    topics_changed()


@receiver(page_published)
def tag_on_publish(sender, instance, **kwargs):
    # Wagtail sends page_published for a scheduled (embargoed) publish too: tag only what is live.
    if sender.__name__ == "ArticlePage":
        tag_story(instance) if instance.live else untag_story(instance)


@receiver(page_unpublished)
def untag_on_unpublish(sender, instance, **kwargs):
    if sender.__name__ == "ArticlePage":
        untag_story(instance)
