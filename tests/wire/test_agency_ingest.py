"""Agency files through `dateline ingest` and the drop folder: kills whatever the order, every outcome in
its folder with its reason, and a fresh install (no sections, no demo) that ingests."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dateline.news.models import ArticlePage, SectionPage

pytestmark = pytest.mark.django_db

AGENCIES = Path(__file__).resolve().parents[1] / "fixtures" / "agencies"
REUTERS = "tag:reuters.com,2026:newsml_L8N3Q0001"


def ingest(*args: str) -> tuple[str, str, str | None]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue(), None
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), str(exc)


def drop(folder: Path, files: dict[str, str]) -> None:
    """Copy fixtures into FOLDER under the names given ({name: fixture})."""
    for name, fixture in files.items():
        shutil.copy(AGENCIES / fixture, folder / name)


def watch(folder: Path, polls: int = 2) -> tuple[str, str, str | None]:
    return ingest("--watch", str(folder), "--polls", str(polls), "--interval", "0")


def test_a_cancel_whose_name_sorts_first_still_kills_the_story_in_one_poll(world, tmp_path, client):
    drop(tmp_path, {"a-cancel.xml": "reuters-g2-cancel-empty-body.xml", "b-story.xml": "reuters-g2-story.xml"})
    out, err, error = watch(tmp_path)
    assert error is None, err
    page = ArticlePage.objects.get(source_guid=REUTERS)
    assert page.withdrawn and not page.live and client.get(page.url).status_code == 404
    assert "Shipping firm names new chief executive" not in client.get("/feeds/rss/").content.decode()
    assert sorted(p.name for p in (tmp_path / "done").glob("*.xml")) == ["a-cancel.xml", "b-story.xml"]
    assert "[newsml-g2] tag:reuters.com,2026:newsml_L8N3Q0001: withdrawn" in out


def test_a_cancel_that_arrives_a_poll_before_its_story_keeps_the_story_off_the_site(world, tmp_path, client):
    drop(tmp_path, {"cancel.xml": "reuters-g2-cancel-empty-body.xml"})
    out, _, error = watch(tmp_path)
    assert error is None and "withdrawn: tag:reuters.com,2026:newsml_L8N3Q0001" in out
    drop(tmp_path, {"story.xml": "reuters-g2-story.xml"})
    out, _, error = watch(tmp_path)
    assert error is None and "stale" in out and "the agency canceled this story at version 2" in out
    assert not ArticlePage.objects.filter(source_guid=REUTERS).exists()
    assert "Shipping firm" not in client.get("/").content.decode()


def test_every_outcome_lands_in_its_folder_with_its_reason(world, tmp_path):
    drop(tmp_path, {"story.xml": "ap-nitf-dateline.xml", "afp.xml": "afp-newsml12.xml"})
    (tmp_path / "feed.rss").write_text("<rss version='2.0'><channel/></rss>")
    (tmp_path / "picture.json").write_text('{"uri": "urn:test:pic", "type": "picture"}')
    (tmp_path / "empty-text.json").write_text(
        '{"uri": "urn:test:empty", "type": "text", "headlines": [{"value": "A headline"}], "bodies": [],'
        ' "versioncreated": "2026-03-04T10:00:00Z"}'
    )
    out, err, error = watch(tmp_path)
    assert error == f"2 item(s) failed; they are in {tmp_path / 'failed'}", (out, err, error)
    done = sorted(p.name for p in (tmp_path / "done").iterdir() if not p.name.endswith(".why.txt"))
    failed = sorted(p.name for p in (tmp_path / "failed").iterdir() if not p.name.endswith(".why.txt"))
    assert done == ["afp.xml", "picture.json", "story.xml"]
    assert failed == ["empty-text.json", "feed.rss"]
    why = (tmp_path / "failed" / "feed.rss.why.txt").read_text()
    assert "root is <rss>: not a format Dateline reads" in why
    why = (tmp_path / "failed" / "empty-text.json.why.txt").read_text()
    assert "[ninjs]" in why and "no body text" in why
    skipped = (tmp_path / "done" / "picture.json.why.txt").read_text()
    assert "skipped: not a text story: ninjs item of type 'picture'" in skipped


def test_a_fresh_install_creates_the_sections_the_wire_needs(db, client):
    """No demo, no sections: the mapping's section and the default are made on first use."""
    assert not SectionPage.objects.exists()
    out, err, error = ingest(str(AGENCIES / "reuters-g2-story.xml"), str(AGENCIES / "envelope-ninjs.json"))
    assert error is None, err
    business = SectionPage.objects.get(slug="business")  # subj:04000000 in DATELINE_SUBJECT_SECTIONS
    assert business.live and business.title == "Business"
    world = SectionPage.objects.get(slug="world")  # no subject: DATELINE_DEFAULT_SECTION
    story = ArticlePage.objects.get(source_guid=REUTERS)
    assert story.get_parent().pk == business.pk and story.live
    assert client.get(story.url).status_code == 200
    assert ArticlePage.objects.get(source_guid="urn:newsml:ntb.no:20260304:100412").get_parent().pk == world.pk


