"""dateline backup / restore: a populated site brought back into an empty install, page for page."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import dateline_command, shared_path

RENDER_ALL = """
import hashlib, json
from django.test import Client
from dateline.publishing.footprint import site_urls
client = Client(HTTP_HOST="127.0.0.1:8000")
pages = {}
for url in site_urls():
    response = client.get(url)
    pages[url] = [response.status_code, hashlib.sha256(response.content).hexdigest()]
print(json.dumps(pages))
"""


def ok(done):
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def rendered(home: Path) -> dict:
    return json.loads(ok(dateline_command(home, "shell", "-c", RENDER_ALL)).strip().splitlines()[-1])


def media(home: Path) -> dict:
    import hashlib

    root = home / "media"
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


@pytest.fixture
def populated(site_home):
    ok(dateline_command(site_home, "load-demo"))
    ok(dateline_command(site_home, "import-text", str(shared_path("seed/nato-russia-patriot.txt"))))
    return site_home


def test_a_restored_install_renders_every_page_and_holds_every_picture(populated, tmp_path):
    backup = tmp_path / "backup"
    report = ok(dateline_command(populated, "backup", str(backup)))
    assert "checksums in manifest.json" in report
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"] == "sqlite" and "news" in manifest["migrations"]
    assert any(name.startswith("media/original_images/") for name in manifest["files"])

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    ok(dateline_command(fresh, "restore", str(backup)))

    before, after = rendered(populated), rendered(fresh)
    assert len(before) > 80 and all(status == 200 for status, _ in before.values())
    assert after == before  # every page, every page number, single, print, list, feed and sitemap, byte for byte
    pictures = media(populated)
    assert len(pictures) >= 6 and media(fresh) == pictures


def test_a_damaged_backup_is_refused_before_anything_changes(populated, tmp_path):
    backup = tmp_path / "backup"
    ok(dateline_command(populated, "backup", str(backup)))
    picture = next((backup / "media" / "original_images").iterdir())
    picture.write_bytes(picture.read_bytes()[:-10] + b"0123456789")
    target = tmp_path / "target"
    target.mkdir()
    done = dateline_command(target, "restore", str(backup))
    assert done.returncode != 0
    assert f"media/original_images/{picture.name} does not match its checksum" in done.stderr
    assert not (target / "dateline.sqlite3").exists() and not (target / "media").exists()
    checked = dateline_command(populated, "restore", "--check", str(backup))
    assert checked.returncode != 0 and "damaged" in checked.stderr


def test_a_backup_never_overwrites_a_folder(populated, tmp_path):
    (tmp_path / "taken").mkdir()
    done = dateline_command(populated, "backup", str(tmp_path / "taken"))
    assert done.returncode != 0 and "already exists" in done.stderr
    assert not list(tmp_path.glob(".taken-*"))  # no half-written backup left behind


POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.mark.slow
@pytest.mark.skipif(not POSTGRES, reason="runs in the PostgreSQL pass of `make test` (DATABASE_URL set)")
def test_a_postgresql_backup_restores_into_an_empty_database(tmp_path):
    """pg_dump and pg_restore: two scratch databases on the test server, one populated, one empty."""
    import secrets
    import urllib.parse

    import psycopg

    server = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    admin = server._replace(path="/postgres").geturl()
    names = [f"dateline_backup_{secrets.token_hex(4)}_{n}" for n in ("from", "into")]
    with psycopg.connect(admin, autocommit=True) as connection:
        for name in names:
            connection.execute(f'CREATE DATABASE "{name}"')
    try:
        homes = []
        for name in names:
            home = tmp_path / name
            home.mkdir()
            homes.append((home, server._replace(path=f"/{name}").geturl()))
        (source, source_url), (target, target_url) = homes

        def run(home, url, *args):
            return ok(dateline_command(home, *args, database_url=url))

        run(source, source_url, "migrate", "--no-input", "-v", "0")
        run(source, source_url, "load-demo")
        run(source, source_url, "backup", str(tmp_path / "backup"))
        assert json.loads((tmp_path / "backup" / "manifest.json").read_text())["database"] == "postgresql"
        run(target, target_url, "restore", str(tmp_path / "backup"))

        def pages(home, url):
            return json.loads(run(home, url, "shell", "-c", RENDER_ALL).strip().splitlines()[-1])

        before = pages(source, source_url)
        assert len(before) > 80 and pages(target, target_url) == before
        assert media(target) == media(source) and len(media(source)) >= 6
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            for name in names:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
