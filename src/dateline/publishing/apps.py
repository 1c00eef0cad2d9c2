from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "dateline.publishing"
    label = "publishing"
    verbose_name = "Publishing: page cache, static files, CDN purges"

    def ready(self):
        from . import signals  # noqa: F401  (purges what a publish changes, after the commit)
