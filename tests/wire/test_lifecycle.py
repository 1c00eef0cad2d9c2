"""A wire story's life on the site: versions, corrections, withdrawals, embargoes, sections, photos."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Revision

from dateline.demo.images import landscape
from dateline.news.models import ArticlePage, HomePage, NewsImage, SectionPage
from dateline.wire.importer import import_story
from dateline.wire.parsers import newsmlg2
from tests.wire.test_newsmlg2 import item

pytestmark = pytest.mark.django_db

GUID = "urn:test:1"


def ingest(
    version="1",
    body="<p>BRUSSELS (Reuters) - First paragraph.</p><p>Second paragraph.</p>",
    when="2012-12-02T15:12:00Z",
    **kwargs,
):
    data = item(body, version=version, **kwargs).replace(
        b"<versionCreated>2012-12-02T15:12:00Z", f"<versionCreated>{when}".encode()
    )
    return import_story(newsmlg2.parse_bytes(data))


def page_html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def story_page():
    return ArticlePage.objects.get(source_guid=GUID)


# --- versions -------------------------------------------------------------------------------------


def test_a_later_version_updates_the_page_as_a_new_revision(world, client):
    first = ingest()
    assert first.action == "created"
    second = ingest(
        version="2",
        when="2012-12-02T17:40:00Z",
        body="<p>BRUSSELS (Reuters) - First paragraph, rewritten.</p><p>Second.</p><p>Third.</p>",
    )
    assert second.action == "updated"
    page = story_page()
    assert ArticlePage.objects.count() == 1 and page.source_version == 2
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 2
    html = page_html(client, page.url)
    assert "First paragraph, rewritten." in html.select_one(".story__body").text
    updated = html.select_one(".story__updated")
    assert updated.text.strip() == "Updated Sun Dec 2, 2012 12:40pm EST"


def test_a_first_version_made_after_the_story_was_created_shows_its_update(world, client):
    page = ingest(when="2012-12-02T17:40:00Z").page  # firstCreated 15:12, versionCreated 17:40
    assert (
        page_html(client, page.url).select_one(".story__updated").text.strip() == "Updated Sun Dec 2, 2012 12:40pm EST"
    )


@pytest.mark.parametrize(
    "version, when, expected",
    [
        ("3", "2012-12-02T18:00:00Z", "unchanged"),  # the same item again
        ("3", "2012-12-02T18:00:00Z", "stale"),  # the same version and time, other words: still not newer
        ("2", "2012-12-02T19:00:00Z", "stale"),  # an older version arriving late
    ],
)
def test_an_equal_or_older_version_is_ignored(world, client, version, when, expected):
    ingest(version="3", when="2012-12-02T18:00:00Z")
    body = (
        "<p>Late copy.</p>"
        if expected == "stale"
        else "<p>BRUSSELS (Reuters) - First paragraph.</p><p>Second paragraph.</p>"
    )
    result = ingest(version=version, when=when, body=body)
    assert result.action == expected and result.ignored
    assert "Late copy." not in page_html(client, story_page().url).text
    assert Revision.page_revisions.filter(object_id=str(story_page().pk)).count() == 1


def test_versions_with_the_same_number_are_ordered_by_their_time(world):
    ingest(version="1", when="2012-12-02T15:12:00Z")
    assert ingest(version="1", when="2012-12-02T16:00:00Z", body="<p>Newer words.</p>").action == "updated"
    assert "Newer words." in str(story_page().body)


# --- corrections ----------------------------------------------------------------------------------

CORRECTION = '<signal qcode="sig:correction"/><edNote>Corrects the name of the Turkish foreign minister.</edNote>'


def test_a_correction_is_a_dated_line_that_later_versions_keep(world, client):
    ingest()
    ingest(version="2", when="2012-12-03T14:05:00Z", item_meta=CORRECTION)
    ingest(version="3", when="2012-12-03T18:00:00Z", body="<p>A third version without a correction.</p>")
    html = page_html(client, story_page().url)
    lines = [li.text.strip() for li in html.select(".story__corrections li")]
    assert lines == ["Correction Mon Dec 3, 2012 9:05am EST: Corrects the name of the Turkish foreign minister."]
    assert "A third version without a correction." in html.text
    assert "Corrects the name" in page_html(client, story_page().url + "print/").text


# --- withdrawn and cancelled stories --------------------------------------------------------------


def test_a_withdrawn_story_leaves_the_site_and_a_later_usable_version_brings_it_back(world, client):
    ingest()
    url = story_page().url
    assert client.get(url).status_code == 200
    result = ingest(version="2", item_meta='<pubStatus qcode="stat:withheld"/>', when="2012-12-02T16:00:00Z")
    assert result.action == "withdrawn"
    page = story_page()
    assert page.withdrawn and not page.live  # kept, never deleted
    assert client.get(url).status_code == 404
    assert "NATO set to approve" not in client.get("/").content.decode()
    assert "NATO set to approve" not in client.get(world.url).content.decode()

    back = ingest(version="3", when="2012-12-02T17:00:00Z", body="<p>Reissued text.</p>")
    assert back.action == "updated" and "published again" in back.describe()
    page = story_page()
    assert page.live and not page.withdrawn
    assert "Reissued text." in page_html(client, url).text


def test_a_story_cancelled_before_it_was_ever_seen_is_remembered_and_never_published(world, client):
    from dateline.wire.models import WireKill

    result = ingest(version="2", item_meta='<pubStatus qcode="stat:canceled"/>')
    assert result.action == "withdrawn" and result.page is None and "recorded" in result.describe()
    assert WireKill.objects.get(guid=GUID).version == 2
    older = ingest(version="1", when="2012-12-02T15:00:00Z")  # the story it cancelled, arriving late
    assert older.action == "stale" and "canceled this story at version 2" in older.describe()
    assert not ArticlePage.objects.filter(source_guid=GUID).exists()
    assert "NATO set to approve" not in client.get("/").content.decode()
    # The agency may re-release the story later: a newer version publishes as usual.
    again = ingest(version="3", when="2012-12-02T18:00:00Z")
    assert again.action == "created" and story_page().live


EMPTY_KILL = {"item_meta": '<pubStatus qcode="stat:canceled"/>', "body": ""}


def test_a_kill_with_an_empty_body_takes_a_published_story_down(world, client):
    ingest()
    url = story_page().url
    result = ingest(version="2", when="2012-12-02T16:00:00Z", **EMPTY_KILL)
    assert result.action == "withdrawn"
    page = story_page()
    assert page.withdrawn and not page.live and client.get(url).status_code == 404
    assert "NATO set to approve" not in client.get(world.url).content.decode()
    assert "NATO set to approve" not in client.get("/feeds/rss/").content.decode()


def test_a_kill_of_the_same_version_wins_over_the_usable_copy_whatever_came_first(world, client):
    ingest(version="2")
    assert ingest(version="2", **EMPTY_KILL).action == "withdrawn"
    assert story_page().withdrawn
    assert ingest(version="2").action == "stale"  # the usable copy again: the kill stands
    assert story_page().withdrawn and not story_page().live


def test_a_kill_then_an_older_version_keeps_the_story_down(world, client):
    ingest(version="1")
    ingest(version="3", when="2012-12-02T18:00:00Z", **EMPTY_KILL)
    assert ingest(version="2", when="2012-12-02T17:00:00Z").action == "stale"
    page = story_page()
    assert page.withdrawn and not page.live


def test_a_folder_is_applied_in_version_order_not_file_name_order(world, tmp_path):
    """Names sort the cancel first and version 2 before version 1; the agency's order is what counts."""
    from io import StringIO

    def version(number, when, **kwargs):
        return item(**kwargs, version=str(number)).replace(
            b"<versionCreated>2012-12-02T15:12:00Z", f"<versionCreated>{when}".encode()
        )

    (tmp_path / "a-cancel.xml").write_bytes(version(3, "2012-12-02T18:00:00Z", **EMPTY_KILL))
    (tmp_path / "b-second.xml").write_bytes(version(2, "2012-12-02T17:00:00Z", body="<p>Second text.</p>"))
    (tmp_path / "c-first.xml").write_bytes(version(1, "2012-12-02T15:12:00Z"))
    out = StringIO()
    call_command("ingest", str(tmp_path), stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.startswith(str(tmp_path))]
    assert [line.split(": ")[2] for line in lines] == ["created", "updated", "withdrawn"], lines
    assert [line.split(":")[0].rsplit("/", 1)[1] for line in lines] == ["c-first.xml", "b-second.xml", "a-cancel.xml"]
    page = story_page()
    assert page.withdrawn and not page.live and page.source_version == 3
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 3


