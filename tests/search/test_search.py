"""/search/: relevance, filters, snippets, paging, suggestions, hostile queries, what is never found.

Runs on SQLite (FTS5) and, from `make test`, again on PostgreSQL (full-text search)."""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.utils import timezone

from dateline.news.models import HomePage, SectionPage
from dateline.wire.importer import import_story
from dateline.wire.story import WireStory

pytestmark = pytest.mark.django_db


def story(guid, headline, paragraphs, section="world", hours_ago=1, **fields):
    base = WireStory(
        guid=guid,
        headline=headline,
        paragraphs=tuple(paragraphs),
        source_format="test",
        published=timezone.now().replace(microsecond=0) - timedelta(hours=hours_ago),
    )
    return import_story(replace(base, **fields), section=section).page


@pytest.fixture
def archive(world):
    science = SectionPage(title="Science", slug="science")
    HomePage.objects.get().add_child(instance=science)
    science.save_revision().publish()
    pages = {
        "headline": story(
            "urn:q:1",
            "Comet hunters find forty new comets",
            ["Amateur astronomers reported the finds on Monday.", "The survey ran for a decade."],
            section="science",
            hours_ago=30,
            byline="By Ana Ruiz",
            authors=("Ana Ruiz",),
        ),
        "body": story(
            "urn:q:2",
            "Observatory opens to visitors",
            [
                "The observatory will open on weekends.",
                "Staff once spotted a comet from the roof.",
                "Tickets cost five euros.",
            ],
            hours_ago=2,
            byline="By Ben Okafor",
            authors=("Ben Okafor",),
        ),
        "other": story(
            "urn:q:3",
            "Harbour treaty signed",
            ["Storm warnings will be shared across the sea."],
            hours_ago=5,
            dateline="VELMORA",
        ),
    }
    hidden = [
        story(
            "urn:q:4",
            "Comet embargoed story",
            ["A comet story under embargo."],
            embargo=timezone.now() + timedelta(days=1),
        ),
        story("urn:q:5", "Comet withdrawn story", ["A comet story withdrawn."]),
    ]
    story("urn:q:5", "Comet withdrawn story", ["A comet story withdrawn."], version=2, pub_status="withdrawn")
    return pages, hidden


def results(client, **params):
    response = client.get("/search/", params)
    assert response.status_code in (200, 400), response.status_code
    soup = BeautifulSoup(response.content, "html.parser")
    return response, soup, [a.text for a in soup.select(".search-hits .teaser__headline a")]


def test_a_headline_match_ranks_above_a_single_body_mention(client, archive):
    _, soup, titles = results(client, q="comet")
    assert titles == ["Comet hunters find forty new comets", "Observatory opens to visitors"]
    assert soup.h2.text == "2 stories for “comet”"


def test_newest_first_when_asked(client, archive):
    _, _, titles = results(client, q="comet", sort="date")
    assert titles == ["Observatory opens to visitors", "Comet hunters find forty new comets"]


def test_byline_dateline_and_summary_are_searched(client, archive):
    assert results(client, q="Okafor")[2] == ["Observatory opens to visitors"]
    assert results(client, q="Velmora")[2] == ["Harbour treaty signed"]


def test_filters(client, archive):
    assert results(client, q="comet", section="science")[2] == ["Comet hunters find forty new comets"]
    assert results(client, q="comet", author="ben-okafor")[2] == ["Observatory opens to visitors"]
    today = timezone.localdate()
    assert (
        results(client, q="comet", date_from=today.isoformat())[2] == ["Observatory opens to visitors"]
        or timezone.localtime(timezone.now() - timedelta(hours=2)).date() != today
    )
    response, soup, titles = results(client, q="comet", date_from="2030-01-02", date_to="2030-01-01")
    assert response.status_code == 400 and "The end date is before the start date." in soup.text
    assert soup.select_one("#id_q")["value"] == "comet"  # what the reader typed is kept


def test_matches_are_marked_in_a_snippet(client, archive):
    _, soup, _ = results(client, q="comet roof")
    hit = soup.select(".search-hits li")[0]
    assert [m.text for m in hit.select("mark")] == ["comet", "roof"]
    assert "Staff once spotted a" in hit.select_one(".teaser__summary").text


