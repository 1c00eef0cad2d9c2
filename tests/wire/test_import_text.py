"""dateline import-text: one transaction a file, no duplicates, clear errors, the batch goes on."""

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import PageLogEntry, Revision

from dateline.news.models import Agency, ArticlePage, Author

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_text", *map(str, args), stdout=out, stderr=err)
        code = 0
    except CommandError:
        code = 1
    return code, out.getvalue(), err.getvalue()


def page_count():
    return ArticlePage.objects.count()


def test_import_creates_a_published_story_with_snippets(world, seed_path):
    code, out, err = run(seed_path, "--section", "world")
    assert code == 0, err
    assert "created: /world/nato-aims-to-repair-russia-ties-despite-patriot-row/" in out
    page = ArticlePage.objects.get()
    assert page.live and page.get_parent().specific == world
    assert page.authors == [Author.objects.get(name="Adrian Croft")]
    assert page.byline == "By Adrian Croft"
    assert page.agency == Agency.objects.get(name="Reuters")
    assert page.dateline == "BRUSSELS"
    assert page.lead_caption.startswith("A woman walks past") and page.lead_credit == "REUTERS/Thierry Roge"
    assert page.source_continued is True
    assert page.summary.startswith("NATO foreign ministers")
    assert page.revisions.count() == 1


def test_reimport_never_duplicates(world, seed_path):
    run(seed_path)
    code, out, _ = run(seed_path)
    assert code == 0 and "unchanged" in out
    assert page_count() == 1
    assert Author.objects.count() == 1 and Agency.objects.count() == 1


def test_reimport_of_an_edited_capture_updates_the_story(world, seed_text, tmp_path):
    path = tmp_path / "seed.txt"
    path.write_text(seed_text)
    run(path)
    path.write_text(seed_text.replace("are hoping to improve ties", "hope to improve ties"))
    code, out, _ = run(path)
    assert code == 0 and "updated" in out
    page = ArticlePage.objects.get()
    assert page_count() == 1 and page.revisions.count() == 2
    assert "hope to improve ties" in page.body[0].value.source


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"", "the file is empty"),
        (b"\x00\x01\x02binary\xff", "not a text file"),
        (b"Sun Dec 2, 2012 10:12am EST\n\nBRUSSELS (Reuters) - Text.\n", "no headline"),
        (b"Headline\nThu Feb 30, 2012 10:12am EST\n\nBRUSSELS (Reuters) - Text.\n", "impossible date"),
    ],
)
def test_bad_file_names_file_and_reason_and_changes_nothing(world, tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    before = (page_count(), Author.objects.count(), Agency.objects.count())
    code, out, err = run(path)
    assert code == 1
    assert f"{path}: error: " in err and reason in err
    assert (page_count(), Author.objects.count(), Agency.objects.count()) == before


def test_missing_file(world, tmp_path):
    code, _, err = run(tmp_path / "nope.txt")
    assert code == 1 and "nope.txt: error: cannot read the file: No such file or directory" in err


def test_batch_goes_on_past_a_bad_file(world, seed_path, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    code, out, err = run(bad, seed_path)
    assert code == 1
    assert "bad.txt: error: the file is empty" in err
    assert "created" in out and page_count() == 1


def test_unknown_section_is_a_clear_error(world, seed_path):
    code, _, err = run(seed_path, "--section", "sport")
    assert code == 1 and "there is no section 'sport' (sections: world)" in err
    assert page_count() == 0


def test_failure_inside_the_import_rolls_back(world, seed_path, monkeypatch):
    """A crash after the page was written leaves nothing behind (one transaction a story)."""
    from dateline.wire import importer
    from dateline.wire.ingest import read_story

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    # the page and its revision are written; the desk's record, the last step, fails
    monkeypatch.setattr(importer.desk, "record", explode)
    revisions, history = Revision.objects.count(), PageLogEntry.objects.count()
    with pytest.raises(RuntimeError):
        importer.import_story(read_story(seed_path), section="world")
    assert page_count() == 0 and Author.objects.count() == 0 and Agency.objects.count() == 0
    assert (Revision.objects.count(), PageLogEntry.objects.count()) == (revisions, history)


def test_console_script_maps_hyphenated_commands(world, seed_path, monkeypatch):
    from dateline import cli

    seen = {}
    monkeypatch.setattr("django.core.management.execute_from_command_line", lambda argv: seen.setdefault("argv", argv))
    cli.main(["dateline", "import-text", str(seed_path)])
    assert seen["argv"][1] == "import_text"
