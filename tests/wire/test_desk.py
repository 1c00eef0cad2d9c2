"""The wire desk in the admin, through Django's test client: the listing, its filters and search, the
actions, the kill alert, permissions, and the publishing checks for every publisher."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from dateline.news.models import ArticlePage
from dateline.wire.importer import import_story
from dateline.wire.models import WireItem
from dateline.wire.parsers import newsmlg2
from tests.wire.test_newsmlg2 import item

pytestmark = pytest.mark.django_db

DESK = "/admin/wire/"


def arrive(guid, headline, agency="Reuters", urgency=4, body=None, **kw):
    body = f"<p>BRUSSELS ({agency}) - Words of the story.</p>" if body is None else body
    data = item(body, guid=guid, **kw).replace(b"NATO set to approve Patriots for Turkey", headline.encode())
    data = data.replace(b"<name>Reuters</name>", f"<name>{agency}</name>".encode())
    data = data.replace(b"</itemMeta>", b"</itemMeta>", 1)
    story = newsmlg2.parse_bytes(data.replace(b"<contentMeta>", f"<contentMeta><urgency>{urgency}</urgency>".encode()))
    return import_story(story)


@pytest.fixture
def held(world, settings):
    """Four items held on the desk (the production default), one of them a flash."""
    settings.DATELINE_INGEST_DEFAULT = "hold"
    arrive("urn:t:1", "Harbour cranes idle after storm", agency="Reuters")
    arrive(
        "urn:t:2",
        "Ministers meet on fishing quotas",
        agency="AFP",
        body="<p>PARIS (AFP) - Cod and hake.</p>",
        content_meta='<subject qcode="medtop:20000346"/>',
    )
    arrive("urn:t:3", "Bridge reopens to lorries", agency="AFP")
    arrive("urn:t:4", "Earthquake strikes off the coast", agency="AP", urgency=1)
    return {item.guid: item for item in WireItem.objects.all()}


@pytest.fixture
def desk_editor(client, django_user_model):
    user = django_user_model.objects.create_user("desk", "desk@example.org", "a-long-password-1")
    user.groups.add(Group.objects.get(name="Wire desk"), Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


@pytest.fixture
def plain_editor(client, django_user_model):
    user = django_user_model.objects.create_user("plain", "plain@example.org", "a-long-password-1")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def rows(response) -> list[str]:
    html = BeautifulSoup(response.content, "html.parser")
    return [" ".join(row.select_one("td.title").text.split()) for row in html.select("table.listing tbody tr")]


def test_the_desk_lists_incoming_items_urgent_first_then_newest(client, held, desk_editor):
    response = client.get(DESK)
    assert response.status_code == 200
    listed = rows(response)
    assert listed[0].startswith("Urgent Earthquake strikes off the coast")
    assert [r.split(" BRUSSELS")[0].split(" PARIS")[0] for r in listed[1:]][0].startswith("Bridge reopens")
    page = response.content.decode()
    assert "Waiting on the desk:" in page and "AFP</a> 2" in page
    assert 'name="q"' in page  # the search box


@pytest.mark.parametrize(
    "query, expected",
    [
        ("agency=AFP", {"Ministers meet on fishing quotas", "Bridge reopens to lorries"}),
        ("urgency=1", {"Earthquake strikes off the coast"}),
        ("q=hake", {"Ministers meet on fishing quotas"}),  # the body is searched too
        ("status=published", set()),
        ("subjects=20000346", {"Ministers meet on fishing quotas"}),  # a subject code, or part of one
        ("received_at_from=2000-01-01", {"Harbour", "Ministers", "Bridge", "Earthquake"}),
        ("received_at_to=2000-01-01", set()),
    ],
)
def test_filters_and_search(client, held, desk_editor, query, expected):
    listed = rows(client.get(f"{DESK}?{query}"))
    assert {r.replace("Urgent ", "").split(" ")[0] for r in listed} == {e.split(" ")[0] for e in expected}


def test_publish_from_the_desk(client, held, desk_editor):
    from django.test import Client

    desk_item = held["urn:t:1"]
    # The row's form carries a CSRF token (the test client would not notice a missing one: check it).
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(desk_editor)
    html = BeautifulSoup(strict.get(DESK).content, "html.parser")
    form = html.select_one(f"form[action='{DESK}{desk_item.pk}/publish/']")
    token = form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    assert token
    response = strict.post(f"{DESK}{desk_item.pk}/publish/", {"next": DESK, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    page = ArticlePage.objects.get(source_guid="urn:t:1")
    assert page.live and client.get(page.url).status_code == 200
    desk_item.refresh_from_db()
    assert desk_item.status == "published"
    entry = PageLogEntry.objects.get(page=page, action="dateline.wire.published")
    assert entry.user == desk_editor


def test_spike_hides_an_item_and_restore_brings_it_back(client, held, desk_editor):
    desk_item = held["urn:t:3"]
    client.post(f"{DESK}{desk_item.pk}/spike/")
    assert not any("Bridge reopens" in r for r in rows(client.get(DESK)))
    assert any("Bridge reopens" in r for r in rows(client.get(f"{DESK}?status=spiked")))
    assert not ArticlePage.objects.get(source_guid="urn:t:3").live
    client.post(f"{DESK}{desk_item.pk}/restore/")
    assert any("Bridge reopens" in r for r in rows(client.get(DESK)))
    page = ArticlePage.objects.get(source_guid="urn:t:3")
    assert {"dateline.wire.spiked", "dateline.wire.restored"} <= set(
        PageLogEntry.objects.filter(page=page).values_list("action", flat=True)
    )


def test_a_plain_editor_sees_the_desk_read_only(client, held, plain_editor):
    response = client.get(DESK)
    assert response.status_code == 200 and len(rows(response)) == 4
    html = BeautifulSoup(response.content, "html.parser")
    assert not html.select("form[action$='/publish/']") and not html.select("form[action$='/spike/']")
    desk_item = held["urn:t:1"]
    refused = client.post(f"{DESK}{desk_item.pk}/publish/", follow=True)  # Wagtail's admin says so and goes home
    assert "you do not have permission" in refused.content.decode()
    assert not ArticlePage.objects.get(source_guid="urn:t:1").live


def test_nobody_outside_the_newsroom_reaches_the_desk(client, held, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", "r@example.org", "a-long-password-1"))
    assert client.get(DESK)["Location"].startswith("/admin/login/")
    assert client.post(f"{DESK}{held['urn:t:1'].pk}/publish/")["Location"].startswith("/admin/login/")
    assert not ArticlePage.objects.get(source_guid="urn:t:1").live


def test_a_kill_alerts_the_desk_and_the_story_edit_page_until_acknowledged(client, world, desk_editor):
    arrive("urn:t:9", "Company denies merger talks")  # published (the tests' default)
    page = ArticlePage.objects.get(source_guid="urn:t:9")
    arrive("urn:t:9", "", version="2", item_meta='<pubStatus qcode="stat:canceled"/>', body="")
    desk_page = client.get(DESK).content.decode()
    assert "Kills applied" in desk_page and "Company denies merger talks" in desk_page
    edit = client.get(f"/admin/pages/{page.pk}/edit/", follow=True).content.decode()
    assert "KILL: the agency withdrew this story" in edit
    desk_item = WireItem.objects.get(guid="urn:t:9")
    client.post(f"{DESK}{desk_item.pk}/acknowledge/")
    assert "Kills applied" not in client.get(DESK).content.decode()
    assert "KILL: the agency withdrew" not in client.get(f"/admin/pages/{page.pk}/edit/").content.decode()


# --- publishing checks ----------------------------------------------------------------------------------


def headline_only(world) -> ArticlePage:
    page = ArticlePage(title="Only a headline", slug="only-a-headline", live=False)
    world.add_child(instance=page)
    page.save_revision()
    return page


def test_the_editor_refuses_to_publish_a_headline_only_story(client, world, desk_editor, django_user_model):
    admin = django_user_model.objects.create_superuser("chief", "chief@example.org", "a-long-password-1")
    client.force_login(admin)
    page = headline_only(world)
    data = nested_form_data(
        {
            "title": "Only a headline",
            "slug": "only-a-headline",
            "article_authors": inline_formset([]),
            "corrections": inline_formset([]),
            "topic_choices": inline_formset([]),
            "body": streamfield([]),
            "action-publish": "action-publish",
        }
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200  # the form again, with the reason on the field
    assert "A story cannot be published without at least one paragraph of text." in response.content.decode()
    assert not ArticlePage.objects.get(pk=page.pk).live
    draft = nested_form_data(
        {
            "title": "Only a headline",
            "slug": "only-a-headline",
            "article_authors": inline_formset([]),
            "corrections": inline_formset([]),
            "topic_choices": inline_formset([]),
            "body": streamfield([("paragraph", rich_text("<p>Now with words.</p>"))]),
            "action-publish": "action-publish",
        }
    )
    assert client.post(f"/admin/pages/{page.pk}/edit/", draft).status_code == 302
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live and page.summary == "Now with words."  # an empty summary comes from the first paragraph


def test_the_desk_and_the_scheduler_refuse_a_headline_only_story(client, world, desk_editor):
    page = headline_only(world)
    desk_item = WireItem.objects.create(guid="urn:t:empty", page=page, status="held", received_at=timezone.now())
    client.post(f"{DESK}{desk_item.pk}/publish/")
    assert not ArticlePage.objects.get(pk=page.pk).live
    revision = page.get_latest_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(minutes=1)
    revision.save()
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    assert "not published: 'Only a headline'" in out.getvalue() and "no paragraph of body text" in out.getvalue()
    assert not ArticlePage.objects.get(pk=page.pk).live


def test_the_desk_group_has_the_desk_permission_and_editors_only_look():
    desk = Group.objects.get(name="Wire desk")
    assert desk.permissions.filter(codename="act_on_desk").exists()
    editors = Group.objects.get(name="Editors")
    assert editors.permissions.filter(codename="view_wireitem").exists()
    assert not editors.permissions.filter(codename="act_on_desk").exists()
    assert Permission.objects.filter(codename="act_on_desk", content_type__app_label="wire").exists()


# --- an agency update to a story an editor changed --------------------------------------------------------


def test_merge_keeps_the_editors_changes_the_agency_did_not_touch():
    from dateline.wire.desk import diff, merge

    base = {"headline": "Storm shuts port", "summary": "S", "paragraphs": ["One.", "Two.", "Three."]}
    editor = {
        "headline": "Storm closes port (editor)",
        "summary": "S",
        "paragraphs": ["One.", "Two, tightened.", "Three."],
    }
    agency = {
        "headline": "Storm shuts port",
        "summary": "S2",
        "paragraphs": ["One.", "Two.", "Three, updated.", "Four."],
    }
    assert diff(base, agency) == {
        "headline": None,
        "summary": ("S", "S2"),
        "paragraphs": [("changed", "Three.", "Three, updated."), ("added", "", "Four.")],
    }
    merged = merge(base, editor, agency)
    assert merged == {
        "headline": "Storm closes port (editor)",  # the agency left it: the editor's stays
        "summary": "S2",
        "paragraphs": ["One.", "Two, tightened.", "Three, updated.", "Four."],
    }


def test_the_diff_shows_only_the_agencys_change_and_apply_keeps_the_editors(client, world, desk_editor):
    arrive(
        "urn:t:5", "Port reopens after storm", body="<p>BRUSSELS (Reuters) - The port reopened.</p><p>Ships wait.</p>"
    )
    page = ArticlePage.objects.get(source_guid="urn:t:5")
    draft = page.get_latest_revision_as_object()
    draft.title = "Port reopens (desk headline)"
    draft.save_revision(user=desk_editor).publish(user=desk_editor, skip_permission_checks=True)
    arrive(
        "urn:t:5",
        "Port reopens after storm",
        version="2",
        body="<p>BRUSSELS (Reuters) - The port reopened.</p><p>Ships wait.</p><p>Forty ships are queued.</p>",
    )
    desk_item = WireItem.objects.get(guid="urn:t:5")
    response = client.get(f"{DESK}{desk_item.pk}/update/")
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    changed = [(row["data-change"], row.select("td")[1].text) for row in html.select("tr[data-change]")]
    assert changed == [("added", "Forty ships are queued.")]  # only the agency's change, not the editor's headline
    assert "Port reopens (desk headline)" in html.text

    client.post(f"{DESK}{desk_item.pk}/update/")
    live = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert live.select_one("h1").text == "Port reopens (desk headline)"
    assert "Forty ships are queued." in live.select_one(".story__body").text
    desk_item.refresh_from_db()
    assert desk_item.pending_update is None and desk_item.status == "published"
    assert PageLogEntry.objects.filter(page=page, action="dateline.wire.update_applied", user=desk_editor).exists()


def test_a_long_headline_is_a_warning_not_a_refusal(client, world, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("chief2", "c2@example.org", "a-long-password-1"))
    page = headline_only(world)
    long_title = "Council votes to rebuild the harbour wall, widen the ferry ramp and add a cycle lane to the quay " * 2
    data = nested_form_data(
        {
            "title": long_title.strip(),
            "slug": "only-a-headline",
            "article_authors": inline_formset([]),
            "corrections": inline_formset([]),
            "topic_choices": inline_formset([]),
            "body": streamfield([("paragraph", rich_text("<p>Words.</p>"))]),
            "action-publish": "action-publish",
        }
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/", data, follow=True)
    assert ArticlePage.objects.get(pk=page.pk).live
    assert "characters long: lists, feeds and search results show about 120" in response.content.decode()


def test_the_same_action_on_a_selection(client, held, desk_editor):
    html = BeautifulSoup(client.get(DESK).content, "html.parser")
    assert html.select_one("form#wire-bulk select[name=action]")
    boxes = html.select("input[type=checkbox][name=ids][form=wire-bulk]")
    assert len(boxes) == 4 and all(box.get("aria-label", "").startswith("Select “") for box in boxes)
    chosen = [held["urn:t:2"].pk, held["urn:t:3"].pk]
    response = client.post(f"{DESK}bulk/", {"action": "publish", "ids": chosen}, follow=True)
    assert "2 of 2 selected item(s) published." in response.content.decode()
    assert set(ArticlePage.objects.filter(live=True).values_list("source_guid", flat=True)) == {"urn:t:2", "urn:t:3"}
    client.post(f"{DESK}bulk/", {"action": "spike", "ids": [held["urn:t:1"].pk, held["urn:t:2"].pk]})
    statuses = dict(WireItem.objects.values_list("guid", "status"))
    assert statuses["urn:t:1"] == "spiked" and statuses["urn:t:2"] == "published"  # a live story is not spiked
