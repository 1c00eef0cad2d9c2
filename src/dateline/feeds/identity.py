"""A story's identity outside the site: its agency guid, or a Dateline URN for home-grown stories."""

from __future__ import annotations

import re

from dateline.news.models import ArticlePage

OWN_URN = re.compile(r"^urn:dateline:story:(\d+)$")


def story_uri(page: ArticlePage) -> str:
    return page.source_guid or f"urn:dateline:story:{page.pk}"


def find_story(uri: str, queryset):
    """The story with this uri within queryset, or None."""
    match = OWN_URN.match(uri)
    if match:
        return queryset.filter(pk=int(match[1]), source_guid="").first()
    return queryset.filter(source_guid=uri).first() if uri else None
