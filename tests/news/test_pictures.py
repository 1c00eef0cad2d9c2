"""Pictures as a reader's browser gets them: modern formats with a JPEG fallback, sizes to choose from,
their box known before they arrive, the lead loaded first and the rest only when scrolled to."""

import re

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from dateline.demo.topics import load_topics
from dateline.wire.importer import import_story
from dateline.wire.story import WireStory

pytestmark = pytest.mark.django_db


def widths(srcset: str) -> list[int]:
    return [int(w) for w in re.findall(r" (\d+)w", srcset)]


def test_the_lead_picture_comes_first_in_webp_with_a_jpeg_fallback(client, site):
    soup = BeautifulSoup(client.get(site.nato.url).content, "html.parser")
    figure = soup.select_one("figure.photo--lead")
    assert figure.find_next(id="story") is not None, "the lead picture is above the body"
    sources = {source["type"]: source for source in figure.select("picture source")}
    assert list(sources) == ["image/webp"]  # browsers that cannot show WebP take the JPEG
    img = figure.select_one("picture img")
    for candidate in (*sources.values(), img):
        assert widths(candidate["srcset"]) == [480, 800, 1200]
        assert candidate["sizes"].endswith("calc(100vw - 2rem)")
    assert img["src"].endswith((".jpg", ".jpeg"))
    assert int(img["width"]) > 0 and int(img["height"]) > 0  # its box is kept before it loads: no shift
    assert img["fetchpriority"] == "high" and not img.has_attr("loading")
    assert img["alt"] == ""  # the caption beside it says what it shows
    assert figure.select_one(".photo__caption").get_text() == "A Patriot missile battery on exercise."
    for url in (img["src"], *(c.split()[0] for s in sources.values() for c in s["srcset"].split(","))):
        response = client.get(url.strip())
        assert response.status_code == 200, url
    webp = client.get(sources["image/webp"]["srcset"].split(",")[0].split()[0])
    data = b"".join(webp.streaming_content) if webp.streaming else webp.content
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"  # a WebP file, not a JPEG under another name


def test_a_picture_in_the_body_loads_when_scrolled_to(client, site):
    nato = site.nato
    nato.body.append(("photo", {"image": nato.lead_image, "caption": "The battery at dusk.", "credit": "Test"}))
    nato.save_revision().publish()
    soup = BeautifulSoup(client.get(nato.url).content, "html.parser")
    body_img = soup.select_one("#story figure.photo picture img")
    assert body_img["loading"] == "lazy" and not body_img.has_attr("fetchpriority")
    assert int(body_img["width"]) > 0 and int(body_img["height"]) > 0
    assert soup.select("figure.photo--lead img")[0]["fetchpriority"] == "high"


def test_a_picture_with_no_caption_is_named_by_its_title(client, site):
    image = site.nato.lead_image
    image.caption = ""
    image.save()
    nato = site.nato
    nato.lead_caption = ""
    nato.save_revision().publish()
    img = BeautifulSoup(client.get(nato.url).content, "html.parser").select_one("figure.photo--lead img")
    assert img["alt"] == image.title


def thumbnail(item) -> dict:
    """What a list item's thumbnail gives the browser: its JPEG's attributes (empty when it has none)."""
    img = item.select_one(".teaser__picture picture img")
    return {} if img is None else {k: img.get(k) for k in ("alt", "loading", "width", "height", "src")}


def test_search_results_show_a_thumbnail_of_a_story_with_a_picture(client, site):
    soup = BeautifulSoup(client.get("/search/", {"q": "Croft"}).content, "html.parser")
    hits = {item.select_one(".teaser__headline a").get_text(): item for item in soup.select(".search-hits > li")}
    assert site.nato.title in hits and site.markets.title in hits, list(hits)
    pictured = thumbnail(hits[site.nato.title])
    assert pictured["alt"] == "" and pictured["loading"] == "lazy"  # decorative, and below the fold on a phone
    assert int(pictured["width"]) and int(pictured["height"])
    assert client.get(pictured["src"]).status_code == 200
    assert thumbnail(hits[site.markets.title]) == {}  # no picture: no empty box either
    assert not hits[site.markets.title].select(".teaser__picture")


def test_related_stories_show_a_thumbnail_of_a_story_with_a_picture(client, site):
    load_topics()  # topics are found in a story's text when it is published
    site.nato.save_revision().publish()
    turkey = WireStory(
        guid="urn:test:turkey-asks",
        headline="Turkey asks allies for air defences",
        paragraphs=("Turkey asked NATO for missile batteries on its border.",),
        source_format="test",
        published=timezone.now().replace(microsecond=0),
    )
    page = import_story(turkey, section="world").page
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    related = {item.select_one("a").get_text(): item for item in soup.select(".related__list > li")}
    assert site.nato.title in related, list(related)
    pictured = thumbnail(related[site.nato.title])
    assert pictured["alt"] == "" and pictured["loading"] == "lazy"
    assert client.get(pictured["src"]).status_code == 200
