"""A story's text is escaped once, wherever it is shown: an agency's "Hollis &amp; Daughters" (inline
HTML, as parsers deliver paragraphs) reads "Hollis & Daughters" on every page, in every meta tag and
in the JSON-LD, and never "&amp;" (issue 18's text errors)."""

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from dateline.wire.importer import import_story
from dateline.wire.story import WireStory

pytestmark = pytest.mark.django_db

FIRST = "The 38 employees of Hollis &amp; Daughters, a bakery, bought it &lt;cheaply&gt; for &quot;a song&quot;."


@pytest.fixture
def bakery(world):
    story = WireStory(
        guid="urn:test:bakery",
        headline="Bakery workers buy Hollis & Daughters",
        paragraphs=(FIRST, "The ovens stay in Eastmoor."),
        source_format="test",
        published=timezone.now().replace(microsecond=0) - timedelta(hours=1),
    )
    return import_story(replace(story, agency="Meridian Press"), section="world").page


def test_the_summary_made_from_the_first_paragraph_is_plain_text(bakery):
    assert bakery.summary.startswith(
        'The 38 employees of Hollis & Daughters, a bakery, bought it <cheaply> for "a song"'
    )


@pytest.mark.parametrize("address", ["/", "/world/", "/search/?q=bakery"])
def test_lists_and_search_show_the_text_once_escaped(client, bakery, address):
    page = client.get(address).content.decode()
    assert "&amp;amp;" not in page and "&amp;lt;" not in page and "&amp;quot;" not in page
    text = BeautifulSoup(page, "html.parser").get_text(" ")
    assert "Hollis & Daughters" in text and "Hollis &amp; Daughters" not in text
    assert "<cheaply>" in text


def test_meta_tags_and_json_ld_carry_the_text_once(client, bakery):
    soup = BeautifulSoup(client.get(bakery.url).content.decode(), "html.parser")
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert "Hollis & Daughters" in description and "&amp;" not in description
    open_graph = soup.find_all("meta", attrs={"property": lambda value: value and value.startswith("og:")})
    assert any("Hollis & Daughters" in tag["content"] for tag in open_graph)
    for tag in open_graph:
        assert "&amp;" not in tag["content"] and "&lt;" not in tag["content"], tag
    scripts = soup.find_all("script", type="application/ld+json")
    assert scripts
    for script in scripts:
        data = json.dumps(json.loads(script.string))
        assert "&amp;" not in data and "\\u0026amp;" not in data, data
        assert "Hollis & Daughters" in data
