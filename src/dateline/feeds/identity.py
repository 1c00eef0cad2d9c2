"""A story's identity outside the site: its agency guid, or a Dateline URN for home-grown stories."""

from __future__ import annotations

import re

from dateline.inputs import database_id
from dateline.news.models import ArticlePage

MAX_GUID = 255  # longer than any stored guid: not looked up

OWN_URN = re.compile(r"^urn:dateline:story:(\d+)$")


def story_uri(page: ArticlePage) -> str:
    return page.source_guid or f"urn:dateline:story:{page.pk}"


def find_story(uri: str, queryset):
    """The story with this uri within queryset, or None."""
    match = OWN_URN.match(uri)
    if match:
        pk = database_id(match[1])
        return None if pk is None else queryset.filter(pk=pk, source_guid="").first()
    if not uri or len(uri) > MAX_GUID:
        return None
    return queryset.filter(source_guid=uri).first()
