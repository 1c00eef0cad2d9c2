"""`dateline ingest --bulk` (wire/bulk.py) writes the pages, revisions and history a normal ingest writes."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backend

from dateline.news.models import ArticlePage
from dateline.topics.models import StoryTopic, Topic
from dateline.wire.models import IngestRule, WireItem, WireKill
from tests.wire.test_newsmlg2 import item

pytestmark = pytest.mark.django_db

# Fields that differ between any two runs whatever they do: the clock, random keys (a block's id), row ids.
VOLATILE = {
    "pk",
    "id",
    "page",
    "content_object",
    "translation_key",
    "latest_revision",
    "live_revision",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "author",
    "tag",
    "agency",
    "locale",
    "owner",
    "content_type",
    "section_page",
}


def newsml(guid: str, headline: str, *, version: str = "1", body: str = "", meta: str = "", people: str = "") -> bytes:
    body = body or f"<p>OSTREL (Dateline) - {headline} was decided on Tuesday.</p><p>The council met at noon.</p>"
    content_meta = (
        f"{people}<subject qcode='medtop:11000000'><name>politics</name></subject>"
        "<subject qcode='medtop:20000350'><name>harbour works</name></subject>"
    )
    data = item(body, guid=guid, version=version, item_meta=meta, content_meta=content_meta)
    return data.replace(b"NATO set to approve Patriots for Turkey", headline.encode())


@pytest.fixture
def back_file(tmp_path, world):
    """An archive as agencies send it: stories, one headline twice, a correction and a kill in the same run,
    a story already on the site, and a file that cannot be read."""
    Topic.objects.create(name="Ostrel")
    folder = tmp_path / "archive"
    folder.mkdir()
    people = "<creator><name>Ines Okafor</name></creator>"
    (folder / "a.xml").write_bytes(newsml("urn:bulk:a", "Harbour pier approved", people=people))
    (folder / "b.xml").write_bytes(newsml("urn:bulk:b", "Harbour pier approved"))  # the same slug: -1
    (folder / "c.xml").write_bytes(newsml("urn:bulk:c", "Ferry strike ends", people=people))
    (folder / "c2.xml").write_bytes(newsml("urn:bulk:c", "Ferry strike ends after talks", version="2"))
    (folder / "d.xml").write_bytes(newsml("urn:bulk:d", "Museum roof mended"))
    (folder / "d-kill.xml").write_bytes(
        newsml("urn:bulk:d", "Museum roof mended", version="2", meta='<pubStatus qcode="stat:canceled"/>', body="")
    )
    (folder / "e.xml").write_bytes(newsml("urn:bulk:e", "Tram line reopens", version="2"))
    (folder / "broken.xml").write_bytes(newsml("urn:bulk:f", "Cut short")[:-60])
    earlier = tmp_path / "earlier.xml"
    earlier.write_bytes(newsml("urn:bulk:e", "Tram line closes"))
    call_command("ingest", str(earlier), stdout=io.StringIO())
    return folder


def normalised(value):
    if isinstance(value, str) and value.startswith("[{"):  # a StreamField, as a revision keeps it
        value = json.loads(value)
    if isinstance(value, dict):
        return {key: normalised(item) for key, item in value.items() if key not in VOLATILE}
    if isinstance(value, list):
        return [normalised(item) for item in value]
    return value


def snapshot() -> dict:
    """What a reader, an editor and the history see of every wire story, without row ids or clock times."""
    stories = {}
    for page in ArticlePage.objects.exclude(source_guid="").order_by("source_guid"):
        revisions = Revision.objects.filter(object_id=str(page.pk), base_content_type=page.get_base_content_type())
        stories[page.source_guid] = {
            "title": page.title,
            "slug": page.slug,
            "url": page.url,
            "path": page.path,
            "live": page.live,
            "withdrawn": page.withdrawn,
            "unpublished changes": page.has_unpublished_changes,
            "latest is live": page.latest_revision_id == page.live_revision_id,
            "summary": page.summary,
            "body": normalised(list(page.body.raw_data)),
            "dateline": page.dateline,
            "agency": page.agency.name if page.agency else None,
            "authors": [author.name for author in page.authors],
            "tags": sorted(tag.name for tag in page.tags.all()),
            "published": page.published_at,
            "updated": page.updated_at,
            "version": page.source_version,
            "section": page.section_page.slug if page.section_page else None,
            "revisions": [normalised(revision.content) for revision in revisions.order_by("created_at", "pk")],
            "history": sorted(
                (
                    entry.action,
                    entry.label,
                    entry.data,
                    entry.content_changed,
                    entry.revision_id is not None,
                    entry.uuid is not None,
                )
                for entry in PageLogEntry.objects.filter(page=page)
            ),
            "topics": sorted(StoryTopic.objects.filter(page=page).values_list("topic__name", "auto")),
            "references": sorted(
                (model_path, re.sub(r"\.\d+\.", ".N.", content_path))  # child row ids differ
                for model_path, content_path in ReferenceIndex.objects.filter(object_id=str(page.pk)).values_list(
                    "model_path", "content_path"
                )
            ),
            "desk": WireItem.objects.filter(guid=page.source_guid).values_list("status", "rule", "section").first(),
        }
    found = get_search_backend().search("harbour pier", ArticlePage)
    return {
        "stories": stories,
        "kills": sorted(WireKill.objects.values_list("guid", "version")),
        "searched": sorted(hit.source_guid for hit in found),
        "tree sound": all(not problems for problems in Page.find_problems()),
    }


def differences(a, b, where="") -> list[str]:
    """Where two snapshots differ, as paths to the values (the assertion's message)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for key in a.keys() | b.keys() for d in differences(a.get(key), b.get(key), f"{where}.{key}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for n, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{where}[{n}]")]
    return [] if a == b else [f"{where}: {a!r} != {b!r}"]


class Undone(Exception):
    pass


def run_and_undo(*args) -> tuple[dict, str, str | None]:
    """Ingest, look, and roll it all back: each way starts from the same site."""
    out, error = io.StringIO(), None
    try:
        with transaction.atomic():
            try:
                call_command("ingest", *args, stdout=out, stderr=io.StringIO())
            except CommandError as exc:
                error = str(exc)
            seen = snapshot()
            raise Undone
    except Undone:
        pass
    return seen, out.getvalue().strip().splitlines()[-1], error


@pytest.fixture
def together(monkeypatch) -> list[int]:
    """The size of each chunk written together; a chunk that failed (and went one story at a time) is not."""
    from dateline.wire import bulk as bulk_module

    written: list[int] = []
    write_together = bulk_module._write_together

    def counted(items, section):
        write_together(items, section)
        written.append(len(items))

    monkeypatch.setattr(bulk_module, "_write_together", counted)
    return written


def test_bulk_gives_the_same_pages_revisions_and_history_as_a_normal_ingest(back_file, together):
    normal, normal_summary, normal_error = run_and_undo(str(back_file))
    bulk, bulk_summary, bulk_error = run_and_undo(str(back_file), "--bulk")
    assert together == [2]  # a and b went in bulk; the rest (a later version, a kill, an update) one at a time
    assert (
        normal["stories"].keys()
        == bulk["stories"].keys()
        == {
            "urn:bulk:a",
            "urn:bulk:b",
            "urn:bulk:c",
            "urn:bulk:d",
            "urn:bulk:e",
        }
    )
    for guid in normal["stories"]:
        assert bulk["stories"][guid] == normal["stories"][guid], differences(
            bulk["stories"][guid], normal["stories"][guid]
        )
    assert bulk == normal
    assert bulk_summary == normal_summary
    assert bulk_error == normal_error == "1 item(s) failed; the reasons are above"  # the broken file, each way


def test_what_bulk_writes_is_what_a_newsroom_expects(back_file, client):
    seen, summary, error = run_and_undo(str(back_file), "--bulk")
    stories = seen["stories"]
    assert stories["urn:bulk:a"]["slug"] == "harbour-pier-approved"
    assert stories["urn:bulk:b"]["slug"] == "harbour-pier-approved-1"
    assert stories["urn:bulk:a"]["authors"] == ["Ines Okafor"] and stories["urn:bulk:a"]["live"]
    assert [entry[0] for entry in stories["urn:bulk:a"]["history"]] == [
        "wagtail.create",
        "wagtail.edit",
        "wagtail.publish",
    ]
    assert ("Ostrel", True) in stories["urn:bulk:a"]["topics"]
    assert stories["urn:bulk:c"]["title"] == "Ferry strike ends after talks" and stories["urn:bulk:c"]["version"] == 2
    assert len(stories["urn:bulk:c"]["revisions"]) == 2
    assert not stories["urn:bulk:d"]["live"] and stories["urn:bulk:d"]["withdrawn"]  # the kill won
    assert stories["urn:bulk:e"]["title"] == "Tram line reopens"  # already on the site: updated
    assert seen["searched"] == ["urn:bulk:a", "urn:bulk:b"] and seen["tree sound"]
    assert "ingested 4, updated 2" in summary and "failed 1" in summary


def test_bulk_stories_are_on_the_site_and_in_its_lists(back_file, client):
    call_command("ingest", str(back_file / "a.xml"), str(back_file / "b.xml"), "--bulk", stdout=io.StringIO())
    page = ArticlePage.objects.get(source_guid="urn:bulk:a")
    answer = client.get(page.url)
    assert answer.status_code == 200 and b"Harbour pier approved" in answer.content and b"Ines Okafor" in answer.content
    listing = client.get(page.section_page.url).content.decode()
    assert page.url in listing and ArticlePage.objects.get(source_guid="urn:bulk:b").url in listing


def test_bulk_brings_the_desk_record_of_a_discarded_version_up_to_date(tmp_path, world, together):
    """A story a rule once discarded has a desk record and no page: its next version, written in bulk,
    updates that record (one a guid) rather than failing the chunk on the guid's uniqueness."""
    rule = IngestRule.objects.create(name="not yet", action="discard", words="Museum")
    first = tmp_path / "first.xml"
    first.write_bytes(newsml("urn:bulk:m", "Museum roof mended"))
    call_command("ingest", str(first), stdout=io.StringIO())
    assert WireItem.objects.get(guid="urn:bulk:m").status == "discarded"
    rule.delete()
    folder = tmp_path / "later"
    folder.mkdir()
    (folder / "m.xml").write_bytes(newsml("urn:bulk:m", "Museum roof mended at last", version="2"))
    (folder / "n.xml").write_bytes(newsml("urn:bulk:n", "Harbour pier approved"))
    call_command("ingest", str(folder), "--bulk", stdout=io.StringIO())
    assert together == [2]
    record = WireItem.objects.get(guid="urn:bulk:m")
    page = ArticlePage.objects.get(source_guid="urn:bulk:m")
    assert (record.status, record.version, record.page_id, record.headline) == (
        "published",
        2,
        page.pk,
        "Museum roof mended at last",
    )
    assert page.live and WireItem.objects.filter(guid="urn:bulk:n", status="published").exists()
