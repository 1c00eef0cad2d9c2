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


def test_production_needs_a_secret_key(tmp_path):
    result = import_settings(
        "dateline.settings.production", DATELINE_HOME=str(tmp_path), DATELINE_ALLOWED_HOSTS="news.example"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATELINE_SECRET_KEY is not set" in result.stderr


def test_production_needs_allowed_hosts(tmp_path):
    result = import_settings("dateline.settings.production", DATELINE_HOME=str(tmp_path), DATELINE_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATELINE_ALLOWED_HOSTS is not set" in result.stderr


def test_production_starts_with_both(tmp_path):
    result = import_settings(
        "dateline.settings.production",
        DATELINE_HOME=str(tmp_path),
        DATELINE_SECRET_KEY="x" * 50,
        DATELINE_ALLOWED_HOSTS="news.example",
    )
    assert result.returncode == 0, result.stderr


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
