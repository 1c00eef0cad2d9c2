"""Live coverage (issue 20): a story run as live updates, what readers see with and without
JavaScript, the address its pages poll, its LiveBlogPosting data, and the admin's live desk."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import PageLogEntry

from dateline.news.live import POLL_UPDATES, LiveUpdate
from dateline.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def _text(text: str) -> str:
    return json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"}])


@pytest.fixture
def live_story(world, django_capture_on_commit_callbacks):
    started = timezone.now() - timedelta(hours=2)
    story = ArticlePage(
        title="Storm reaches the coast: live",
        slug="storm-live",
        summary="Ferries halted as the storm comes ashore.",
        body=_text("The storm is crossing the coast."),
        live_since=started,
        key_points="Ferries halted\nSchools closed tomorrow",
    )
    world.add_child(instance=story)
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    story.refresh_from_db()
    return story


def post(story, text: str, minutes: int, **fields) -> LiveUpdate:
    return LiveUpdate.objects.create(
        article=story, body=_text(text), posted_at=story.live_since + timedelta(minutes=minutes), **fields
    )


def shown_updates(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [item.select_one(".live-update__body").get_text(" ", strip=True) for item in soup.select("li.live-update")]


# The model ------------------------------------------------------------------------------------


def test_pinning_an_update_unpins_the_others_and_an_edit_is_marked(live_story):
    first = post(live_story, "Warning raised to red.", 5, pinned=True)
    second = post(live_story, "Leave the cliff road by 6pm.", 10)
    second.pinned = True
    second.save(update_fields=["pinned"])
    first.refresh_from_db()
    assert not first.pinned and second.pinned
    assert second.edited_at is None  # pinning is not an edit
    second.body = _text("Leave the cliff road by 5pm.")
    second.save()
    assert second.edited_at is not None


# The page -------------------------------------------------------------------------------------


def test_the_page_shows_key_points_then_the_pinned_update_then_the_newest(client, live_story):
    post(live_story, "Warning raised to red.", 5)
    post(live_story, "Leave the cliff road by 6pm.", 10, pinned=True)
    newest = post(live_story, "Gust of 131 km/h measured.", 20)
    html = client.get(live_story.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert [li.get_text(strip=True) for li in soup.select(".live__key-points li")] == [
        "Ferries halted",
        "Schools closed tomorrow",
    ]
    assert shown_updates(html) == [
        "Leave the cliff road by 6pm.",
        "Gust of 131 km/h measured.",
        "Warning raised to red.",
    ]
    assert "Pinned" in soup.select_one("li.live-update--pinned").get_text()
    # each update has its anchor and its own address, and a time readers can read
    item = soup.select_one(f"#update-{newest.pk}")
    assert item.select_one("a.live-update__time")["href"] == f"{live_story.url}updates/{newest.pk}/"
    assert datetime.fromisoformat(item.select_one("time")["datetime"]) == newest.posted_at
    # without JavaScript: a link that reloads; with it, the script (a file: the CSP allows no inline script)
    assert soup.select_one(".live__refresh a")["href"] == live_story.url
    assert soup.select_one("script[src*='news/js/live.js']") is not None
    assert not [s for s in soup.select("script") if s.string and s.get("type") != "application/ld+json"]
    notice = soup.select_one(".live__notice")
    assert notice["aria-live"] == "polite" and notice["role"] == "status"
    assert soup.select_one("[data-live-latest]")["data-live-latest"] == str(newest.pk)


def test_an_edited_update_says_so_and_an_ended_coverage_stops_asking(
    client, live_story, django_capture_on_commit_callbacks
):
    update = post(live_story, "Gust of 131 km/h.", 5)
    update.body = _text("Gust of 133 km/h.")
    update.save()
    soup = BeautifulSoup(client.get(live_story.url).content, "html.parser")
    assert "Edited" in soup.select_one(f"#update-{update.pk} .live-update__edited").get_text()

    draft = live_story.get_latest_revision_as_object()
    draft.live_until = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        draft.save_revision().publish()
    soup = BeautifulSoup(client.get(live_story.url).content, "html.parser")
    assert soup.select_one("#live-heading").get_text(strip=True) == "Live coverage has ended"
    assert soup.select_one("script[src*='news/js/live.js']") is None and soup.select_one(".live__refresh") is None
    assert shown_updates(str(soup)) == ["Gust of 133 km/h."]  # kept as an archived page


def test_an_ordinary_story_has_no_live_section_or_update_addresses(client, seed_page):
    assert b'class="live"' not in client.get(seed_page.url).content
    assert client.get(f"{seed_page.url}updates/").status_code == 404
    assert client.get(f"{seed_page.url}updates/1/").status_code == 404


def test_an_update_has_a_page_of_its_own(client, live_story, seed_page):
    update = post(live_story, "Ferries halted until tomorrow.", 5, headline="Ferries halted")
    response = client.get(f"{live_story.url}updates/{update.pk}/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200 and soup.h1.get_text(strip=True) == "Ferries halted"
    assert soup.select_one("link[rel=canonical]")["href"].endswith(f"{live_story.url}updates/{update.pk}/")
    assert client.get(f"{live_story.url}updates/{update.pk + 1}/").status_code == 404


# The polling address -----------------------------------------------------------------------------


def test_a_poll_returns_the_updates_after_the_one_the_reader_has(client, live_story):
    older = post(live_story, "Warning raised to red.", 5)
    middle = post(live_story, "Ferries halted.", 10)
    newest = post(live_story, "Power cut in the north.", 15)
    answer = client.get(f"{live_story.url}updates/?after={older.pk}")
    soup = BeautifulSoup(answer.content, "html.parser")
    assert answer.status_code == 200
    assert shown_updates(answer.content.decode()) == ["Power cut in the north.", "Ferries halted."]
    assert soup.select_one(".live-poll")["data-latest"] == str(newest.pk)
    nothing = BeautifulSoup(client.get(f"{live_story.url}updates/?after={newest.pk}").content, "html.parser")
    assert nothing.select("li") == [] and nothing.select_one(".live-poll")["data-latest"] == str(newest.pk)
    assert len(shown_updates(client.get(f"{live_story.url}updates/?after=0").content.decode())) == 3
    assert middle.pk in (older.pk + 1, older.pk + 2)


def test_a_poll_after_a_long_absence_says_there_is_more_than_it_returns(client, live_story):
    for minute in range(POLL_UPDATES + 2):
        post(live_story, f"Update number {minute}.", minute)
    soup = BeautifulSoup(client.get(f"{live_story.url}updates/?after=0").content, "html.parser")
    assert len(soup.select("li.live-update")) == POLL_UPDATES and soup.select_one(".live-poll")["data-more"] == "true"


@pytest.mark.parametrize("after", ["abc", "-1", "01", "1.5", "²", "9" * 40, "", "1 OR 1=1"])
def test_a_bad_after_is_a_400_that_says_why(client, live_story, after):
    answer = client.get(f"{live_story.url}updates/", {"after": after})
    assert answer.status_code == 400
    assert "is not an update number" in answer.content.decode()


def test_the_live_story_is_listed_like_any_story_in_its_section_the_news_sitemap_and_the_api(client, live_story):
    assert live_story.url in client.get("/world/").content.decode()
    assert live_story.url in client.get("/").content.decode()
    assert f"{live_story.url}</loc>" in client.get("/sitemap-news.xml").content.decode()
    listed = client.get("/api/ninjs/items/").json()["items"]
    assert "Storm reaches the coast: live" in [item["headlines"][0]["value"] for item in listed]


# Search ---------------------------------------------------------------------------------------


def test_site_search_finds_the_story_by_what_an_update_says_until_the_update_is_deleted(
    client, live_story, django_capture_on_commit_callbacks
):
    def results(query: str) -> list[tuple[str, str]]:
        soup = BeautifulSoup(client.get("/search/", {"q": query}).content, "html.parser")
        return [
            (item.select_one("a").get_text(strip=True), item.get_text(" ", strip=True))
            for item in soup.select("ol.search-hits > li")
        ]

    assert results("Zeebrugge") == []
    with django_capture_on_commit_callbacks(execute=True):
        update = post(live_story, "The ferry from Zeebrugge turned back at the harbour mouth.", 20)
    found = results("Zeebrugge")
    assert [headline for headline, _ in found] == ["Storm reaches the coast: live"]
    assert "ferry from Zeebrugge turned back" in found[0][1]  # the snippet is cut from the update

    with django_capture_on_commit_callbacks(execute=True):
        update.delete()
    assert results("Zeebrugge") == []  # a deleted update's words find nothing


# Its feeds ------------------------------------------------------------------------------------


def test_the_story_has_a_feed_of_its_updates_in_each_format(client, live_story, seed_page):
    import xml.etree.ElementTree as ET

    first = post(live_story, "Warning raised to red.", 5, headline="Red warning")
    second = post(live_story, "Ferries halted until tomorrow.", 10)
    soup = BeautifulSoup(client.get(live_story.url).content, "html.parser")
    rss_url = soup.select_one(".live__feed a")["href"]
    assert rss_url == f"/feeds/live/{live_story.pk}/rss/"
    channel = ET.fromstring(client.get(rss_url).content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Ferries halted until tomorrow.", "Red warning"]
    assert items[0].findtext("guid").endswith(f"{live_story.url}updates/{second.pk}/")
    assert items[1].findtext("link").endswith(f"{live_story.url}#update-{first.pk}")
    document = json.loads(client.get(f"/feeds/live/{live_story.pk}/json/").content)
    assert [item["title"] for item in document["items"]] == ["Ferries halted until tomorrow.", "Red warning"]
    assert "Warning raised to red." in document["items"][1]["content_html"]
    assert client.get(f"/feeds/live/{live_story.pk}/atom/").status_code == 200
    assert client.get(f"/feeds/live/{seed_page.pk}/rss/").status_code == 404  # not live coverage


def test_the_content_api_carries_the_updates_as_the_body_newest_first(client, live_story):
    from dateline.feeds.identity import story_uri

    post(live_story, "Warning raised to red.", 5)
    newest = post(live_story, "Ferries halted.", 10)
    response = client.get(f"/api/ninjs/items/{story_uri(live_story)}")
    assert response.status_code == 200
    document = response.json()
    body = document["bodies"][0]["value"]
    assert body.index("The storm is crossing the coast.") < body.index("Ferries halted.") < body.index("Warning raised")
    assert f'id="update-{newest.pk}"' in body
    assert document["versioncreated"] >= newest.posted_at.strftime("%Y-%m-%dT%H:%M")


# LiveBlogPosting ------------------------------------------------------------------------------


def test_the_page_describes_itself_as_a_live_blog_posting(client, live_story):
    first = post(live_story, "Warning raised to red.", 5, headline="Red warning")
    second = post(live_story, "Ferries halted until tomorrow.", 10)
    second.body = _text("Ferries halted until tomorrow at 7am.")
    second.save()
    soup = BeautifulSoup(client.get(live_story.url).content, "html.parser")
    [data] = [json.loads(s.string) for s in soup.select("script[type='application/ld+json']")]
    assert data["@type"] == "LiveBlogPosting"
    assert data["headline"] == live_story.title
    assert data["coverageStartTime"] == live_story.live_since.isoformat(timespec="seconds")
    assert "coverageEndTime" not in data
    newest, oldest = data["liveBlogUpdate"]
    assert newest["@type"] == "BlogPosting" and newest["articleBody"] == "Ferries halted until tomorrow at 7am."
    assert newest["url"].endswith(f"{live_story.url}#update-{second.pk}")
    assert newest["datePublished"] == second.posted_at.isoformat(timespec="seconds")
    assert newest["dateModified"] == second.edited_at.isoformat(timespec="seconds")
    assert oldest["headline"] == "Red warning" and oldest["datePublished"] == first.posted_at.isoformat(
        timespec="seconds"
    )
    assert data["dateModified"] == second.edited_at.isoformat(timespec="seconds")


# The live desk -------------------------------------------------------------------------------


@pytest.fixture
def desk(client, django_user_model, live_story):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    client.force_login(editor)
    return f"/admin/live/{live_story.pk}/"


def test_an_editor_posts_an_update_in_one_step_and_it_is_in_the_audit_log(client, desk, live_story):
    page = client.get(desk)
    assert page.status_code == 200 and b"autofocus" in page.content
    answer = client.post(desk, {"text": "Ferries halted.\n\nThe harbour is closed.", "headline": "Ferries"})
    assert answer.status_code == 302
    [update] = live_story.live_updates.all()
    assert update.headline == "Ferries" and [b.block_type for b in update.body] == ["paragraph", "paragraph"]
    assert update.posted_by.username == "editor"
    assert PageLogEntry.objects.filter(page=live_story, action="dateline.live_post", data__update=update.pk).exists()
    assert "The harbour is closed." in client.get(live_story.url).content.decode()


def test_an_empty_update_is_refused_and_the_form_keeps_what_was_typed(client, desk, live_story):
    answer = client.post(desk, {"text": "   ", "headline": "Half-written headline"})
    assert answer.status_code == 200 and b"Write the update" in answer.content
    assert b'value="Half-written headline"' in answer.content
    assert not live_story.live_updates.exists()


def test_edit_pin_delete_and_end_each_leave_an_audit_entry(client, desk, live_story):
    update = post(live_story, "Gust of 131 km/h.", 5)
    assert client.post(f"{desk}{update.pk}/edit/", {"text": "Gust of 133 km/h."}).status_code == 302
    update.refresh_from_db()
    assert update.edited_at is not None and update.plain_text() == "Gust of 133 km/h."
    client.post(f"{desk}{update.pk}/pin/")
    update.refresh_from_db()
    assert update.pinned
    assert client.get(f"{desk}{update.pk}/delete/").status_code == 200  # asks first
    client.post(f"{desk}{update.pk}/delete/")
    assert not LiveUpdate.objects.filter(pk=update.pk).exists()
    client.post(f"{desk}end/")
    live_story.refresh_from_db()
    assert live_story.live_until is not None and not live_story.coverage_running
    actions = set(PageLogEntry.objects.filter(page=live_story).values_list("action", flat=True))
    assert {"dateline.live_edit", "dateline.live_pin", "dateline.live_delete", "wagtail.publish"} <= actions
    # no posting once it has ended
    client.post(desk, {"text": "Too late."})
    assert not live_story.live_updates.exists()


def test_the_desk_needs_the_right_to_publish_the_story_and_a_csrf_token(client, live_story, django_user_model):
    from django.contrib.auth.models import Group, Permission
    from django.test import Client

    reporter = django_user_model.objects.create_user("reporter", "r@example.org", "a-long-password-1")
    group = Group.objects.create(name="Readers of the admin")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    reporter.groups.add(group)
    client.force_login(reporter)
    assert client.get(f"/admin/live/{live_story.pk}/").status_code in (302, 403)
    assert client.post(f"/admin/live/{live_story.pk}/", {"text": "Not mine to post."}).status_code in (302, 403)
    assert not live_story.live_updates.exists()

    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post(f"/admin/live/{live_story.pk}/", {"text": "No token."}).status_code == 403
    assert not live_story.live_updates.exists()
