"""RSS, Atom and JSON Feed, read back by a real feed parser."""

import json

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.test import override_settings

from tests.feeds.conftest import HIDDEN

pytestmark = pytest.mark.django_db

SCOPES = {  # address part -> the stories (newest first) that feed must list
    "": [
        "NATO set to approve Patriots for Turkey",
        "Ferry services resume after storm",
        "Markets close higher on trade hopes",
    ],
    "section/world/": ["NATO set to approve Patriots for Turkey", "Ferry services resume after storm"],
    "author/adrian-croft/": ["NATO set to approve Patriots for Turkey", "Markets close higher on trade hopes"],
    "tag/turkey/": ["NATO set to approve Patriots for Turkey", "Markets close higher on trade hopes"],
}


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return response, parsed


@pytest.mark.parametrize("fmt, mime", [("rss", "application/rss+xml"), ("atom", "application/atom+xml")])
@pytest.mark.parametrize("scope", SCOPES)
def test_xml_feeds_list_the_right_stories_with_every_field(client, site, scope, fmt, mime):
    response, parsed = read_feed(client, f"/feeds/{scope}{fmt}/")
    assert response["Content-Type"].startswith(mime)
    assert [entry.title for entry in parsed.entries] == SCOPES[scope]
    for entry in parsed.entries:
        assert entry.link.startswith("http://127.0.0.1:8000/") and entry.id
        assert entry.author and entry.published_parsed and entry.get("updated")
        assert entry.summary.startswith("Summary of ")
        assert "Second paragraph, with <b>bold</b> words." in entry.content[0].value
        assert {tag.term for tag in entry.tags} >= {"World"} or {tag.term for tag in entry.tags} >= {"Business"}


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_the_lead_photo_travels_as_enclosure_and_media(client, site, fmt):
    _, parsed = read_feed(client, f"/feeds/section/world/{fmt}/")
    nato = parsed.entries[0]
    assert nato.id == "urn:newsml:example.com:20121202:nato-patriot"
    assert nato.author == "Adrian Croft"
    enclosure = nato.enclosures[0]
    assert enclosure.href.startswith("http://127.0.0.1:8000/media/images/patriot") and enclosure.type == "image/jpeg"
    assert int(enclosure.length) > 1000
    assert nato.media_content[0]["url"] == enclosure.href
    assert nato.media_credit[0]["content"] == "REUTERS/Test Photographer"
    assert "BRUSSELS (Reuters) - First paragraph" in nato.content[0].value
    assert "A Patriot missile battery on exercise." in nato.content[0].value
    assert {tag.term for tag in nato.tags} == {"World", "NATO", "Turkey"}
    assert nato.updated_parsed > nato.published_parsed  # version 2 came an hour later


@pytest.mark.parametrize("scope", SCOPES)
def test_json_feed(client, site, scope):
    response = client.get(f"/feeds/{scope}json/")
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == f"http://127.0.0.1:8000/feeds/{scope}json/"
    assert [item["title"] for item in feed["items"]] == SCOPES[scope]
    for item in feed["items"]:
        assert {
            "id",
            "url",
            "title",
            "summary",
            "content_html",
            "date_published",
            "date_modified",
            "authors",
            "tags",
        } <= set(item)
    if scope == "section/world/":
        nato = feed["items"][0]
        assert nato["authors"] == [{"name": "Adrian Croft", "url": "http://127.0.0.1:8000/authors/adrian-croft/"}]
        assert nato["image"].startswith("http://127.0.0.1:8000/media/images/patriot")


@override_settings(DATELINE_FEED_FULL_TEXT=False)
def test_summary_only_feeds(client, site):
    for fmt in ("rss", "atom"):
        _, parsed = read_feed(client, f"/feeds/{fmt}/")
        for entry in parsed.entries:
            assert entry.summary.startswith("Summary of ")
            assert all("Second paragraph" not in content.value for content in entry.get("content", []))
    assert b"content:encoded" not in client.get("/feeds/rss/").content
    assert "content_html" not in json.loads(client.get("/feeds/json/").content)["items"][0]


@pytest.mark.parametrize("fmt", ["rss", "atom", "json"])
def test_embargoed_withdrawn_and_draft_stories_are_never_in_a_feed(client, site, fmt):
    for scope in ["", "section/world/", "author/adrian-croft/", "tag/nato/"]:
        body = client.get(f"/feeds/{scope}{fmt}/").content.decode()
        for headline in HIDDEN:
            assert headline not in body, (scope, headline)


def test_conditional_get(client, site):
    first = client.get("/feeds/rss/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/feeds/rss/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get("/feeds/atom/", HTTP_IF_NONE_MATCH=etag).status_code == 200  # another document
    site.staff.save_revision().publish()  # an edit republishes a listed story
    changed = client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_unknown_lists_are_404(client, site):
    for url in ("/feeds/section/sport/rss/", "/feeds/author/nobody/atom/", "/feeds/tag/nothing/json/"):
        assert client.get(url).status_code == 404


def test_pages_link_their_feeds(client, site):
    def alternates(url):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        return [(link["type"], link["href"]) for link in soup.select('link[rel="alternate"]')]

    home = alternates("/")
    assert ("application/rss+xml", "/feeds/rss/") in home and ("application/feed+json", "/feeds/json/") in home
    section = alternates(site.world.url)
    assert ("application/atom+xml", "/feeds/section/world/atom/") in section and (
        "application/rss+xml",
        "/feeds/rss/",
    ) in section
    assert ("application/rss+xml", "/feeds/section/world/rss/") in alternates(site.nato.url)
    assert ("application/rss+xml", "/feeds/author/adrian-croft/rss/") in alternates("/authors/adrian-croft/")
    assert ("application/json", "x") not in home
    titles = [
        link["title"]
        for link in BeautifulSoup(client.get(site.world.url).content, "html.parser").select('link[rel="alternate"]')
    ]
    assert "Dateline: World (RSS)" in titles
