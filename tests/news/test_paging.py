"""Paging: editors' breaks and the word budget, page URLs, single and print views."""

from dataclasses import dataclass
from datetime import UTC

import pytest
from bs4 import BeautifulSoup

from dateline.news.paging import split_pages


@dataclass
class B:
    kind: str
    words: int = 0


def pages_of(blocks, budget=350):
    pages = split_pages(blocks, budget, lambda b: b.words, lambda b: b.kind == "break")
    return [[b.words for b in page] for page in pages]


class TestSplitPages:
    def test_short_story_is_one_page(self):
        assert pages_of([B("p", 40)] * 8) == [[40] * 8]

    def test_seed_sized_page_one_fits_the_default_budget(self):
        # The seed's captured page 1 holds 324 words: under the 350-word default, one page.
        assert len(pages_of([B("p", 40)] * 8 + [B("p", 4)])) == 1

    def test_breaks_at_a_paragraph_boundary_before_passing_the_budget(self):
        assert pages_of([B("p", 100)] * 5, budget=250) == [[100, 100], [100, 100], [100]]

    def test_editor_break_forces_a_new_page(self):
        assert pages_of([B("p", 10), B("break"), B("p", 10)]) == [[10], [10]]

    def test_break_at_start_end_or_doubled_makes_no_empty_page(self):
        assert pages_of([B("break"), B("p", 10), B("break"), B("break"), B("p", 5), B("break")]) == [[10], [5]]

    def test_overlong_paragraph_gets_a_page_of_its_own(self):
        assert pages_of([B("p", 10), B("p", 500), B("p", 10)]) == [[10], [500], [10]]

    def test_photos_stay_with_the_text_before_them(self):
        blocks = [B("p", 200), B("photo"), B("p", 200)]
        assert pages_of(blocks) == [[200, 0], [200]]

    def test_empty_body_is_one_empty_page(self):
        assert pages_of([]) == [[]]


@pytest.fixture
def long_story(world):
    """A story of 12 paragraphs of 60 words: 720 words, three pages at 350."""
    from datetime import datetime

    from dateline.wire.importer import import_story
    from dateline.wire.story import WireStory

    paragraphs = tuple(f"Paragraph {i} " + " ".join(["word"] * 58) for i in range(1, 13))
    return import_story(
        WireStory(
            guid="long-1",
            headline="A long story",
            published=datetime(2026, 1, 5, 12, tzinfo=UTC),
            paragraphs=paragraphs,
            dateline="LONDON",
            agency="Dateline",
            byline="By A Writer",
            authors=("A Writer",),
        ),
        section="world",
    ).page


def paragraph_numbers(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [int(p.get_text().split("Paragraph ")[1].split()[0]) for p in soup.select("#story > p")]


@pytest.mark.django_db
class TestStoryPages:
    def test_page_one_has_continued_link_to_page_two(self, client, long_story):
        response = client.get(long_story.url)
        soup = BeautifulSoup(response.content, "html.parser")
        assert paragraph_numbers(response) == [1, 2, 3, 4, 5]
        continued = soup.find("a", string="Continued...")
        assert continued["href"] == long_story.url + "page/2/"
        assert soup.select_one("link[rel=next]")["href"] == long_story.url + "page/2/"
        assert soup.select_one("link[rel=prev]") is None

    def test_page_two_and_back(self, client, long_story):
        response = client.get(long_story.url + "page/2/")
        assert response.status_code == 200
        soup = BeautifulSoup(response.content, "html.parser")
        assert paragraph_numbers(response) == [6, 7, 8, 9, 10]
        assert soup.find("a", string="Previous page")["href"] == long_story.url
        assert soup.select_one("link[rel=prev]")["href"] == long_story.url
        assert soup.select_one("link[rel=canonical]")["href"].endswith(long_story.url + "page/2/")
        # The dateline leads the story's first paragraph, not every page's.
        assert "LONDON" not in soup.select_one("#story").get_text()

    def test_last_page_has_no_continued(self, client, long_story):
        response = client.get(long_story.url + "page/3/")
        assert paragraph_numbers(response) == [11, 12]
        assert BeautifulSoup(response.content, "html.parser").find("a", string="Continued...") is None

    def test_out_of_range_pages_are_404(self, client, long_story):
        assert client.get(long_story.url + "page/99/").status_code == 404
        assert client.get(long_story.url + "page/0/").status_code == 404

    def test_a_page_number_has_one_spelling_so_a_cache_keeps_one_copy(self, client, long_story):
        for spelling in ("0002", "02", "00000000000000000002", "9" * 5000, "%C2%B2"):
            assert client.get(f"{long_story.url}page/{spelling}/").status_code == 404, spelling[:20]

    def test_page_one_by_number_redirects_to_the_story(self, client, long_story):
        response = client.get(long_story.url + "page/1/")
        assert response.status_code == 301 and response["Location"] == long_story.url

    def test_single_page_shows_every_paragraph(self, client, long_story):
        response = client.get(long_story.url + "single/")
        assert paragraph_numbers(response) == list(range(1, 13))
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.find("a", string="Continued...") is None
        assert soup.select_one("#story > p").get_text().startswith("LONDON (Dateline) - Paragraph 1")

    def test_print_view_is_the_whole_story_without_chrome(self, client, long_story):
        response = client.get(long_story.url + "print/")
        soup = BeautifulSoup(response.content, "html.parser")
        assert len(soup.select(".story__body > p")) == 12
        assert soup.select_one(".toolbar") is None
        assert soup.select_one(".site-header") is None and soup.select_one("nav") is None
        assert soup.select_one(".story__byline").get_text() == "By A Writer"
        assert soup.select_one('link[rel=stylesheet][href*="print.css"]') is not None

    def test_article_pages_carry_the_print_stylesheet(self, client, long_story):
        soup = BeautifulSoup(client.get(long_story.url).content, "html.parser")
        assert soup.select_one('link[rel=stylesheet][media=print][href*="print.css"]') is not None

    def test_editor_page_break(self, client, long_story):
        body = list(long_story.body.raw_data)
        body.insert(1, {"type": "page_break", "value": None})
        long_story.body = body
        long_story.save_revision().publish()
        assert paragraph_numbers(client.get(long_story.url)) == [1]
        assert paragraph_numbers(client.get(long_story.url + "page/2/"))[0] == 2