def test_an_update_to_a_story_an_editor_unpublished_stays_a_draft(world, client):
    ingest()
    page = story_page()
    page.unpublish()
    result = ingest(version="2", when="2012-12-02T16:00:00Z", body="<p>New words.</p>")
    assert result.action == "updated" and "saved as a draft" in result.describe()
    page = story_page()
    assert not page.live and "New words." in str(page.get_latest_revision_as_object().body)


# --- embargoes ------------------------------------------------------------------------------------


def test_an_embargoed_story_is_scheduled_and_invisible_until_its_time(world, client):
    lift = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    result = ingest(item_meta=f"<embargoed>{lift.isoformat()}</embargoed>")
    page = story_page()
    assert result.action == "created" and "embargoed: scheduled for" in result.describe()
    assert not page.live and page.go_live_at == lift
    assert page.published_at == lift  # readers see the time it was released
    revision = page.revisions.get()
    assert revision.approved_go_live_at == lift  # Wagtail's scheduled publishing holds it
    for url in (page.url, "/", world.url, page.url + "print/", page.url + "single/"):
        response = client.get(url)
        assert "NATO set to approve" not in response.content.decode(), url

    call_command("publish_scheduled")  # not yet: still invisible
    assert not story_page().live

    past = timezone.now() - timedelta(minutes=1)  # the embargo has passed
    ArticlePage.objects.filter(pk=page.pk).update(go_live_at=past)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save()
    call_command("publish_scheduled")
    page = story_page()
    assert page.live
    assert "First paragraph." in page_html(client, page.url).text


