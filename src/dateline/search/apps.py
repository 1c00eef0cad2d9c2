from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "dateline.search"
    label = "dateline_search"  # "search" is taken by wagtail.search
    verbose_name = "Search"
