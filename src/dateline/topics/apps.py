from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "dateline.topics"
    label = "topics"
    verbose_name = "Topics, authors and tags"
