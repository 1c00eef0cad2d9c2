"""`dateline ingest`: batches of files and folders, and the drop folder."""

import io
import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from dateline.news.models import ArticlePage
from dateline.wire.dropfolder import DropFolder
from dateline.wire.story import WireError
from tests.conftest import iptc_path, shared_path
from tests.wire.test_newsmlg2 import item

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", *args, stdout=out, stderr=err, **options)
        error = None
    except CommandError as exc:
        error = str(exc)
    return out.getvalue(), err.getvalue(), error


@pytest.fixture
def batch(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "nato.xml").write_bytes(item())
    (folder / "second.xml").write_bytes(item(guid="urn:test:2").replace(b"NATO set to approve", b"Allies weigh"))
    (folder / "broken.xml").write_bytes(item(guid="urn:test:3")[:-40])
    (folder / "no-headline.json").write_text(json.dumps({"uri": "urn:test:4", "type": "text", "bodies": []}))
    (folder / "picture.json").write_text(json.dumps({"uri": "urn:test:5", "type": "picture"}))
    (folder / ".hidden.xml").write_bytes(item(guid="urn:test:6"))
    (folder / "arriving.xml.tmp").write_bytes(item(guid="urn:test:7"))
    return folder


def test_a_batch_goes_on_past_bad_files_and_says_what_happened(world, batch):
    out, err, error = run(str(batch))
    assert error == "2 item(s) failed; the reasons are above"
    assert (
        "5 file(s): ingested 2, updated 0, withdrawn 0, ignored 0 (same or older versions), "
        "skipped 1 (not text stories), failed 2" in out
    )
    # Every line says what the file was read as.
    assert f"{batch / 'broken.xml'}: [newsml-g2] error: malformed XML at line" in err
    assert f"{batch / 'no-headline.json'}: [ninjs] urn:test:4: error: the ninjs document has no headline" in err
    assert (
        f"{batch / 'picture.json'}: [ninjs] urn:test:5: skipped: not a text story: ninjs item of type 'picture'" in out
    )
    assert sorted(ArticlePage.objects.values_list("source_guid", flat=True)) == ["urn:test:1", "urn:test:2"]


def test_ingesting_the_same_files_twice_makes_no_second_page(world, batch):
    run(str(batch / "nato.xml"))
    out, err, error = run(str(batch / "nato.xml"), str(batch / "nato.xml"))
    assert error is None and "ignored 2" in out
    assert ArticlePage.objects.count() == 1


@override_settings(DATELINE_WIRE_MAX_BYTES=2048)
def test_a_file_over_the_size_cap_is_refused(world, tmp_path):
    big = tmp_path / "big.xml"
    big.write_bytes(item("<p>" + "word " * 1000 + "</p>"))
    out, err, error = run(str(big))
    assert "big.xml: [unknown format] error: the file is larger than the 0 MB cap (DATELINE_WIRE_MAX_MB)" in err
    assert error and ArticlePage.objects.count() == 0


def test_real_agency_files_in_every_format(world):
    files = [
        *(
            iptc_path(p)
            for p in (
                "newsml-g2/LISTING_2_NewsML-G2_Text_Document.xml",
                "ninjs/examples/2.1/dpa_text.json",
                "ninjs/examples/3.0/ninjsExSimpleText_3.json",
            )
        ),
        shared_path("seed/nato-russia-patriot.txt"),
    ]
    out, err, error = run(*map(str, files))
    assert error is None, err
    assert "ingested 4" in out
    titles = set(ArticlePage.objects.values_list("title", flat=True))
    assert {'Fed to halt QE to avert "bubble"', "Captain of wrecked cruise ship on trial in Italy"} <= titles


def test_the_command_wants_files_or_a_folder_to_watch(world, tmp_path):
    assert run()[2] == "give either files and folders to ingest, or --watch DIR"
    assert run(str(tmp_path / "nope.xml"))[2] == f"no such file or folder: {tmp_path / 'nope.xml'}"


# --- the drop folder ------------------------------------------------------------------------------


