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


HEADLINE = 'Bakery workers buy Hollis & Daughters <Ltd> for "a song" in Zürich'


@pytest.fixture
def zurich(world):
    story = WireStory(
        guid="urn:test:zurich",
        headline=HEADLINE,
        paragraphs=(FIRST, "Die Öfen bleiben in Zürich."),
        source_format="test",
        published=timezone.now().replace(microsecond=0) - timedelta(minutes=30),
    )
    return import_story(replace(story, agency="Meridian Press"), section="world").page


@pytest.mark.parametrize("address", ["/feeds/rss/", "/feeds/atom/", "/feeds/section/world/rss/"])
def test_xml_feeds_give_a_feed_reader_the_text_once(client, zurich, address):
    import feedparser

    parsed = feedparser.parse(client.get(address).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    entry = next(e for e in parsed.entries if "Zürich" in e.title)
    assert entry.title == HEADLINE  # what a feed reader shows: every character, none of them an entity
    shown = BeautifulSoup(entry.summary, "html.parser").get_text()  # the summary is HTML to a feed reader
    assert 'Hollis & Daughters, a bakery, bought it <cheaply> for "a song".' in shown


def test_the_json_feed_and_the_api_carry_the_text_once(client, zurich):
    feed = json.loads(client.get("/feeds/json/").content)
    item = next(i for i in feed["items"] if "Zürich" in i["title"])
    assert item["title"] == HEADLINE
    listing = json.loads(client.get("/api/ninjs/items/").content)
    story = next(i for i in listing["items"] if "Zürich" in i["headlines"][0]["value"])
    assert story["headlines"][0]["value"] == HEADLINE
    summary = 'The 38 employees of Hollis & Daughters, a bakery, bought it <cheaply> for "a song".'
    assert story["descriptions"] == [{"role": "summary", "value": summary, "contenttype": "text/plain"}]
    assert item["summary"] == summary  # JSON Feed's summary is plain text
    body = BeautifulSoup(story["bodies"][0]["value"], "html.parser").get_text(" ")  # text/html: escaped once
    assert 'Hollis & Daughters, a bakery, bought it <cheaply> for "a song".' in body and "Zürich" in body


def test_email_this_article_carries_the_text_once(client, zurich, outbox):
    from email import message_from_bytes, policy

    sender = {"recipients": "ana@example.org", "sender_name": "Chris <Reader> & Co", "sender_email": "c@example.com"}
    response = client.post(zurich.url + "email/", {**sender, "note": 'Look: "Öfen" & <ovens>', "website": ""})
    assert response.status_code == 302
    (path,) = sorted(outbox.glob("*.eml"))
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["Subject"].endswith(HEADLINE)
    text = message.get_body(("plain",)).get_content()  # plain text: no entity at all
    assert HEADLINE in text and 'Hollis & Daughters, a bakery, bought it <cheaply> for "a song".' in text
    assert 'Look: "Öfen" & <ovens>' in text and "&amp;" not in text and "&lt;" not in text
    shown = BeautifulSoup(message.get_body(("html",)).get_content(), "html.parser").get_text(" ")
    assert HEADLINE in shown and 'Look: "Öfen" & <ovens>' in shown and "<cheaply>" in shown
    assert "Chris <Reader> & Co" in text + shown