def test_an_embargo_already_past_publishes_at_once(world, client):
    ingest(item_meta="<embargoed>2012-12-02T16:00:00Z</embargoed>")
    page = story_page()
    assert page.live and page.go_live_at is None
    assert client.get(page.url).status_code == 200


# --- sections from subjects -----------------------------------------------------------------------


@pytest.fixture
def business(world):
    section = SectionPage(title="Business", slug="business")
    HomePage.objects.get().add_child(instance=section)
    section.save_revision().publish()
    return section


def test_subject_codes_choose_the_section(business):
    subject = '<subject qcode="medtop:20000350"><name>central bank</name><broader qcode="medtop:04000000"/></subject>'
    page = ingest(content_meta=subject).page
    assert page.get_parent().slug == "business"
    assert sorted(page.tags.names()) == ["central bank"]


def test_an_explicit_section_wins_and_unknown_codes_go_to_the_default(business):
    story = newsmlg2.parse_bytes(item(content_meta='<subject qcode="medtop:04000000"/>'))
    assert import_story(story, section="world").page.get_parent().slug == "world"
    other = newsmlg2.parse_bytes(item(guid="urn:test:2", content_meta='<subject qcode="medtop:99999999"/>'))
    assert import_story(other).page.get_parent().slug == "world"


@override_settings(DATELINE_SUBJECT_SECTIONS={"medtop:15000000": "business"})
def test_the_subject_map_is_a_setting(business):
    assert ingest(content_meta='<subject qcode="medtop:15000000"/>').page.get_parent().slug == "business"


# --- photos ---------------------------------------------------------------------------------------


def nitf_with_photo(href):
    return f"""<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.content>
      <p>BRUSSELS (Reuters) - Text.</p><media media-type="image"><media-reference source="{href}"/>
      <media-caption>A Patriot missile battery on exercise.</media-caption>
      <media-producer>REUTERS/Test Photographer</media-producer></media></body.content></body></nitf>"""


