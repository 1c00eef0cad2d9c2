"""Settings: production refuses to start without its secrets; defaults need no set-up."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # each test starts a Python process with its own environment


def import_settings(module, **env):
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATELINE_", "DJANGO_")) and k not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")
    }
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import {module} as s; print(s.DATABASES['default']['ENGINE'], s.TIME_ZONE)"],
        capture_output=True,
        text=True,
        env=environ,
    )


SITE = "https://news.example"


def test_production_needs_a_secret_key(tmp_path):
    result = import_settings(
        "dateline.settings.production",
        DATELINE_HOME=str(tmp_path),
        DATELINE_ALLOWED_HOSTS="news.example",
        DATELINE_SITE_URL=SITE,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATELINE_SECRET_KEY is not set" in result.stderr


def test_production_needs_allowed_hosts(tmp_path):
    result = import_settings(
        "dateline.settings.production",
        DATELINE_HOME=str(tmp_path),
        DATELINE_SECRET_KEY="x" * 50,
        DATELINE_SITE_URL=SITE,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATELINE_ALLOWED_HOSTS is not set" in result.stderr


def test_production_needs_the_sites_public_address(tmp_path):
    result = import_settings(
        "dateline.settings.production",
        DATELINE_HOME=str(tmp_path),
        DATELINE_SECRET_KEY="x" * 50,
        DATELINE_ALLOWED_HOSTS="news.example",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATELINE_SITE_URL is not set" in result.stderr


def test_production_starts_with_all_three(tmp_path):
    result = import_settings(
        "dateline.settings.production",
        DATELINE_HOME=str(tmp_path),
        DATELINE_SECRET_KEY="x" * 50,
        DATELINE_ALLOWED_HOSTS="news.example",
        DATELINE_SITE_URL=SITE,
    )
    assert result.returncode == 0, result.stderr


def run_dateline(tmp_path, *args, **env):
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATELINE_", "DJANGO_")) and k not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")
    }
    environ.update(DATELINE_HOME=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-m", "dateline.cli", *args], capture_output=True, text=True, env=environ, timeout=120
    )


def test_the_dateline_command_uses_production_settings_unless_debug_is_asked_for(tmp_path):
    show = ("shell", "-c", "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)")
    refused = run_dateline(tmp_path, *show)
    assert refused.returncode != 0
    assert "DATELINE_SECRET_KEY is not set" in refused.stderr and "make run" in refused.stderr
    production = run_dateline(
        tmp_path, *show, DATELINE_SECRET_KEY="x" * 50, DATELINE_ALLOWED_HOSTS="news.example", DATELINE_SITE_URL=SITE
    )
    assert production.stdout.split()[-2:] == ["dateline.settings.production", "False"], production.stderr
    assert run_dateline(tmp_path, *show, DATELINE_DEBUG="true").stdout.split()[-2:] == ["dateline.settings.dev", "True"]


def test_the_wsgi_application_uses_production_settings(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DATELINE_", "DJANGO_"))}
    environ["DATELINE_HOME"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", "import dateline.wsgi"], capture_output=True, text=True, env=environ, timeout=120
    )
    assert result.returncode != 0 and "DATELINE_SECRET_KEY is not set" in result.stderr


def test_local_settings_generate_a_private_secret_once_and_keep_production_checks(tmp_path):
    show = (
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY, settings.SESSION_COOKIE_SECURE)",
    )
    first = run_dateline(tmp_path, *show, DJANGO_SETTINGS_MODULE="dateline.settings.local")
    again = run_dateline(tmp_path, *show, DJANGO_SETTINGS_MODULE="dateline.settings.local")
    debug, key, secure = first.stdout.split()[-3:]
    assert debug == "False" and len(key) >= 50 and secure == "False"  # plain HTTP on a trial machine
    assert again.stdout.split()[-2] == key
    assert (tmp_path / "secret-key").stat().st_mode & 0o077 == 0


def test_defaults_sqlite_under_dateline_home_and_new_york(tmp_path):
    result = import_settings("dateline.settings.dev", DATELINE_HOME=str(tmp_path))
    assert result.stdout.split() == ["django.db.backends.sqlite3", "America/New_York"]


def test_database_url_switches_to_postgresql(tmp_path):
    result = import_settings(
        "dateline.settings.dev", DATELINE_HOME=str(tmp_path), DATABASE_URL="postgres://u@127.0.0.1:5432/dateline"
    )
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


def test_bad_boolean_names_the_variable(tmp_path):
    result = import_settings("dateline.settings.dev", DATELINE_HOME=str(tmp_path), DATELINE_DEBUG="maybe")
    assert "DATELINE_DEBUG='maybe' is not a boolean" in result.stderr


@pytest.mark.parametrize("zone", ["Europe/London"])
def test_time_zone_from_environment(tmp_path, zone):
    result = import_settings("dateline.settings.dev", DATELINE_HOME=str(tmp_path), DATELINE_TIME_ZONE=zone)
    assert result.stdout.split()[1] == zone


def test_an_unknown_email_service_is_named_and_a_known_one_is_used(tmp_path):
    result = import_settings("dateline.settings.dev", DATELINE_HOME=str(tmp_path), DATELINE_EMAIL_SERVICE="postmarc")
    assert result.returncode != 0
    assert "DATELINE_EMAIL_SERVICE='postmarc' is not an e-mail service django-anymail knows" in result.stderr
    known = subprocess.run(
        [sys.executable, "-c", "import dateline.settings.dev as s; print(s.EMAIL_BACKEND)"],
        capture_output=True,
        text=True,
        env={**os.environ, "DATELINE_HOME": str(tmp_path), "DATELINE_EMAIL_SERVICE": "Postmark"},
    )
    assert known.stdout.strip() == "anymail.backends.postmark.EmailBackend", known.stderr