def test_a_detailed_subject_code_finds_its_broader_section(db):
    ingest(str(AGENCIES / "afp-newsml12.xml"))  # subj:04000000 and subj:04015000
    story = ArticlePage.objects.get(source_guid="urn:newsml:afp.com:20260304:TX-PAR-QKR81")
    assert story.get_parent().slug == "business"


def test_a_newsml_1_2_cancel_takes_its_story_down(world, client):
    ingest(str(AGENCIES / "afp-newsml12.xml"))
    page = ArticlePage.objects.get(source_guid="urn:newsml:afp.com:20260304:TX-PAR-QKR81")
    url = page.url
    assert client.get(url).status_code == 200
    out, _, error = ingest(str(AGENCIES / "afp-newsml12-cancel.xml"))
    assert error is None and "withdrawn" in out
    page.refresh_from_db()
    assert page.withdrawn and not page.live and client.get(url).status_code == 404


def test_the_credit_line_and_the_correction_show_under_the_story(world, client):
    from bs4 import BeautifulSoup

    ingest(str(AGENCIES / "aap-nitf-reuters-relay.xml"), str(AGENCIES / "ap-g2-correction-edstat.xml"))
    relay = ArticlePage.objects.get(source_guid="AAP-20260304-0412")
    html = BeautifulSoup(client.get(relay.url).content, "html.parser")
    assert html.select_one(".story__credits").text == "(Reporting by Tomasz Wierzbicki; Editing by Hannah Marsh)"
    assert "(Reporting by" not in html.select_one(".story__body").text
    assert "LONDON (Reuters) - Three cottages" in html.select_one(".story__body").text  # the dateline printed once
    corrected = ArticlePage.objects.get(source_guid="urn:publicid:ap.org:5d1c9e7a2b")
    html = BeautifulSoup(client.get(corrected.url).content, "html.parser")
    assert "In Jan. 3 story, corrects name of the council member in paragraph 2." in html.text
    body = html.select_one(".story__body").text
    assert "In Jan. 3 story" not in body and body.count("DENVER (AP)") == 1
    assert corrected.summary.startswith("The city council on Tuesday approved")


def test_the_site_languages_pick_the_versions_of_a_several_language_item(world, settings):
    settings.DATELINE_LANGUAGES = ["en", "sv"]
    out, err, error = ingest(str(AGENCIES / "stt-g2-three-languages.xml"))
    assert error is None, err
    guids = set(ArticlePage.objects.values_list("source_guid", flat=True))
    assert guids == {"urn:newsml:stt.fi:20260304:104418:en", "urn:newsml:stt.fi:20260304:104418:sv"}
    assert "skipped: the fi version of urn:newsml:stt.fi:20260304:104418: not one of the site's languages" in out
    assert "ingested 2" in out and "skipped 1" in out


