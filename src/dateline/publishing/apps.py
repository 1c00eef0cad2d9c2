from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "dateline.publishing"
    label = "publishing"
    verbose_name = "Publishing: page cache, static files, CDN purges"

    def ready(self):
        from . import pipeline

        pipeline.connect()  # the story pipeline: tag, bookkeeping, owe the purge, purge after commit
