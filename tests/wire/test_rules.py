"""Ingest rules and the wire desk's record: editors decide what agency copy publishes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from wagtail.models import PageLogEntry

from dateline.news.models import ArticlePage
from dateline.wire.importer import import_story
from dateline.wire.models import IngestRule, WireItem
from dateline.wire.parsers import newsmlg2
from dateline.wire.rules import decide, matches
from dateline.wire.story import WireStory
from tests.wire.test_newsmlg2 import item

pytestmark = pytest.mark.django_db

AGENCIES = Path(__file__).resolve().parents[1] / "fixtures" / "agencies"
GUID = "urn:test:1"


@pytest.fixture
def hold_by_default(settings):
    settings.DATELINE_INGEST_DEFAULT = "hold"  # the production default


def story(**changes) -> WireStory:
    from dataclasses import replace

    return replace(newsmlg2.parse_bytes(item()), **changes)


def ingest(version="1", body="<p>BRUSSELS (Reuters) - First.</p><p>Second.</p>", when="2012-12-02T15:12:00Z", **kw):
    data = item(body, version=version, **kw).replace(
        b"<versionCreated>2012-12-02T15:12:00Z", f"<versionCreated>{when}".encode()
    )
    return import_story(newsmlg2.parse_bytes(data))


def rule(name, action="publish", **conditions) -> IngestRule:
    return IngestRule.objects.create(name=name, action=action, sort_order=IngestRule.objects.count(), **conditions)


# --- matching ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "conditions, changes, expected",
    [
        ({"agencies": "AFP, Reuters"}, {}, True),
        ({"agencies": "AFP"}, {}, False),
        ({"urgency_at_most": 2}, {"urgency": 1}, True),
        ({"urgency_at_most": 2}, {"urgency": 4}, False),
        ({"urgency_at_most": 2}, {"urgency": None}, False),
        ({"subjects": "subj:15000000"}, {"subject_codes": ("subj:15054000",)}, True),  # a broader code counts
        ({"subjects": "medtop:15000000"}, {"subject_codes": ("medtop:04000000",)}, False),
        ({"sections": "world, sport"}, {}, True),
        ({"sections": "sport"}, {}, False),
        ({"languages": "en"}, {"language": "en-GB"}, True),
        ({"languages": "sv"}, {}, False),
        ({"statuses": "usable"}, {}, True),
        ({"words": "patriot, missile"}, {}, True),
        ({"words": "football"}, {"slugline": "SOCCER-FOOTBALL"}, True),  # the slugline too
        ({"words": "football"}, {}, False),
        ({"agencies": "Reuters", "urgency_at_most": 3}, {"urgency": 5}, False),  # all conditions must hold
    ],
)
def test_each_condition_of_a_rule(conditions, changes, expected):
    assert matches(IngestRule(name="r", **conditions), story(**changes), "world") is expected


def test_the_first_matching_rule_wins_and_disabled_rules_are_passed_over(db, settings):
    settings.DATELINE_INGEST_DEFAULT = "hold"
    rule("off", "discard", enabled=False)
    rule("Reuters flashes", "publish", agencies="Reuters", urgency_at_most=1)
    rule("Reuters", "hold", agencies="Reuters")
    assert decide(story(urgency=1), "world").rule == "Reuters flashes"
    assert decide(story(urgency=4), "world").rule == "Reuters"
    assert decide(story(agency="AFP"), "world") == decide(story(agency="dpa"), "world")
    assert (
        decide(story(agency="AFP"), "world").rule == "default" and decide(story(agency="AFP"), "world").action == "hold"
    )


# --- what the rules do ----------------------------------------------------------------------------------


def test_a_new_install_holds_everything_on_the_desk(world, client, hold_by_default):
    result = ingest()
    assert result.action == "held" and "held by rule 'default'" in result.describe()
    page = ArticlePage.objects.get(source_guid=GUID)
    assert not page.live and client.get(page.url or "/nowhere/").status_code == 404
    assert "NATO set to approve" not in client.get("/").content.decode()
    desk = WireItem.objects.get(guid=GUID)
    assert (desk.status, desk.rule, desk.page_id, desk.agency) == ("held", "default", page.pk, "Reuters")
    assert PageLogEntry.objects.filter(page=page, action="dateline.wire.held").exists()


def test_a_publish_rule_puts_the_story_live(world, client, hold_by_default):
    rule("Reuters world", "publish", agencies="Reuters", sections="world")
    assert ingest().action == "created"
    page = ArticlePage.objects.get(source_guid=GUID)
    assert page.live and client.get(page.url).status_code == 200
    assert WireItem.objects.get(guid=GUID).status == "published"


def test_a_discard_rule_records_the_item_and_shows_nothing(world, hold_by_default):
    rule("no Reuters", "discard", agencies="Reuters")
    result = ingest()
    assert result.action == "discarded" and "discarded by rule 'no Reuters'" in result.describe()
    assert not ArticlePage.objects.exists()
    assert WireItem.objects.get(guid=GUID).status == "discarded"


def test_a_new_version_of_a_held_item_replaces_it_on_the_desk(world, hold_by_default):
    ingest()
    result = ingest(version="2", when="2012-12-02T16:00:00Z", body="<p>Rewritten first paragraph.</p>")
    assert result.action == "updated" and "replaced by this version" in result.describe()
    page = ArticlePage.objects.get(source_guid=GUID)
    assert not page.live and "Rewritten first paragraph." in str(page.get_latest_revision_as_object().body)
    assert WireItem.objects.get(guid=GUID).status == "updated"


def test_an_update_to_a_story_an_editor_changed_waits_on_the_desk(world, client, admin_user, settings):
    ingest()  # published (the tests' default)
    page = ArticlePage.objects.get(source_guid=GUID)
    draft = page.get_latest_revision_as_object()
    draft.title = "NATO approves Patriots (editor's headline)"
    draft.save_revision(user=admin_user).publish(user=admin_user)
    result = ingest(version="2", when="2012-12-02T16:00:00Z", body="<p>The agency's new first paragraph.</p>")
    assert "an editor has changed this story" in result.describe()
    live = client.get(page.url).content.decode()
    assert "editor&#x27;s headline" in live and "agency&#x27;s new first paragraph" not in live
    desk_item = WireItem.objects.get(guid=GUID)
    assert desk_item.status == "updated" and desk_item.pending_update["version"] == 2
    # The editor's draft is untouched: the agency's version waits beside it.
    assert page.get_latest_revision_as_object().title == "NATO approves Patriots (editor's headline)"


def test_an_update_to_an_unchanged_published_story_follows_its_rule(world, client, hold_by_default):
    rule("Reuters", "publish", agencies="Reuters")
    ingest()
    result = ingest(version="2", when="2012-12-02T16:00:00Z", body="<p>The agency's new first paragraph.</p>")
    assert result.action == "updated"
    page = ArticlePage.objects.get(source_guid=GUID)
    assert "new first paragraph" in client.get(page.url).content.decode()


def test_a_kill_is_applied_at_once_whatever_the_rules_and_alerts_the_desk(
    world, client, outbox, settings, django_capture_on_commit_callbacks
):
    settings.DATELINE_DESK_EMAIL = "desk@news.example"
    ingest()  # published (the tests' default)
    rule("hold everything", "hold")  # a rule that would hold anything: a kill does not wait for it
    page = ArticlePage.objects.get(source_guid=GUID)
    url = page.url
    with django_capture_on_commit_callbacks(execute=True):
        result = ingest(version="2", item_meta='<pubStatus qcode="stat:canceled"/>', body="")
    assert result.action == "withdrawn"
    assert client.get(url).status_code == 404
    desk = WireItem.objects.get(guid=GUID)
    assert desk.status == "killed" and not desk.kill_acknowledged
    assert PageLogEntry.objects.filter(page=page, action="dateline.wire.kill_applied").exists()
    mails = sorted(outbox.glob("*.eml"))
    assert len(mails) == 1
    text = mails[0].read_text()
    assert "To: desk@news.example" in text and "KILL applied: NATO set to approve Patriots for Turkey" in text


def test_import_text_follows_the_rules_and_load_demo_publishes_its_own(world, hold_by_default, seed_path):
    out = io.StringIO()
    call_command("import_text", str(seed_path), stdout=out)
    seed = ArticlePage.objects.get(title__startswith="NATO")
    assert not seed.live and WireItem.objects.get(page=seed).status == "held"
    call_command("load_demo", stdout=io.StringIO())
    demo = ArticlePage.objects.exclude(pk=seed.pk)
    assert demo.exists() and all(page.live for page in demo)
