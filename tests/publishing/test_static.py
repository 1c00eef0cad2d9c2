"""dateline publish-static: every public page as a file, rewritten (changed files only, atomically) on publish."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from dateline.publishing.models import StaticTarget
from dateline.publishing.static import file_for, write_atomic
from tests.publishing.test_pagecache import NEW_HEADLINE, publish_edit


@pytest.fixture
def published(site, tmp_path, settings):
    settings.DATELINE_PAGE_WORDS = 8  # the NATO story runs to two pages
    out = tmp_path / "public"
    call_command("publish_static", str(out), verbosity=0)
    return site, out


def snapshot(root):
    return {
        path.relative_to(root): (path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes())
        for path in root.rglob("*")
        if path.is_file()
    }


def test_every_public_page_is_written_as_the_app_renders_it(published, client):
    site, out = published
    nato = site.nato.url.strip("/")
    expected = [
        f"{nato}/index.html",
        f"{nato}/page/2/index.html",
        f"{nato}/single/index.html",
        f"{nato}/print/index.html",
        "index.html",
        "world/index.html",
        "business/index.html",
        "authors/adrian-croft/index.html",
        "tags/nato/index.html",
        "feeds/rss/index.xml",
        "feeds/atom/index.xml",
        "feeds/json/index.json",
        "feeds/section/world/rss/index.xml",
        "feeds/author/adrian-croft/json/index.json",
        "sitemap.xml",
        "sitemap-news.xml",
        "sitemap-pages.xml",
        "robots.txt",
        "static/news/css/site.css",
    ]
    missing = [name for name in expected if not (out / name).is_file()]
    assert not missing
    for path in (site.nato.url, f"{site.nato.url}print/", "/", "/feeds/rss/", "/sitemap-news.xml"):
        response = client.get(path)
        assert file_for(out, path, response["Content-Type"]).read_bytes() == response.content, path
    assert not (out / "world" / "draft-on-the-harbour").exists()  # drafts, embargoed and withdrawn: no file
    assert not list(out.rglob(".tmp-*"))
    assert not list(out.rglob("email"))  # the email form stays dynamic
    assert StaticTarget.objects.filter(path=str(out.resolve())).exists()


def test_an_edit_rewrites_only_the_files_that_changed(published, django_capture_on_commit_callbacks):
    site, out = published
    before = snapshot(out)
    publish_edit(site.nato, django_capture_on_commit_callbacks, title=NEW_HEADLINE)
    after = snapshot(out)
    changed = {path for path in after if before.get(path) != after[path]}
    nato = site.nato.url.strip("/")
    for name in (
        f"{nato}/index.html",
        f"{nato}/page/2/index.html",
        f"{nato}/single/index.html",
        f"{nato}/print/index.html",
        "index.html",
        "world/index.html",
        "feeds/rss/index.xml",
        "sitemap-news.xml",
    ):
        assert NEW_HEADLINE in (out / name).read_text(), name
    staff = site.staff.url.strip("/")
    assert not changed & {
        out.joinpath(n).relative_to(out)
        for n in (f"{staff}/index.html", "business/index.html", "robots.txt", "tags/weather/index.html")
    }
    # Every changed file was replaced whole (a new inode: written beside it, then renamed over it).
    assert all(after[path][0] != before[path][0] for path in changed if path in before)
    assert len(changed) < len(after) / 2


def test_unpublishing_removes_the_story_files_and_rewrites_its_lists(published, django_capture_on_commit_callbacks):
    site, out = published
    nato = out / site.nato.url.strip("/")
    assert (nato / "index.html").exists()
    with django_capture_on_commit_callbacks(execute=True):
        site.nato.unpublish()
    assert not (nato / "index.html").exists() and not (nato / "print" / "index.html").exists()
    assert "NATO set to approve" not in (out / "index.html").read_text()
    assert "NATO set to approve" not in (out / "feeds" / "rss" / "index.xml").read_text()


def test_a_second_run_writes_nothing_new_and_drops_what_is_gone(published, capsys):
    _, out = published
    (out / "world" / "old-story").mkdir()
    (out / "world" / "old-story" / "index.html").write_text("gone")
    manifest = json.loads((out / ".dateline-static.json").read_text())
    (out / ".dateline-static.json").write_text(json.dumps([*manifest, "/world/old-story/"]))
    call_command("publish_static", str(out))
    report = capsys.readouterr().out
    assert " 0 files written" in report and "1 removed" in report
    assert not (out / "world" / "old-story" / "index.html").exists()


def test_write_atomic_keeps_identical_files_and_refuses_paths_outside(tmp_path):
    target = tmp_path / "a" / "index.html"
    assert write_atomic(target, b"one") is True
    inode = target.stat().st_ino
    assert write_atomic(target, b"one") is False and target.stat().st_ino == inode
    assert write_atomic(target, b"two") is True and target.read_bytes() == b"two"
    with pytest.raises(ValueError, match="outside"):
        file_for(tmp_path, "/../../etc/passwd")


def test_forget_stops_keeping_a_folder_current(published, django_capture_on_commit_callbacks):
    site, out = published
    call_command("publish_static", str(out), forget=True, verbosity=0)
    before = (out / "index.html").read_bytes()
    publish_edit(site.nato, django_capture_on_commit_callbacks, title=NEW_HEADLINE)
    assert (out / "index.html").read_bytes() == before


def test_a_live_story_its_updates_answer_and_each_update_are_files_kept_current(
    published, django_capture_on_commit_callbacks, client
):
    """Issue 20: static publishing writes the live page and what its readers poll (updates/, which
    nginx then answers with a 304 while nothing changed); posting, editing and deleting an update
    rewrite them, and a deleted update's own page loses its file."""
    from django.utils import timezone

    from dateline.news.live import LiveUpdate

    site, out = published
    live = publish_edit(site.nato, django_capture_on_commit_callbacks, live_since=timezone.now())
    base = out / live.url.strip("/")

    def post(text: str) -> LiveUpdate:
        with django_capture_on_commit_callbacks(execute=True):
            return LiveUpdate.objects.create(
                article=live, body=json.dumps([{"type": "paragraph", "value": f"<p>{text}</p>"}])
            )

    first = post("Warning raised to red.")
    second = post("Ferries halted.")
    for name in ("index.html", "updates/index.html", f"updates/{first.pk}/index.html"):
        assert "Warning raised to red." in (base / name).read_text(), name
    assert "Ferries halted." in (base / "updates" / "index.html").read_text()
    feed = out / "feeds" / "live" / str(live.pk) / "rss" / "index.xml"
    assert "Ferries halted." in feed.read_text()
    assert (base / "updates" / "index.html").read_bytes() == client.get(f"{live.url}updates/").content

    with django_capture_on_commit_callbacks(execute=True):
        second.body = json.dumps([{"type": "paragraph", "value": "<p>Ferries halted until 7am.</p>"}])
        second.save()
    assert "Ferries halted until 7am." in (base / "updates" / "index.html").read_text()
    assert "Ferries halted until 7am." in (base / "index.html").read_text()

    with django_capture_on_commit_callbacks(execute=True):
        second.delete()
    assert not (base / "updates" / str(second.pk) / "index.html").exists()
    for name in ("index.html", "updates/index.html"):
        assert "Ferries halted" not in (base / name).read_text(), name
    assert "Ferries halted" not in feed.read_text()
