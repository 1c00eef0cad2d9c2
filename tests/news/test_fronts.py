"""Fronts that editors curate: pinned leads and secondaries, the newest filling the rest, one row a
section on the home page, and a story taken down leaving its slot (and the front purged) by itself."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import PageLogEntry

from dateline.news.fronts import SECONDARIES, FrontPick
from dateline.news.models import HomePage
from dateline.news.pages import LIST_PAGE_SIZE
from dateline.wire.importer import import_story
from tests.feeds.conftest import story
from tests.publishing.conftest import Reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    client.force_login(user)
    return user


def front(client, url="/") -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def lead(soup) -> str:
    return soup.select_one(".lead-story .teaser__headline").get_text(strip=True)


def headlines(soup) -> list[str]:
    return [h.get_text(strip=True) for h in soup.select(".teaser__headline")]


def pin(client, front_page, story, slot="lead"):
    return client.post("/admin/fronts/pin/", {"front": front_page.pk, "story": story.pk, "slot": slot})


def test_the_newest_story_with_a_picture_leads_not_a_newer_headline_only_one(client, site):
    import_story(story("urn:test:flash", "Headline-only flash on the harbour", 0.5), section="world")
    soup = front(client)
    assert lead(soup) == site.nato.title  # two hours old, with its picture
    assert soup.select_one(".lead-story img")["fetchpriority"] == "high"
    assert "Headline-only flash on the harbour" in headlines(soup)  # still on the front, lower down


def test_an_editor_pins_the_lead_in_one_action_and_unpins_it_in_one(client, site, editor):
    assert lead(front(client)) == site.nato.title
    response = pin(client, HomePage.objects.get(), site.markets)
    assert response.status_code == 302
    assert lead(front(client)) == site.markets.title  # three days old, but the editor chose it
    fronts_screen = front(client, "/admin/fronts/").get_text(" ", strip=True)
    assert f"Lead {site.markets.title} Pinned" in fronts_screen
    entry = PageLogEntry.objects.get(action="dateline.front_pin")
    assert entry.page_id == site.markets.pk and entry.user == editor
    response = client.post("/admin/fronts/unpin/", {"front": HomePage.objects.get().pk, "story": site.markets.pk})
    assert response.status_code == 302
    assert lead(front(client)) == site.nato.title


def test_no_story_shows_twice_and_each_section_has_a_row(client, site, editor):
    for n in range(8):
        import_story(story(f"urn:test:w{n}", f"World story number {n}", 6 + n), section="world")
    pin(client, HomePage.objects.get(), site.staff, "secondary")
    soup = front(client)
    shown = headlines(soup)
    assert len(shown) == len(set(shown)), shown
    secondaries = [h.get_text(strip=True) for h in soup.select(".front-top__secondaries .teaser__headline")]
    assert secondaries[0] == site.staff.title and len(secondaries) == SECONDARIES  # the pin first, then the newest
    rows = {
        row.select_one(".front-row__heading").get_text(strip=True): headlines(row) for row in soup.select(".front-row")
    }
    assert list(rows) == ["World", "Business"]
    assert rows["World"] and all(title.startswith("World story number") for title in rows["World"])
    assert rows["Business"] == [site.markets.title]


def test_a_section_front_has_its_own_slots_which_its_row_on_the_home_page_follows(client, site, editor):
    for n in range(6):
        import_story(story(f"urn:test:w{n}", f"World story number {n}", 6 + n), section="world")
    oldest = "World story number 5"
    page = type(site.nato).objects.get(title=oldest)
    pin(client, site.world, page, "lead")
    section = front(client, site.world.url)
    assert lead(section) == oldest
    assert section.select_one(".section-latest") is not None
    assert oldest in headlines(section.select_one(".story-list"))  # the full list stays complete
    for n in range(6, LIST_PAGE_SIZE + 1):
        import_story(story(f"urn:test:w{n}", f"World story number {n}", 6 + n), section="world")
    page_two = front(client, site.world.url + "?page=2")
    assert page_two.select_one(".front-top") is None and page_two.select(".story-list h2.teaser__headline")
    row = next(r for r in front(client).select(".front-row") if "World" in r.select_one("h2").get_text())
    assert oldest in headlines(row)


def test_a_pinned_story_taken_down_leaves_its_slot_and_the_front_is_purged(
    site, client, editor, django_capture_on_commit_callbacks
):
    reader = Reader()
    with django_capture_on_commit_callbacks(execute=True):
        pin(client, site.world, site.markets, "lead")  # a Business story leads World, pinned after its publish
    for _ in range(2):
        answer = reader.get(site.world.url)
    assert answer.cache == "hit" and site.markets.title in answer.text
    with django_capture_on_commit_callbacks(execute=True):
        type(site.markets).objects.get(pk=site.markets.pk).unpublish()
    answer = reader.get(site.world.url)
    assert answer.cache == "miss" and site.markets.title not in answer.text  # purged, and the slot refilled
    assert lead(BeautifulSoup(answer.body, "html.parser")) == site.nato.title
    assert FrontPick.objects.filter(story=site.markets).exists()  # the pin stays: republished, it leads again


def test_pinning_needs_the_right_to_publish_the_front_and_a_csrf_token(site, django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("writer", "w@example.org", "a-long-password-2")
    user.groups.add(Group.objects.get(name="Editors"))  # Wagtail's: edits pages, cannot publish them
    writer = Client()
    writer.force_login(user)
    response = writer.post("/admin/fronts/pin/", {"front": site.world.pk, "story": site.nato.pk, "slot": "lead"})
    assert response.status_code == 302 and response["Location"] == "/admin/"  # Wagtail's "no permission"
    assert not FrontPick.objects.exists()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(django_user_model.objects.create_superuser("chief", "c@example.org", "a-long-password-3"))
    assert pin(strict, site.world, site.nato).status_code == 403
    assert not FrontPick.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"front": "", "story": ""}, "Choose a front and a story"),
        ({"front": "x", "story": "1"}, "Choose a front and a story"),
        ({"front": "99999", "story": "1"}, "is not a front"),
        ({"front": "{world}", "story": "99999", "slot": "lead"}, "There is no story 99999"),
        ({"front": "{world}", "story": "{nato}", "slot": "sidebar"}, "no slot 'sidebar'"),
        ({"front": "{world}", "story": "{draft}", "slot": "lead"}, "is not live"),
    ],
)
def test_bad_pins_are_refused_saying_why(client, site, editor, data, message):
    from dateline.news.models import ArticlePage

    draft = ArticlePage.objects.get(slug="draft-on-the-harbour")
    ids = {"world": site.world.pk, "nato": site.nato.pk, "draft": draft.pk}
    data = {key: value.format(**ids) for key, value in data.items()}
    response = client.post("/admin/fronts/pin/", data, follow=True)
    assert response.status_code == 200
    assert message in " ".join(str(m) for m in response.context["messages"])
    assert not FrontPick.objects.exists()


def test_a_new_secondary_goes_first_and_the_oldest_pin_beyond_the_slots_is_unpinned(client, site, editor):
    stories = []
    for n in range(SECONDARIES + 1):
        stories.append(import_story(story(f"urn:test:s{n}", f"Secondary pick {n}", 10 + n), section="world").page)
    for page in stories:
        pin(client, site.world, page, "secondary")
    pinned = list(
        FrontPick.objects.filter(front=site.world).order_by("-pinned_at", "-pk").values_list("story__title", flat=True)
    )
    assert pinned == [f"Secondary pick {n}" for n in range(SECONDARIES, 0, -1)]


def test_a_story_in_the_page_listing_has_a_pin_to_a_front_link_that_preselects_it(client, site, editor):
    listing = front(client, f"/admin/pages/{site.world.pk}/")
    link = next((a for a in listing.find_all("a") if "Pin to a front" in a.get_text()), None)
    assert link is not None
    screen = front(client, link["href"])
    assert screen.find(string=lambda text: text and "Pinning:" in text) is not None
    assert {option.get_text() for option in screen.select("option[selected]")} == {
        type(site.nato).objects.get(pk=int(link["href"].split("=")[1])).title
    }
