from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "dateline.feeds"
    label = "feeds"
    verbose_name = "Distribution: feeds, sitemaps, structured data, content API"

    def ready(self):
        from . import signals  # noqa: F401  (keeps the sitemap month summaries right)
