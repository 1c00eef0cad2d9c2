"""Tag stories with the topics they name: on import and on every publish.

A story's topics are those its headline, dateline and body name (the matcher), plus those an
editor added, minus those an editor removed; the result is written to StoryTopic, the table
topic pages and related stories read.
"""

from __future__ import annotations

import threading
import time

from django.core.cache import cache
from django.db import transaction

from dateline.news.formatting import plain_text

from .matcher import TopicMatcher
from .models import StoryTopic, Topic, TopicChoice

_cache = threading.local()


TOPICS_VERSION_KEY = "dateline:topics-version"


def topics_changed() -> None:
    """A topic was added, changed or deleted: every process rebuilds its matcher before tagging again."""
    cache.set(TOPICS_VERSION_KEY, time.time_ns(), timeout=None)


def matcher() -> TopicMatcher:
    """The matcher for the current topic list, rebuilt only when a topic changes (one cache read a call)."""
    version = cache.get_or_set(TOPICS_VERSION_KEY, time.time_ns(), timeout=None)
    if getattr(_cache, "version", None) != version:
        _cache.matcher = TopicMatcher(
            (topic.pk, topic.alias_list()) for topic in Topic.objects.only("pk", "name", "aliases")
        )
        _cache.version = version
    return _cache.matcher


def story_text(page) -> str:
    parts = [page.title, page.dateline]
    for block in page.body:
        if block.block_type == "paragraph":
            parts.append(plain_text(block.value.source))
        elif block.block_type == "quote":
            parts.append(block.value["quote"])
    return "\n".join(part for part in parts if part)


def topics_for(page, found: set[int] | None = None) -> dict[int, bool]:
    """{topic id: found in the text?} for a story, editors' choices applied."""
    found = matcher().find(story_text(page)) if found is None else found
    choices = {choice.topic_id: choice.choice for choice in page.topic_choices.all()}
    added = {topic for topic, choice in choices.items() if choice == TopicChoice.Choice.ADD}
    removed = {topic for topic, choice in choices.items() if choice == TopicChoice.Choice.REMOVE}
    return {topic: topic in found for topic in (found | added) - removed}


def tag_story(page) -> dict[int, bool]:
    """Write the (published) story's topics; returns them."""
    wanted = topics_for(page)
    published = page.published_at or page.first_published_at
    with transaction.atomic():
        StoryTopic.objects.filter(page_id=page.pk).delete()
        StoryTopic.objects.bulk_create(
            [
                StoryTopic(page_id=page.pk, topic_id=topic, auto=auto, published_at=published)
                for topic, auto in wanted.items()
            ]
        )
    return wanted


def tag_new_stories(pages) -> dict[int, dict[int, bool]]:
    """``tag_story`` for many new (published) stories with no topics yet: one insert. Returns their topics."""
    names = matcher()  # read once for them all
    found = {page.pk: topics_for(page, names.find(story_text(page))) for page in pages}
    StoryTopic.objects.bulk_create(
        [
            StoryTopic(
                page_id=page.pk, topic_id=topic, auto=auto, published_at=page.published_at or page.first_published_at
            )
            for page in pages
            for topic, auto in found[page.pk].items()
        ]
    )
    return found


def untag_story(page) -> None:
    """A story off the site is on no topic's list."""
    StoryTopic.objects.filter(page_id=page.pk).delete()