def test_a_local_picture_is_imported_with_caption_and_credit(world, client, tmp_path):
    (tmp_path / "pics").mkdir()
    (tmp_path / "pics" / "patriot.jpg").write_bytes(landscape("patriot"))
    data = item(nitf_with_photo("pics/patriot.jpg"), content_type="application/nitf+xml")
    result = import_story(newsmlg2.parse_bytes(data), base_dir=tmp_path)
    image = result.page.lead_image
    assert image is not None and image.caption == "A Patriot missile battery on exercise."
    assert image.credit == "REUTERS/Test Photographer" and image.width > 0
    figure = page_html(client, result.page.url).select_one("figure.photo--lead")
    assert figure.img["src"].startswith("/media/") and "REUTERS/Test Photographer" in figure.text

    again = item(nitf_with_photo("file:///./pics/patriot.jpg"), guid="urn:test:2", content_type="application/nitf+xml")
    second = import_story(newsmlg2.parse_bytes(again), base_dir=tmp_path)
    assert second.page.lead_image == image and NewsImage.objects.count() == 1  # the same file is one image


@pytest.mark.parametrize(
    "href, note",
    [
        ("../outside.jpg", "outside the folder the story came from"),
        ("/etc/hostname", "outside the folder the story came from"),
        ("missing.jpg", "not found beside the story"),
        ("notes.txt", "not a readable image"),
        ("ftp://example.org/a.jpg", "the ftp: scheme is not supported"),
    ],
)
def test_pictures_that_cannot_be_imported_keep_caption_and_credit(world, tmp_path, href, note):
    folder = tmp_path / "drop"
    folder.mkdir()
    (tmp_path / "outside.jpg").write_bytes(landscape("outside"))
    (folder / "notes.txt").write_text("not a picture")
    data = item(nitf_with_photo(href), content_type="application/nitf+xml")
    result = import_story(newsmlg2.parse_bytes(data), base_dir=folder)
    assert note in result.describe() and "caption and credit kept" in result.describe()
    page = result.page
    assert page.lead_image is None and NewsImage.objects.count() == 0
    assert page.lead_caption == "A Patriot missile battery on exercise."


def test_a_remote_picture_is_recorded_never_fetched(world, client):
    data = item(nitf_with_photo("https://pictures.example.invalid/patriot.jpg"), content_type="application/nitf+xml")
    page = import_story(newsmlg2.parse_bytes(data)).page
    assert page.lead_remote_url == "https://pictures.example.invalid/patriot.jpg"
    assert page.lead_image is None and NewsImage.objects.count() == 0
    figure = page_html(client, page.url).select_one("figure.photo--lead")
    assert figure.img is None and "A Patriot missile battery on exercise." in figure.text


def test_a_story_in_another_language_is_marked_for_screen_readers(world, client):
    page = ingest(content_meta='<language tag="de"/>').page
    assert page_html(client, page.url).select_one("article.story")["lang"] == "de"
    english = ingest(guid="urn:test:2", content_meta='<language tag="en-GB"/>').page
    assert not page_html(client, english.url).select_one("article.story").has_attr("lang")


def test_a_wire_picture_over_the_pixel_cap_is_not_imported(world, tmp_path, settings):
    import io

    from PIL import Image

    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1_000_000
    buffer = io.BytesIO()
    Image.new("1", (3000, 3000)).save(buffer, "PNG", optimize=True)
    (tmp_path / "huge.png").write_bytes(buffer.getvalue())
    data = item(nitf_with_photo("huge.png"), content_type="application/nitf+xml")
    result = import_story(newsmlg2.parse_bytes(data), base_dir=tmp_path)
    assert "3000x3000 pixels is more than the 1 million allowed" in result.describe()
    assert result.page.lead_image is None and NewsImage.objects.count() == 0


# --- live coverage (issue 20) ----------------------------------------------------------------------


def _run_live(page, editor=None):
    """An editor on the desk turns the wire story into live coverage."""
    draft = page.get_latest_revision_as_object()
    draft.live_since = timezone.now() - timedelta(minutes=30)
    draft.save_revision(user=editor).publish(user=editor)
    return story_page()