@pytest.fixture
def drop(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    return folder


def watcher(folder, lines=None):
    return DropFolder(folder, interval=0, log=(lines.append if lines is not None else lambda line: None))


def test_files_are_filed_in_done_or_failed_with_the_reason_beside_them(world, drop, batch):
    for path in batch.iterdir():
        shutil.copy(path, drop / path.name)
    with watcher(drop) as folder:
        assert folder.poll() == []  # first sight: a file may still be growing
        folder.poll()
    assert sorted(p.name for p in (drop / "done").iterdir()) == [
        "nato.xml",
        "picture.json",
        "picture.json.why.txt",
        "second.xml",
    ]
    assert sorted(p.name for p in (drop / "failed").iterdir()) == [
        "broken.xml",
        "broken.xml.why.txt",
        "no-headline.json",
        "no-headline.json.why.txt",
    ]
    why = (drop / "failed" / "broken.xml.why.txt").read_text()
    assert why.startswith("broken.xml, ") and "error: malformed XML at line" in why
    assert "not a text story" in (drop / "done" / "picture.json.why.txt").read_text()
    # Temporary and hidden names are left alone for their writer to finish.
    assert sorted(p.name for p in drop.iterdir() if p.is_file() and not p.name.startswith(".dateline")) == [
        ".hidden.xml",
        "arriving.xml.tmp",
    ]
    assert ArticlePage.objects.count() == 2


def test_a_file_still_being_written_waits_until_its_size_is_stable(world, drop):
    data = item()
    target = drop / "growing.xml"
    with watcher(drop) as folder:
        target.write_bytes(data[:100])
        folder.poll()
        with target.open("ab") as handle:
            handle.write(data[100:])
        assert folder.poll() == []  # it changed since the last look
        reports = folder.poll()
    assert [r.path.name for r in reports] == ["growing.xml"] and not reports[0].failed
    assert (drop / "done" / "growing.xml").exists() and ArticlePage.objects.count() == 1


def test_a_file_seen_again_after_a_crash_changes_nothing(world, drop):
    """A crash after the commit but before the move leaves the file: the rerun files it, once."""
    (drop / "nato.xml").write_bytes(item())
    with watcher(drop) as folder:
        folder.poll()
        folder.poll()
    (drop / "nato.xml").write_bytes(item())  # the same file dropped again
    lines = []
    with watcher(drop, lines) as folder:
        folder.poll()
        folder.poll()
    assert ArticlePage.objects.count() == 1
    assert (drop / "done" / "nato-2.xml").exists() and "unchanged" in lines[0]


def test_one_watcher_a_folder(drop):
    with watcher(drop):
        with pytest.raises(WireError, match=r"is already being watched by dateline ingest \(pid \d+\)"):
            with watcher(drop):
                pass
    with watcher(drop):  # released when the first one stops
        pass


def test_a_watcher_starting_at_the_same_moment_names_the_one_that_has_the_folder(drop):
    """The holder takes the lock, then writes its name: a second watcher reading in between waits for it."""
    import fcntl
    import threading

    from dateline.wire.dropfolder import LOCK_NAME

    with open(drop / LOCK_NAME, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # taken; its name not written yet

        def write_name():
            held.write("dateline ingest (pid 4242)\n")
            held.flush()

        later = threading.Timer(0.05, write_name)
        later.start()
        try:
            with pytest.raises(WireError, match=r"already being watched by dateline ingest \(pid 4242\)"):
                with watcher(drop):
                    pass
        finally:
            later.join()


def test_the_watch_command_runs_bounded(world, drop):
    (drop / "nato.xml").write_bytes(item())
    out, err, error = run(watch=str(drop), interval=0, polls=2)
    assert error is None
    assert "nato.xml -> done/: [newsml-g2] urn:test:1: created: /world/nato-set-to-approve-patriots-for-turkey/" in out
    assert out.strip().endswith(
        "1 file(s): ingested 1, updated 0, withdrawn 0, ignored 0 (same or older versions), "
        "skipped 0 (not text stories), failed 0"
    )


def test_a_ninjs_picture_beside_the_file_is_imported(world, tmp_path, client):
    from dateline.demo.images import landscape

    (tmp_path / "summit.jpg").write_bytes(landscape("summit"))
    (tmp_path / "story.json").write_text(
        json.dumps(
            {
                "uri": "urn:test:ninjs-photo",
                "type": "text",
                "versioncreated": "2024-03-01T10:00:00Z",
                "headlines": [{"value": "Leaders meet at the summit"}],
                "by": "Ana Ruiz",
                "bodies": [{"value": "<p>LISBON (Dateline) - Leaders met.</p>", "contenttype": "text/html"}],
                "associations": [
                    {
                        "type": "picture",
                        "by": "Dateline Photo/Ana Ruiz",
                        "descriptions": [{"role": "caption", "value": "Leaders arrive for the summit."}],
                        "renditions": [{"href": "summit.jpg", "contenttype": "image/jpeg"}],
                    }
                ],
            }
        )
    )
    out, err, error = run(str(tmp_path / "story.json"))
    assert error is None, err
    page = ArticlePage.objects.get(source_guid="urn:test:ninjs-photo")
    assert page.lead_image.caption == "Leaders arrive for the summit."
    assert page.lead_image.credit == "Dateline Photo/Ana Ruiz"
    assert page.dateline == "LISBON" and page.agency.name == "Dateline" and page.byline == "By Ana Ruiz"
    assert client.get(page.url).status_code == 200


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # purges follow commits; the home page the migrations made is put back
def test_a_run_purges_its_published_stories_together_and_a_kill_at_once(world, tmp_path, monkeypatch):
    """In a run, stories published go to the page cache's purge together (dateline/batch.py); a kill is
    purged the moment it commits, hard, whatever is waiting; nothing is left owed once the run ends."""
    from dateline import batch as runs
    from dateline.publishing import refresh
    from dateline.publishing.models import Footprint
    from dateline.wire.ingest import expand, ingest_batch, ingest_file

    purges: list[tuple[set, bool]] = []
    real = refresh.addresses

    def recorded(urls, hard=False):
        purges.append((set(urls), hard))
        real(urls, hard=hard)

    monkeypatch.setattr(refresh, "addresses", recorded)
    folder = tmp_path / "run"
    folder.mkdir()
    for n, headline in enumerate(["Allies weigh Patriots", "Harbour pier approved", "Ferry strike ends"]):
        (folder / f"{n}.xml").write_bytes(
            item(guid=f"urn:run:{n}").replace(b"NATO set to approve Patriots for Turkey", headline.encode())
        )
    kill = tmp_path / "kill.xml"
    kill.write_bytes(item(guid="urn:run:0", version="2", item_meta='<pubStatus qcode="stat:canceled"/>', body=""))

    with runs.run(size=100, seconds=None):
        reports = list(ingest_batch(expand([folder])))
        assert [result.action for report in reports for _, result in report.results] == ["created"] * 3
        assert purges == []  # waiting for the run's flush
        killed = ArticlePage.objects.get(source_guid="urn:run:0")
        killed_url = killed.url
        assert ingest_file(kill).results[0][1].action == "withdrawn"
        assert len(purges) == 1 and purges[0][1] is True and killed_url in purges[0][0]  # at once, hard
    assert len(purges) == 2  # the run's one purge for its published stories
    together, hard = purges[1]
    assert not hard and world.url in together and "/" in together
    for page in ArticlePage.objects.filter(source_guid__in=["urn:run:1", "urn:run:2"]):
        assert page.url in together
    assert not Footprint.objects.filter(pending=True).exists()


def test_live_and_embargoed_stories_of_one_run_take_their_own_places_in_an_empty_section(world, tmp_path):
    """One run into an empty section (read once for the run): stories written in one save and an
    embargoed one written Wagtail's way (by the parent's count of children) each get a place of
    their own in the tree."""
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.models import Page

    from dateline import batch as runs
    from dateline.news.models import SectionPage
    from dateline.wire.ingest import expand, ingest_batch

    lift = (timezone.now() + timedelta(hours=2)).replace(microsecond=0).isoformat()
    folder = tmp_path / "run"
    folder.mkdir()
    for n, meta in enumerate(["", f"<embargoed>{lift}</embargoed>", ""]):
        (folder / f"{n}.xml").write_bytes(
            item(guid=f"urn:places:{n}", item_meta=meta).replace(b"NATO", f"NATO {n}".encode())
        )
    with runs.run(size=100, seconds=None):
        reports = list(ingest_batch(expand([folder]), section=None))
    assert [report.errors for report in reports] == [[], [], []]
    section = SectionPage.objects.get(slug="world")
    stories = ArticlePage.objects.filter(source_guid__startswith="urn:places:")
    assert stories.count() == 3 and stories.filter(live=True).count() == 2
    assert Page.objects.get(pk=section.pk).numchild == 3
    assert all(not problems for problems in Page.find_problems())


def test_a_copy_resent_after_an_upgrade_is_still_the_same_copy():
    """Pages keep the digest of what the agency sent (source_checksum), and a copy sent again is
    compared with it: the digest must not change with how it is computed, or every resent copy of
    an older story would be taken for a new version."""
    import hashlib
    from dataclasses import asdict
    from pathlib import Path

    from dateline.wire.importer import checksum
    from dateline.wire.ingest import parse_file

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    paths = sorted(path for path in fixtures.rglob("*") if path.is_file()) + [
        shared_path("seed/nato-russia-patriot.txt")
    ]
    stories = [outcome for path in paths for _, outcome in parse_file(path).items if not isinstance(outcome, WireError)]
    assert (
        len(stories) > 30 and any(story.photos for story in stories) and any(story.subject_codes for story in stories)
    )
    for story in stories:
        stored = hashlib.sha256(json.dumps(asdict(story), sort_keys=True, default=str).encode()).hexdigest()
        assert checksum(story) == stored, story.guid
