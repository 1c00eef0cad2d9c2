"""The imported seed story as a reader sees it: everything the capture shows, in its order."""

import re
from datetime import UTC
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from dateline.wire.parsers import plaintext

pytestmark = pytest.mark.django_db

TOOLBAR_LABELS = [
    "Email This Article",
    "Share This Article",
    "Facebook",
    "LinkedIn",
    "Twitter",
    "Print This Article",
    "Single Page",
    "[-]",
    "Text",
    "[+]",
]


def visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "head"]):
        tag.decompose()
    return re.sub(r"\s+", " ", soup.get_text(" "))


@pytest.fixture
def response(client, seed_page):
    return client.get(seed_page.url)


def test_url_is_section_then_slug(seed_page):
    assert seed_page.url == "/world/nato-aims-to-repair-russia-ties-despite-patriot-row/"


def test_everything_the_capture_shows_in_its_order(response, seed_text):
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    story = plaintext.parse(seed_text)
    expected_in_order = (
        [story.headline, "Sun Dec 2, 2012 10:12am EST"]
        + TOOLBAR_LABELS
        + ["By Adrian Croft"]
        # The lead photo at the top of the story, as news sites place it (the capture shows it after
        # the body, where its page's layout put a sidebar): below the byline, above the first paragraph.
        + [story.photos[0].caption, "REUTERS/Thierry Roge"]
        + ["BRUSSELS (Reuters) - NATO foreign ministers, meeting"]
        + [BeautifulSoup(p, "html.parser").get_text()[:60] for p in story.paragraphs[1:]]
    )
    position = 0
    for fragment in expected_in_order:
        found = text.find(fragment, position)
        assert found != -1, f"{fragment!r} missing or out of order after position {position}"
        position = found + len(fragment)


def test_all_eight_paragraphs_in_the_body(response):
    soup = BeautifulSoup(response.content, "html.parser")
    paragraphs = soup.select("#story > p")
    assert len(paragraphs) == 8
    assert paragraphs[0].get_text().startswith("BRUSSELS (Reuters) - NATO foreign ministers")
    assert paragraphs[-1].get_text().endswith("bring an end to the war in Syria.")


def test_time_stamp_is_machine_readable(response):
    soup = BeautifulSoup(response.content, "html.parser")
    time = soup.select_one(".story__time time")
    assert time.get_text() == "Sun Dec 2, 2012 10:12am EST"
    assert time["datetime"] == "2012-12-02T10:12:00-05:00"


def test_photo_without_file_is_its_caption_and_credit_alone_above_the_body(response):
    soup = BeautifulSoup(response.content, "html.parser")
    figure = soup.select_one("figure.photo")
    assert figure.select_one("img, picture") is None
    assert "Photo not available" not in soup.get_text()  # no empty box standing in for the picture
    assert figure.select_one(".photo__caption").get_text().startswith("A woman walks past the NATO logo")
    assert figure.select_one(".photo__credit").get_text() == "REUTERS/Thierry Roge"
    assert figure.find_next(id="story") is not None  # before the body, not after it
    assert figure.find_parent("header") is None


def test_share_links_are_exact(response, settings):
    soup = BeautifulSoup(response.content, "html.parser")
    url = settings.DATELINE_SITE_URL + "/world/nato-aims-to-repair-russia-ties-despite-patriot-row/"
    encoded = "http%3A%2F%2F127.0.0.1%3A8000%2Fworld%2Fnato-aims-to-repair-russia-ties-despite-patriot-row%2F"
    headline = "NATO%20aims%20to%20repair%20Russia%20ties%20despite%20Patriot%20row"
    links = {a.get_text(strip=True).split("(")[0].strip(): a for a in soup.select(".toolbar__networks a")}
    assert links["Facebook"]["href"] == f"https://www.facebook.com/sharer/sharer.php?u={encoded}"
    assert (
        links["LinkedIn"]["href"] == f"https://www.linkedin.com/shareArticle?mini=true&url={encoded}&title={headline}"
    )
    assert links["Twitter"]["href"] == f"https://twitter.com/intent/tweet?url={encoded}&text={headline}"
    for a in links.values():
        assert "noopener" in a["rel"]
        assert parse_qs(urlsplit(a["href"]).query).get("u", parse_qs(urlsplit(a["href"]).query).get("url")) == [url]


def test_toolbar_links_lead_to_the_reader_views(response, client, seed_page):
    soup = BeautifulSoup(response.content, "html.parser")
    toolbar = {a.get_text(strip=True): a["href"] for a in soup.select(".toolbar a")}
    assert toolbar["Email This Article"] == seed_page.url + "email/"
    assert toolbar["Print This Article"] == seed_page.url + "print/"
    assert toolbar["Single Page"] == seed_page.url + "single/"
    for href in (toolbar["Email This Article"], toolbar["Print This Article"], toolbar["Single Page"]):
        assert client.get(href).status_code == 200


