"""Pages that gather stories: by author and by tag."""

from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from taggit.models import Tag

from dateline.news.models import Author
from dateline.news.pages import live_articles, paginate

from .models import Topic
from .related import related_topics, topic_story_ids


def author_page(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    stories = paginate(request, live_articles().filter(article_authors__author=author))
    return TemplateResponse(
        request,
        "topics/author_page.html",
        {
            "author": author,
            "stories": stories,
            "feed_kind": "author",
            "feed_slug": slug,
            "feed_title": author.name,
        },
    )


def tag_page(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    stories = paginate(request, live_articles().filter(tags__slug=slug))
    return TemplateResponse(
        request,
        "topics/tag_page.html",
        {
            "tag": tag,
            "stories": stories,
            "feed_kind": "tag",
            "feed_slug": slug,
            "feed_title": tag.name,
        },
    )


class _TopicStories:
    """A topic's stories for the paginator: counted and sliced through the topic index."""

    def __init__(self, topic):
        self.ids = topic_story_ids(topic)

    def count(self) -> int:
        return self.ids.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window):
        ids = list(self.ids[window])
        pages = live_articles().in_bulk(ids)
        return [pages[pk] for pk in ids if pk in pages]


def topic_page(request, slug):
    topic = get_object_or_404(Topic.objects.select_related("image"), slug=slug)
    stories = paginate(request, _TopicStories(topic))
    return TemplateResponse(
        request,
        "topics/topic_page.html",
        {
            "topic": topic,
            "stories": stories,
            "related_topics": related_topics(topic),
            "feed_kind": "topic",
            "feed_slug": slug,
            "feed_title": topic.name,
        },
    )
