"""A live story's page and the address its readers poll, through the page cache (issue 20): kept,
answered 304 when nothing is new, and purged exactly when an update is posted, edited or deleted."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from dateline.news.live import LiveUpdate
from tests.publishing.test_pagecache import publish_edit

pytestmark = pytest.mark.django_db


def _post(story, text: str, capture) -> LiveUpdate:
    with capture(execute=True):
        return LiveUpdate.objects.create(
            article=story, body=json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"}])
        )


@pytest.fixture
def live(site, django_capture_on_commit_callbacks):
    return publish_edit(site.nato, django_capture_on_commit_callbacks, live_since=timezone.now())


def test_a_poll_with_nothing_new_is_a_hit_and_a_304(reader, live, django_capture_on_commit_callbacks):
    first = _post(live, "Warning raised to red.", django_capture_on_commit_callbacks)
    poll = f"{live.url}updates/?after={first.pk}"
    fresh = reader.get(poll)
    again = reader.get(poll)
    assert (fresh.status, fresh.cache, again.cache) == (200, "miss", "hit")
    assert f'data-latest="{first.pk}"' in again.text
    unchanged = reader.get(poll, if_none_match=again.headers["etag"])
    assert (unchanged.status, unchanged.body) == (304, b"")
    # other spellings of the query are answered by Django, never kept
    assert reader.get(f"{live.url}updates/?after=0{first.pk}").status == 400
    assert reader.get(f"{live.url}updates/?after={first.pk}&x=1").cache is None


def test_posting_editing_and_deleting_an_update_purge_the_page_and_every_poll(
    reader, live, django_capture_on_commit_callbacks
):
    first = _post(live, "Warning raised to red.", django_capture_on_commit_callbacks)
    poll = f"{live.url}updates/?after={first.pk}"
    feed = f"/feeds/live/{live.pk}/rss/"
    for url in (poll, live.url, feed):
        reader.get(url)
        assert reader.get(url).cache == "hit", url

    second = _post(live, "Ferries halted.", django_capture_on_commit_callbacks)
    answer = reader.get(poll)
    assert answer.cache == "miss" and "Ferries halted." in answer.text  # the next poll has it
    assert "Ferries halted." in reader.get(live.url).text
    assert "Ferries halted." in reader.get(feed).text

    with django_capture_on_commit_callbacks(execute=True):
        second.body = json.dumps([{"type": "paragraph", "value": "<p>Ferries halted until 7am.</p>"}])
        second.save()
    assert "Ferries halted until 7am." in reader.get(live.url).text
    own = f"{live.url}updates/{second.pk}/"
    assert reader.get(own).status == 200 and reader.get(own).cache == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    page = reader.get(live.url)
    assert page.cache == "miss" and "Ferries halted" not in page.text  # no stale copy of a deleted update
    assert "Ferries halted" not in reader.get(poll).text
    assert "Ferries halted" not in reader.get(feed).text
    assert reader.get(own).status == 404


def test_a_killed_live_story_leaves_no_copy_of_any_update_page(reader, live, django_capture_on_commit_callbacks):
    first = _post(live, "Warning raised to red.", django_capture_on_commit_callbacks)
    own = f"{live.url}updates/{first.pk}/"
    for url in (own, live.url, f"{live.url}updates/?after=0"):
        reader.get(url)
        assert reader.get(url).cache == "hit", url
    with django_capture_on_commit_callbacks(execute=True):
        live.unpublish()  # what a kill does to the page
    for url in (own, live.url, f"{live.url}updates/?after=0"):
        assert reader.get(url).status == 404, url


def test_a_running_live_page_makes_browsers_ask_again_and_an_ended_one_does_not(
    reader, live, site, django_capture_on_commit_callbacks, settings
):
    reader.get(live.url)
    kept = reader.get(live.url)
    assert kept.cache == "hit"
    assert kept.headers["cache-control"].startswith("public, max-age=0, s-maxage=")  # a reload revalidates
    assert reader.get(live.url, if_none_match=kept.headers["etag"]).status == 304
    assert (
        reader.get(f"{live.url}print/")
        .headers["cache-control"]
        .startswith(f"public, max-age={settings.DATELINE_BROWSER_MAX_AGE}, ")
    )

    ended = publish_edit(live, django_capture_on_commit_callbacks, live_until=timezone.now())
    reader.get(ended.url)
    assert (
        reader.get(ended.url)
        .headers["cache-control"]
        .startswith(f"public, max-age={settings.DATELINE_BROWSER_MAX_AGE}, ")
    )


def test_the_newest_updates_without_a_query_are_kept_and_purged_like_the_page(
    reader, live, django_capture_on_commit_callbacks
):
    """What live.js polls: one answer for every reader (static publishing writes it as a file)."""
    first = _post(live, "Warning raised to red.", django_capture_on_commit_callbacks)
    poll = f"{live.url}updates/"
    reader.get(poll)
    kept = reader.get(poll)
    assert kept.cache == "hit" and f'id="update-{first.pk}"' in kept.text
    version = kept.text.split(f'id="update-{first.pk}"', 1)[1].split('data-version="', 1)[1].split('"', 1)[0]

    with django_capture_on_commit_callbacks(execute=True):
        first.body = json.dumps([{"type": "paragraph", "value": "<p>Warning raised to amber.</p>"}])
        first.save()
    edited = reader.get(poll)
    assert edited.cache == "miss" and "Warning raised to amber." in edited.text
    assert f'data-version="{version}"' not in edited.text  # the open pages see it changed

    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert f'id="update-{first.pk}"' not in reader.get(poll).text
