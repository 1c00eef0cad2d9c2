"""Stories and topics that go together, read from StoryTopic with bounded, indexed queries.

Each query reads at most a fixed number of a topic's newest stories, so its cost does not
grow with the archive.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, prefetch_related_objects
from django.utils import timezone

from dateline.news.pages import live_articles

from .models import StoryTopic, Topic

CANDIDATES_PER_TOPIC = 200
RELATED_LIMIT = 5
RECENCY_DAYS = 30.0


def page_topics(page) -> list[Topic]:
    return list(Topic.objects.filter(story_topics__page_id=page.pk).order_by("name"))


def related_stories(page, limit: int = RELATED_LIMIT) -> list:
    """Up to ``limit`` live stories sharing the most topics with ``page``, newer ones first among equals.

    Score: shared topics x 1 / (1 + age in days / 30). Never the story itself, never an unpublished one.
    """
    mine = list(StoryTopic.objects.filter(page_id=page.pk).values_list("topic_id", flat=True))
    if not mine:
        return []
    shared: Counter[int] = Counter()
    published = {}
    for topic in mine:
        rows = (
            StoryTopic.objects.filter(topic_id=topic)
            .exclude(page_id=page.pk)
            .order_by("-published_at", "-page_id")
            .values_list("page_id", "published_at")[:CANDIDATES_PER_TOPIC]
        )
        for page_id, when in rows:
            shared[page_id] += 1
            published[page_id] = when
    now = timezone.now()

    def score(page_id: int) -> tuple[float, object]:
        age_days = max((now - published[page_id]).total_seconds(), 0) / 86400
        return shared[page_id] / (1 + age_days / RECENCY_DAYS), published[page_id]

    ranked = sorted(shared, key=score, reverse=True)[: limit * 3]
    pages = {p.pk: p for p in live_articles().filter(pk__in=ranked)}
    chosen = [pages[pk] for pk in ranked if pk in pages][:limit]
    prefetch_related_objects([p.lead_image for p in chosen if p.lead_image], "renditions")  # their thumbnails
    return chosen


def topic_story_ids(topic: Topic):
    return (
        StoryTopic.objects.filter(topic=topic).order_by("-published_at", "-page_id").values_list("page_id", flat=True)
    )


def related_topics(topic: Topic, limit: int = 8) -> list[tuple[Topic, int]]:
    """Topics named most often in the same stories as ``topic`` (among its newest stories)."""
    recent = list(topic_story_ids(topic)[:500])
    rows = (
        StoryTopic.objects.filter(page_id__in=recent)
        .exclude(topic=topic)
        .values("topic")
        .annotate(n=Count("page"))
        .order_by("-n", "topic")[:limit]
    )  # ties by id: the same list every time
    topics = Topic.objects.in_bulk([row["topic"] for row in rows])
    return [(topics[row["topic"]], row["n"]) for row in rows if row["topic"] in topics]
