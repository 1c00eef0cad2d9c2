"""Which stories an output lists: the whole site, a section, an author or a tag.

Every output format reads pages through here, so drafts, embargoed (scheduled) and withdrawn
stories, which are never live, are left out of all of them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from taggit.models import Tag

from dateline import addresses
from dateline.news.identity import site_name
from dateline.news.models import Author, SectionPage
from dateline.news.pages import live_articles, section_articles

FEED_SIZE = 50


@dataclass(frozen=True)
class Scope:
    kind: str  # site, section, author or tag
    slug: str
    title: str  # e.g. "Dateline: World"
    html_url: str  # the page a person reads the same list on
    stories: QuerySet

    def newest(self, count: int = FEED_SIZE) -> QuerySet:
        return self.stories[:count]


def author_url(author: Author) -> str:
    return addresses.author(author.slug)


def tag_url(slug: str) -> str:
    return addresses.tag(slug)


def scope_for(kind: str, slug: str = "") -> Scope:
    """The list a feed covers; Http404 when the section, author or tag does not exist."""
    name = site_name()
    if kind == "site":
        return Scope("site", "", name, "/", live_articles())
    if kind == "section":
        section = SectionPage.objects.live().public().filter(slug=slug).first()
        if section is None:
            raise Http404(f"No section {slug!r}")
        return Scope("section", slug, f"{name}: {section.title}", section.url, section_articles(section))
    if kind == "author":
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            raise Http404(f"No author {slug!r}")
        return Scope(
            "author",
            slug,
            f"{name}: {author.name}",
            author_url(author),
            live_articles().filter(article_authors__author=author),
        )
    if kind == "tag":
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            raise Http404(f"No tag {slug!r}")
        return Scope("tag", slug, f"{name}: {tag.name}", tag_url(slug), live_articles().filter(tags__slug=slug))
    if kind == "topic":
        from dateline.topics.models import Topic
        from dateline.topics.related import topic_story_ids

        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            raise Http404(f"No topic {slug!r}")
        newest = list(topic_story_ids(topic)[:FEED_SIZE])
        return Scope("topic", slug, f"{name}: {topic.name}", topic.url, live_articles().filter(pk__in=newest))
    raise Http404(f"No feeds for {kind!r}")
