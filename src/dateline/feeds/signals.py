"""Keep derived lists honest: any publish or unpublish starts a new sitemap generation."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .sitemaps import bump_generation


@receiver(page_published)
@receiver(page_unpublished)
def new_generation(sender, **kwargs):
    bump_generation()