def test_a_dry_run_prints_every_field_and_writes_nothing(world, tmp_path):
    drop(tmp_path, {"a-cancel.xml": "reuters-g2-cancel-empty-body.xml", "b-story.xml": "reuters-g2-story.xml"})
    drop(tmp_path, {"c-nitf.xml": "ap-nitf-dateline.xml", "d-feed.rss": "envelope-ninjs.json"})
    (tmp_path / "e-bad.rss").write_text("<rss/>")
    out, _, error = ingest("--dry-run", str(tmp_path))
    assert error == "1 item(s) would fail; the reasons are in the table"
    lines = out.splitlines()
    assert lines[0].split() == [
        "file",
        "format",
        "guid",
        "ver",
        "status",
        "headline",
        "byline",
        "dateline",
        "agency",
        "section",
        "rule",
        "paras",
        "first",
        "words",
    ]
    story = next(line for line in lines if line.startswith("b-story.xml"))
    for value in (
        "newsml-g2",
        "usable",
        "Shipping firm names new chief",
        "By Ingrid Solberg",
        "OSLO",
        "Reuters",
        "business",
        "A Norwegian shipping company",
    ):
        assert value in story, (value, story)
    assert "publish: default" in story  # the rule it would meet (none: the tests set DATELINE_INGEST_DEFAULT)
    cancel = next(line for line in lines if line.startswith("a-cancel.xml"))
    assert "canceled" in cancel and "kill: at once" in cancel
    assert lines.index(story) < lines.index(cancel)  # applied in version order: the cancel (2) after the story (1)
    assert "FAILED" in next(line for line in lines if line.startswith("e-bad.rss"))
    assert "5 item(s), 1 would fail; nothing was written (--dry-run)" in out
    assert not ArticlePage.objects.exists() and not (tmp_path / "done").exists()


def test_a_wordpress_export_moves_in_with_pictures_and_redirects(db, tmp_path, client, settings):
    from dateline.demo.images import landscape

    settings.DATELINE_WXR_SECTIONS = {"sports": "sport"}  # local-news is not mapped: a section of its own
    export = tmp_path / "export.xml"
    shutil.copy(AGENCIES / "wordpress" / "export.xml", export)
    uploads = tmp_path / "uploads"
    (uploads / "2025" / "11").mkdir(parents=True)
    (uploads / "2025" / "11" / "footbridge.jpg").write_bytes(landscape("footbridge"))
    out, err, error = ingest(str(export), "--media", str(uploads))
    assert error is None, err
    assert "ingested 1" in out and "skipped 4" in out  # an attachment, a draft, a trash post, a page
    assert "skipped: not published: a WordPress draft post (Budget meeting notes (draft))" in out
    assert "skipped: not published: a WordPress trash post (Old parking rules)" in out

    page = ArticlePage.objects.get(source_guid="https://ledger.example/?p=41")
    assert page.title == "Footbridge over the mill race reopens" and page.live
    section = page.get_parent().specific
    assert (section.slug, section.title) == ("local-news", "Local News")
    assert page.summary == "The bridge is open again after eight months of repairs."
    assert [a.name for a in page.authors] == ["Marta Bello"]
    assert sorted(page.tags.names()) == ["Bridges", "Roads"]
    paragraphs = [block.value.source for block in page.body if block.block_type == "paragraph"]
    assert paragraphs == [
        "<p>The footbridge over the old mill race reopened on Monday after eight months of repairs.</p>",
        "<p>Council engineers replaced the deck and both handrails.<br>The work cost £180,000, paid from the roads "
        "budget.</p>",
        "<p>The towpath beside it stays closed until spring.</p>",
    ]  # WordPress's paragraph rules; the [caption] shortcode and block comments gone
    assert page.lead_image is not None and page.lead_image.file.size > 0
    assert page.lead_caption == "The footbridge on its first morning."
    assert page.lead_credit == "Ledger photo/Marta Bello"

    old = client.get("/2025/11/03/footbridge-reopens/")
    assert old.status_code == 301 and old["Location"].endswith(page.url)
