"""Topics: the people, organisations, places and subjects stories name.

Editors keep the list (Snippets > Topics). Each published story's topics are found
automatically on import and on every publish (see tagging.py) and kept in StoryTopic, which
holds live stories only; an editor's own choice on a story ("about", "not about") lives in
the page's revisions (TopicChoice) and always wins.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from dateline import addresses
from dateline.news.snippets import unique_slug

VAGUE_START = re.compile(r"^(the|a|an|this|that|our|their)\s", re.IGNORECASE)


class Topic(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"
        PLACE = "place", "Place"
        SUBJECT = "subject", "Subject"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SUBJECT)
    aliases = models.TextField(
        blank=True,
        help_text='Other names stories use, one a line, written as they appear ("NATO", "North Atlantic Treaty '
        'Organization"). Capitals count: "US" never matches "us". A vague phrase such as "the alliance" '
        "is no alias.",
    )
    description = models.TextField(blank=True)
    image = models.ForeignKey("news.NewsImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("aliases"),
        FieldPanel("description"),
        FieldPanel("image"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.SearchField("aliases")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Topic, self.name, max_length=110, fallback="topic")
        super().save(*args, **kwargs)

    @property
    def url(self) -> str:
        return addresses.topic(self.slug)

    def alias_list(self) -> list[str]:
        """The name and every alias, each once."""
        names = [self.name] + [line.strip() for line in self.aliases.splitlines()]
        return list(dict.fromkeys(name for name in names if name))

    def clean(self):
        super().clean()
        for alias in self.alias_list():
            if VAGUE_START.match(alias) and alias == alias.lower():
                raise ValidationError(
                    {
                        "aliases": f'"{alias}" is too vague to be an alias: it would tag stories '
                        "that do not name the topic."
                    }
                )
            if len(alias) < 2:
                raise ValidationError({"aliases": f'"{alias}" is too short to be an alias.'})


register_snippet(Topic)


class TopicChoice(Orderable):
    """An editor's word on one story: it is also about this topic, or it is not (whatever its text says)."""

    class Choice(models.TextChoices):
        ADD = "add", "About this topic"
        REMOVE = "remove", "Not about this topic"

    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="topic_choices")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices, default=Choice.ADD)

    panels = [FieldPanel("topic"), FieldPanel("choice")]


class StoryTopic(models.Model):
    """A topic a story is about: found in its text (auto) or chosen by an editor."""

    page = models.ForeignKey("news.ArticlePage", on_delete=models.CASCADE, related_name="story_topics")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="story_topics")
    auto = models.BooleanField(default=True, help_text="Found in the text (not chosen by an editor).")
    published_at = models.DateTimeField(
        help_text="The story's time stamp, so a topic's newest stories are one index read."
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["page", "topic"], name="unique_story_topic")]
        indexes = [models.Index(fields=["topic", "-published_at"], name="story_topic_newest")]

    def __str__(self) -> str:
        return f"{self.topic_id} in {self.page_id}"
