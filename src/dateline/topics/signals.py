"""A topic added, changed or deleted: every process rebuilds its matcher before it tags again.

Tagging a story when it is published is a step of the story pipeline (publishing/pipeline.py).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Topic
from .tagging import topics_changed


@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Topic)
def new_topic_list(sender, **kwargs):
    topics_changed()