def test_results_are_paged(client, world, monkeypatch):
    from dateline.search import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(5):
        story(f"urn:p:{n}", f"Ferry timetable change {n}", ["The ferry timetable changes."], hours_ago=n + 1)
    _, soup, titles = results(client, q="ferry", sort="date")
    assert titles == ["Ferry timetable change 0", "Ferry timetable change 1"]
    more = soup.select_one('.list-pager a[rel="next"]')["href"]
    assert "q=ferry" in more and "page=2" in more
    _, soup, titles = results(client, q="ferry", sort="date", page=3)
    assert titles == ["Ferry timetable change 4"]
    assert client.get("/search/", {"q": "ferry", "page": 9}).status_code == 404


def test_nothing_found_is_helpful(client, archive):
    _, soup, titles = results(client, q="commet")
    assert titles == [] and "No stories found" in soup.text
    assert soup.select_one(".search-results p a").text == "comet"  # did you mean


def test_drafts_embargoed_and_withdrawn_stories_are_never_found(client, archive):
    _, soup, titles = results(client, q="comet story")
    assert titles == []
    assert "embargoed" not in soup.select_one(".search-results").text.lower()


def test_the_index_follows_edits_and_unpublishing(client, archive):
    pages, _ = archive
    page = pages["other"].get_latest_revision_as_object()
    page.title = "Harbour treaty signed by five states"
    page.save_revision().publish()
    assert results(client, q="five states")[2] == ["Harbour treaty signed by five states"]
    page.unpublish()
    assert results(client, q="treaty")[2] == []


@pytest.mark.parametrize(
    "query",
    [
        '"unclosed quote',
        "comet AND",
        "OR OR OR",
        "NOT",
        "comet -roof",
        "comet*",
        "NEAR(comet roof)",
        "comet^2",
        "title:comet",
        "'; DROP TABLE wagtailcore_page; --",
        "%_%",
        "\\",
        "(",
        ")",
        "{}",
        "[]",
        ":",
        "东京 comet",
        "κομήτης",
        "😀",
        "comet " * 400,
        "x" * 2000,
        "\u0000comet",
        "comet\u202e",
    ],
)
def test_hostile_queries_never_break_the_page(client, archive, query):
    response, soup, _ = results(client, q=query)
    assert response.status_code in (200, 400)
    assert soup.select_one("#id_q") is not None
    if len(query) > 200:
        assert "cut to its first 200 characters" in soup.text


def test_an_empty_search_shows_the_form(client, archive):
    response, soup, titles = results(client)
    assert response.status_code == 200 and soup.select_one("#id_q") and titles == []


def test_which_database_answers(archive):
    """Recorded in the test log: the same tests pass on each engine make test runs them on."""
    assert connection.vendor in ("sqlite", "postgresql")


def test_search_results_carry_dates(client, archive):
    _, soup, _ = results(client, q="comet")
    stamp = soup.select_one(".search-hits time")["datetime"]
    assert datetime.fromisoformat(stamp).tzinfo is not None


@pytest.mark.parametrize("field, day", [("date_to", "9999-12-31"), ("date_from", "0001-01-01")])
def test_a_date_at_the_end_of_the_calendar_is_a_message_not_a_500(client, archive, field, day):
    response = client.get(f"/search/?q=nato&{field}={day}")
    assert response.status_code == 400
    assert "Enter a date from 0001-01-02 to 9998-12-31." in response.content.decode()


@pytest.mark.parametrize("page", ["9" * 40, "%C2%B2", "0002", "-1"])
def test_a_page_number_that_is_not_one_is_a_404(client, archive, page):
    assert client.get(f"/search/?q=nato&page={page}").status_code == 404


def test_results_are_private_to_the_reader(client, archive):
    assert client.get("/search/?q=nato")["Cache-Control"] == "private"