def test_text_size_controls_are_named_and_hidden_without_javascript(response):
    soup = BeautifulSoup(response.content, "html.parser")
    controls = soup.select_one("[data-text-size-controls]")
    assert controls.has_attr("hidden")
    labels = [b["aria-label"] for b in controls.select("button")]
    assert labels == ["Smaller text", "Larger text"]


def test_no_inline_scripts_and_a_strict_csp(response):
    csp = response.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", csp).group(1)
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    soup = BeautifulSoup(response.content, "html.parser")
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            continue  # structured data: never executed, so CSP does not apply to it
        assert script.get("src"), "inline script found"
        assert not script.string
    assert not soup.select("[onclick], [onload], [style]")


def test_canonical_url(response, settings, seed_page):
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("link[rel=canonical]")["href"] == settings.DATELINE_SITE_URL + seed_page.url


def test_headline_is_escaped(client, world):
    from datetime import datetime

    from dateline.wire.importer import import_story
    from dateline.wire.story import WireStory

    page = import_story(
        WireStory(
            guid="x-1",
            headline='<b>Bold</b> & "quoted"',
            published=datetime(2020, 1, 1, tzinfo=UTC),
            paragraphs=("Text.",),
        ),
        section="world",
    ).page
    html = client.get(page.url).content.decode()
    assert "<b>Bold</b>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp;" in html


def test_the_byline_links_each_author_to_their_page(response, client, seed_page):
    byline = BeautifulSoup(response.content, "html.parser").select_one(".story__byline")
    assert byline.get_text() == "By Adrian Croft"
    link = byline.select_one('a[rel="author"]')
    assert link.get_text() == "Adrian Croft"
    author_page = client.get(link["href"])
    assert author_page.status_code == 200 and seed_page.title in author_page.content.decode()


def test_several_authors_are_linked_and_joined_as_a_byline_reads(client, seed_page):
    from dateline.news.models import ArticleAuthor, Author

    for n, name in enumerate(["Sabine Siebold", "Lesley Wroughton"], start=1):
        ArticleAuthor.objects.create(page=seed_page, author=Author.objects.create(name=name), sort_order=n)
    seed_page.save_revision().publish()
    byline = BeautifulSoup(client.get(seed_page.url).content, "html.parser").select_one(".story__byline")
    assert byline.get_text() == "By Adrian Croft, Sabine Siebold and Lesley Wroughton"
    assert [a.get_text() for a in byline.select("a")] == ["Adrian Croft", "Sabine Siebold", "Lesley Wroughton"]


def test_a_written_summary_stands_under_the_headline_and_one_taken_from_the_body_does_not(client, world):
    from datetime import datetime

    from dateline.wire.importer import import_story
    from dateline.wire.story import WireStory

    def header(page) -> list[tuple[str, str]]:
        soup = BeautifulSoup(client.get(page.url).content, "html.parser")
        return [(tag["class"][0], tag.get_text(" ", strip=True)) for tag in soup.select(".story__header > *")]

    lead = "Ministers agreed on Tuesday to open the northern rail line to freight by 2029, ending a decade of delay."
    subtitled = import_story(
        WireStory(
            guid="urn:test:standfirst-1",
            headline="Northern line to carry freight by 2029",
            subheadline="A decade-old plan wins its last vote; shippers welcome it, towns along the route do not.",
            published=datetime(2026, 11, 3, 9, tzinfo=UTC),
            paragraphs=(lead, "The vote was 14 to 3."),
        ),
        section="world",
    ).page
    order = [name for name, _ in header(subtitled)]
    assert order[:3] == ["story__section", "story__headline", "story__standfirst"], order
    assert order.index("story__standfirst") < order.index("story__time")
    assert dict(header(subtitled))["story__standfirst"] == (
        "A decade-old plan wins its last vote; shippers welcome it, towns along the route do not."
    )

    plain = import_story(
        WireStory(
            guid="urn:test:standfirst-2",
            headline="Northern line vote",
            published=datetime(2026, 11, 3, 9, tzinfo=UTC),
            paragraphs=(lead * 4, "The vote was 14 to 3."),  # its summary is this paragraph's start, cut short
        ),
        section="world",
    ).page
    assert plain.summary.endswith("…")
    assert "story__standfirst" not in dict(header(plain))  # the reader is about to read it

    plain.summary = 'Freight & "passengers" on the same line: Köln-style timetables.'  # an editor writes one
    plain.save_revision().publish()
    assert dict(header(plain))["story__standfirst"] == plain.summary  # escaped once: read as written
