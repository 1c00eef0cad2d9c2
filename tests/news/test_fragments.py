"""Pages rendered from kept fragments: few queries, and never an answer older than the last publish."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from dateline.news.models import ArticlePage, SectionPage
from tests.publishing.test_pagecache import publish_edit as publish

MAX_QUERIES = 6  # issue 17: an uncached article, front or list page, once its fragments are kept


@pytest.mark.parametrize(
    "address",
    [
        lambda site: site.nato.url,
        lambda site: f"{site.nato.url}single/",
        lambda site: f"{site.nato.url}print/",
        lambda site: "/",
        lambda site: site.world.url,
        lambda site: "/authors/adrian-croft/",
        lambda site: "/search/?q=patriots",
        lambda site: "/api/ninjs/items/",
    ],
    ids=["article", "single", "print", "home", "section", "author", "search", "api-list"],
)
def test_pages_render_with_few_queries_once_their_fragments_are_kept(
    site, client, address, django_assert_max_num_queries
):
    path = address(site)
    first = client.get(path)
    assert first.status_code == 200, path
    with django_assert_max_num_queries(MAX_QUERIES):
        again = client.get(path)
    assert again.status_code == 200 and again.content == first.content


def test_a_publish_is_on_the_story_page_at_the_next_request(site, client, django_capture_on_commit_callbacks):
    assert "NATO set to approve Patriots" in client.get(site.nato.url).text
    publish(site.nato, django_capture_on_commit_callbacks, title="NATO approves Patriot batteries")
    page = client.get(site.nato.url).text
    assert "NATO approves Patriot batteries" in page and "NATO set to approve Patriots" not in page


def test_another_story_published_changes_the_lists_and_menus_that_show_it(
    site, client, django_capture_on_commit_callbacks
):
    for path in ("/", site.world.url, site.nato.url):
        assert client.get(path).status_code == 200  # every fragment kept
    publish(site.staff, django_capture_on_commit_callbacks, title="Ferries run again after the storm")
    assert "Ferries run again after the storm" in client.get("/").text
    assert "Ferries run again after the storm" in client.get(site.world.url).text

    sport = SectionPage(title="Sport", slug="sport")
    site.world.get_parent().add_child(instance=sport)
    with django_capture_on_commit_callbacks(execute=True):
        sport.save_revision().publish()
    menu = client.get(site.nato.url).text
    assert 'href="/sport/"' in menu


def test_a_story_taken_down_is_gone_at_once_though_its_fragments_were_kept(
    site, client, django_capture_on_commit_callbacks
):
    assert client.get(site.nato.url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=site.nato.pk).unpublish()
    assert client.get(site.nato.url).status_code == 404
    assert client.get(f"{site.nato.url}single/").status_code == 404
    assert "NATO set to approve Patriots" not in client.get(site.world.url).text


def test_a_view_restriction_applies_at_once_to_pages_already_rendered(site, client):
    assert client.get(site.nato.url).status_code == 200
    restriction = PageViewRestriction.objects.create(page=site.world, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.get_or_create(name="Subscribers")[0])
    answer = client.get(site.nato.url)
    assert answer.status_code == 302 and "login" in answer["Location"]
    assert "NATO set to approve Patriots" not in client.get("/").text  # nor listed on the front
    restriction.delete()
    assert client.get(site.nato.url).status_code == 200


def test_a_preview_shows_the_draft_not_the_kept_story(site, client):
    assert "NATO set to approve Patriots" in client.get(site.nato.url).text
    draft = site.nato.get_latest_revision_as_object()
    draft.title = "A draft headline nobody has published"
    preview = draft.make_preview_request()
    assert "A draft headline nobody has published" in preview.render().content.decode()
    assert "A draft headline nobody has published" not in client.get(site.nato.url).text


def test_search_results_and_the_api_list_show_a_story_as_last_published(
    site, client, django_capture_on_commit_callbacks
):
    assert "NATO set to approve Patriots" in client.get("/search/?q=patriots").text
    assert "NATO set to approve Patriots" in client.get("/api/ninjs/items/").text
    publish(site.nato, django_capture_on_commit_callbacks, title="NATO approves Patriots for the border")
    assert "NATO approves Patriots for the border" in client.get("/search/?q=patriots").text
    listed = client.get("/api/ninjs/items/").text
    assert "NATO approves Patriots for the border" in listed and "NATO set to approve Patriots" not in listed


def test_a_moved_story_is_listed_with_its_new_address(site, client, django_capture_on_commit_callbacks):
    assert f'href="{site.nato.url}"' in client.get("/").text  # its teaser kept
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=site.nato.pk).move(SectionPage.objects.get(pk=site.business.pk), pos="last-child")
    moved = ArticlePage.objects.get(pk=site.nato.pk)
    assert moved.url.startswith("/business/")
    front = client.get("/").text
    assert f'href="{moved.url}"' in front and f'href="{site.nato.url}"' not in front
    assert client.get(moved.url).status_code == 200
    old = client.get(site.nato.url)  # the old address sends readers on, as Wagtail's redirects do
    assert (old.status_code, old["Location"]) == (301, moved.url)
