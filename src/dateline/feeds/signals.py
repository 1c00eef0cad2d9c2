"""A story published, changed or unpublished: its month's sitemap summary is counted again."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .sitemaps import forget_month


@receiver(page_published)
@receiver(page_unpublished)
def forget_sitemap_month(sender, instance, **kwargs):
    if sender.__name__ == "ArticlePage":
        forget_month(instance.published_at)
