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
@pytest.mark.parametrize("given, expected", [(None, "2"), ("4", "4")])
def test_serve_runs_the_app_server_with_two_malloc_arenas_unless_told_otherwise(site_home, given, expected):
    """glibc's per-thread arenas cost a 32-thread worker about 70 MiB at 100,000 stories (bench/memory.py)."""
    from pathlib import Path

    from tests.browser.conftest import _free_port
    from tests.conftest import dateline_env, serving_home

    env = dateline_env(site_home)
    env.pop("MALLOC_ARENA_MAX", None)
    if given:
        env["MALLOC_ARENA_MAX"] = given
    with serving_home(site_home, _free_port(), env=env) as server:
        [app_server] = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        environment = Path(f"/proc/{app_server}/environ").read_bytes().split(b"\0")
        assert f"MALLOC_ARENA_MAX={expected}".encode() in environment
