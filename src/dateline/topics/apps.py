from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "dateline.topics"
    label = "topics"
    verbose_name = "Topics, authors and tags"

    def ready(self):
        from . import signals  # noqa: F401  (a changed topic list rebuilds the matcher)
