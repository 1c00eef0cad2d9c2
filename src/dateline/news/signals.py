"""Every publish or unpublish starts a new publish generation (see generation.py); moved stories
change section."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from .generation import bump_generation


@receiver(page_published)
@receiver(page_unpublished)
def new_generation(sender, **kwargs):
    bump_generation()


@receiver(post_page_move)
def keep_section(sender, instance, parent_page_after, **kwargs):
    """A story moved to another section is listed there from now on."""
    if sender.__name__ == "ArticlePage":
        sender.objects.filter(pk=instance.pk).update(section_page_id=parent_page_after.pk)