def test_later_versions_of_a_live_story_become_updates_and_a_kill_still_takes_it_down(world, client, django_user_model):
    editor = django_user_model.objects.create_superuser("desk", "desk@example.org", "a-long-password-1")
    ingest()
    page = _run_live(story_page(), editor)
    body_before = [block.value.source for block in page.body]

    result = ingest(
        version="2",
        when="2012-12-02T16:00:00Z",
        body="<p>BRUSSELS (Reuters) - First paragraph.</p><p>Second paragraph.</p><p>Ministers met at noon.</p>",
    )
    assert result.action == "updated" and "posted as a live update" in result.notes[0]
    page = story_page()
    [update] = page.live_updates.all()
    assert update.plain_text() == "Ministers met at noon."  # only what the version adds
    assert [block.value.source for block in page.body] == body_before  # the page's text is the desk's
    assert page.source_version == 2
    assert "Ministers met at noon." in page_html(client, page.url).get_text()

    # the same text again (a re-send with a new version number): nothing new to post
    again = ingest(version="3", when="2012-12-02T16:10:00Z", body="<p>Ministers met at noon.</p>")
    assert "adds no paragraph" in again.notes[0] and page.live_updates.count() == 1

    killed = ingest(version="4", when="2012-12-02T16:20:00Z", **EMPTY_KILL)
    assert killed.action == "withdrawn"
    page = story_page()
    assert page.withdrawn and not page.live and client.get(page.url).status_code == 404


RUNNING = '<signal qcode="sig:update"/>'


def test_a_rule_runs_a_story_the_agency_marks_as_running_as_live_coverage(world, client):
    """Issue 20: under a "live" rule, a story is published, and its later version marked as a running
    story (IPTC's sig:update) turns it into live coverage whose first update is what that version adds."""
    from dateline.wire.models import IngestRule

    IngestRule.objects.create(name="Reuters running", agencies="Reuters", action=IngestRule.Action.LIVE)
    first = ingest()
    assert first.action == "created" and story_page().live and not story_page().is_live_coverage

    second = ingest(
        version="2",
        when="2012-12-02T16:00:00Z",
        body="<p>BRUSSELS (Reuters) - First paragraph.</p><p>Second paragraph.</p><p>Turkey asked for six batteries.</p>",
        item_meta=RUNNING,
    )
    assert "now live coverage by rule 'Reuters running'" in second.notes[0]
    page = story_page()
    assert page.coverage_running
    assert [update.plain_text() for update in page.live_updates.all()] == ["Turkey asked for six batteries."]
    html = page_html(client, page.url)
    assert html.select_one(".live__badge") is not None and "Turkey asked for six batteries." in html.get_text()
    assert page.get_latest_revision().content["live_since"] is not None  # an editor's next publish keeps it live

    third = ingest(
        version="3",
        when="2012-12-02T16:30:00Z",
        body="<p>Turkey asked for six batteries.</p><p>Moscow objected within the hour.</p>",
        item_meta=RUNNING,
    )
    assert "posted as a live update" in third.notes[0]
    assert story_page().live_updates.count() == 2


def test_without_a_running_signal_or_a_live_rule_a_later_version_stays_an_ordinary_revision(world):
    from dateline.wire.models import IngestRule

    rule = IngestRule.objects.create(name="Reuters", agencies="Reuters", action=IngestRule.Action.LIVE)
    ingest()
    ingest(version="2", when="2012-12-02T16:00:00Z", body="<p>Rewritten.</p>")  # no signal
    assert not story_page().is_live_coverage and "Rewritten." in str(story_page().body)

    rule.action = IngestRule.Action.PUBLISH
    rule.save()
    ingest(version="3", when="2012-12-02T16:30:00Z", body="<p>Rewritten again.</p>", item_meta=RUNNING)
    assert not story_page().is_live_coverage and "Rewritten again." in str(story_page().body)


def test_an_editors_unpublished_draft_keeps_a_running_story_from_turning_live_by_itself(world, django_user_model):
    from dateline.wire.models import IngestRule

    editor = django_user_model.objects.create_superuser("desk", "desk@example.org", "a-long-password-1")
    IngestRule.objects.create(name="Reuters", agencies="Reuters", action=IngestRule.Action.LIVE)
    ingest()
    draft = story_page().get_latest_revision_as_object()
    draft.title = "Editor's headline, not yet published"
    draft.save_revision(user=editor)
    result = ingest(version="2", when="2012-12-02T16:00:00Z", body="<p>More.</p>", item_meta=RUNNING)
    assert not story_page().is_live_coverage
    assert "an editor has changed this story" in result.notes[0]  # the desk compares and decides
