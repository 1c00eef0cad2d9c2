"""Production configuration: Django's deployment checks pass, security headers are on every page."""

import secrets

import pytest
from django.contrib.auth.hashers import make_password

from dateline.settings import base
from tests.conftest import dateline_command


@pytest.mark.slow
def test_check_deploy_passes_with_only_the_documented_variables(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATELINE_SECRET_KEY", secrets.token_urlsafe(50))
    monkeypatch.setenv("DATELINE_ALLOWED_HOSTS", "news.example.org")
    monkeypatch.setenv("DATELINE_SITE_URL", "https://news.example.org")
    done = dateline_command(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", env_settings="dateline.settings.production"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.django_db
def test_security_headers_on_public_pages(client, world):
    for url in ("/", "/world/", "/search/?q=x", "/feeds/rss/", "/no-such-page/"):
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response["X-Frame-Options"] == "SAMEORIGIN", url
    csp = client.get("/")["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp and "object-src 'none'" in csp


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS  # the test settings use a fast hasher instead
    assert make_password("a long passphrase for an editor").startswith("argon2$")


@pytest.mark.slow
@pytest.mark.parametrize(
    "given, expected",
    [({}, ("2", "64")), ({"MALLOC_ARENA_MAX": "4", "DATELINE_SQLITE_CACHE_KB": "1000"}, ("4", "1000"))],
)
def test_serve_runs_the_app_server_with_two_malloc_arenas_and_small_sqlite_caches_unless_told_otherwise(
    site_home, given, expected
):
    """At 100,000 stories a 32-thread worker's SQLite page caches held about 60 MiB (bench/memory.py);
    two malloc arenas cap what its threads can keep. With nothing to run beside it, `dateline
    serve` is the app server itself: no Python parent waiting on it."""
    from pathlib import Path

    from tests.browser.conftest import _free_port
    from tests.conftest import dateline_env, serving_home

    env = {**dateline_env(site_home), **given}
    if not given:
        env.pop("MALLOC_ARENA_MAX", None)
        env.pop("DATELINE_SQLITE_CACHE_KB", None)
    with serving_home(site_home, _free_port(), env=env) as server:
        assert b"granian" in Path(f"/proc/{server.pid}/cmdline").read_bytes()
        [worker] = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        for pid in (server.pid, worker):
            environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert f"MALLOC_ARENA_MAX={expected[0]}".encode() in environment
            assert f"DATELINE_SQLITE_CACHE_KB={expected[1]}".encode() in environment
        # on SQLite the worker has not loaded PostgreSQL's driver (9 MiB)
        assert b"psycopg" not in Path(f"/proc/{worker}/maps").read_bytes()


def test_sqlite_connections_open_with_the_page_cache_they_are_given(site_home):
    """`dateline serve` gives its threads' connections a small cache; an ingest keeps SQLite's own."""
    ask = "from django.db import connection; c = connection.cursor(); c.execute('PRAGMA cache_size'); print(c.fetchone()[0])"
    for given, expected in (({"DATELINE_SQLITE_CACHE_KB": "256"}, "-256"), ({}, "-2000")):
        done = dateline_command(site_home, "shell", "-c", ask, extra_env=given)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split()[-1] == expected