def test_searches_are_limited_per_client_with_retry_after(client, archive, settings):
    settings.DATELINE_SEARCH_RATE_LIMIT = 2
    answers = [client.get("/search/?q=nato", REMOTE_ADDR="2001:db8:5:6::1").status_code for _ in range(2)]
    refused = client.get("/search/?q=turkey", REMOTE_ADDR="2001:db8:5:6::99")  # the same /64
    assert answers == [200, 200] and refused.status_code == 429
    assert int(refused["Retry-After"]) > 0 and "Too many requests" in refused.content.decode()
    assert client.get("/search/?q=nato", REMOTE_ADDR="2001:db8:5:7::1").status_code == 200


def test_a_page_of_hits_and_how_many_there_are_is_one_read_of_the_index(client, archive):
    """On SQLite the reader's page and the number of hits come from one statement (search/engine.py);
    Wagtail's PostgreSQL backend counts and pages in two."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as done:
        answer = client.get("/search/", {"q": "comet"})
    assert answer.status_code == 200 and "Comet hunters find forty new comets" in answer.content.decode()
    reads = [q["sql"] for q in done.captured_queries if "wagtailsearch_indexentry" in q["sql"]]
    assert len(reads) == 1, reads


def test_a_word_in_very_many_stories_lists_the_newest_best_first_and_says_so(client, world, monkeypatch):
    """By relevance only the newest engine.RANKED matches are ranked (the cost of ranking every match
    of a common word grows with the archive); the reader is told, and "Newest first" lists them all."""
    from dateline.search import engine, views

    monkeypatch.setattr(engine, "RANKED", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(5):  # oldest first, as an archive arrives
        story(f"urn:r:{n}", f"Harbour report {n}", ["The harbour reopened after the storm."], hours_ago=10 - n)
    story("urn:r:title", "Harbour harbour harbour", ["The harbour, the harbour again."], hours_ago=20)
    _, soup, first = results(client, q="harbour")
    assert soup.h2.text == "More than 3 stories for “harbour”"
    assert "best match first" in soup.select_one(".search-notice").text
    _, _, second = results(client, q="harbour", page=2)
    assert sorted(first + second) == ["Harbour harbour harbour", "Harbour report 3", "Harbour report 4"]
    assert first[0] == "Harbour harbour harbour"  # the best match among the newest comes first
    assert client.get("/search/", {"q": "harbour", "page": 3}).status_code == 404
    _, soup, titles = results(client, q="harbour", sort="date")
    assert soup.h2.text == "6 stories for “harbour”"
    assert titles == ["Harbour report 4", "Harbour report 3"]
    monkeypatch.setattr(engine, "RANKED", 5)  # as many matches as are ranked: all listed, counted exactly
    _, soup, titles = results(client, q="storm")
    assert soup.h2.text == "5 stories for “storm”" and soup.select_one(".search-notice") is None


def test_a_word_in_very_many_stories_newest_first_reads_the_newest_stories(client, world, monkeypatch):
    """By date, a word with more index entries than engine.SCAN_FROM is looked for in the newest stories
    first: the newest engine.RANKED matching stories, exactly, however many others match."""
    from dateline.search import engine

    monkeypatch.setattr(engine, "RANKED", 3)
    monkeypatch.setattr(engine, "SCAN_FROM", 1)
    for n in range(5):  # published in an order other than their import's
        story(f"urn:d:{n}", f"Harbour report {n}", ["The harbour reopened."], hours_ago=[3, 1, 5, 2, 4][n])
    story("urn:d:other", "Airport report", ["The runway reopened."], hours_ago=0)
    story("urn:d:gone", "Harbour report killed", ["The harbour closed."], hours_ago=0)
    story(
        "urn:d:gone", "Harbour report killed", ["The harbour closed."], hours_ago=0, version=2, pub_status="withdrawn"
    )
    _, soup, titles = results(client, q="harbour", sort="date")
    assert titles == ["Harbour report 1", "Harbour report 3", "Harbour report 0"]
    assert soup.h2.text == "More than 3 stories for “harbour”"
    assert "newest first" in soup.select_one(".search-notice").text
    _, _, titles = results(client, q="harbour", sort="date", section="world", date_to=str(timezone.localdate()))
    assert titles == ["Harbour report 1", "Harbour report 3", "Harbour report 0"]
    _, soup, titles = results(client, q="runway", sort="date")  # one match: counted exactly
    assert titles == ["Airport report"] and soup.h2.text == "1 story for “runway”"
