"""Shared fixtures: the read-only samples in ../shared and a small site tree."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("DATELINE_SHARED_DIR", Path(__file__).resolve().parents[1].parent / "shared"))
SEED = "seed/nato-russia-patriot.txt"
# IPTC's NewsML-G2 and ninjs examples and schemas, copied with their licences (tests/fixtures/iptc/README.md).
IPTC = Path(__file__).resolve().parent / "fixtures" / "iptc"


# Fixtures that start `dateline` processes or servers: a test using one is marked `slow` (and one under
# tests/browser/ `browser`), so `make test-fast` can leave them out. Modules that start processes
# without them say `pytestmark = pytest.mark.slow` themselves.
SLOW_FIXTURES = {"migrated_home", "site_home", "live_site", "served", "nginx"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in item.path.relative_to(Path(__file__).parent).parts:
            item.add_marker(pytest.mark.browser)
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def shared_path(relative: str) -> Path:
    """A file from ../shared (the seed, which is not ours to copy); missing, the test fails saying where it looked."""
    path = SHARED / relative
    if not path.exists():
        pytest.fail(f"shared sample not found: {path} (set DATELINE_SHARED_DIR to the folder holding seed/)")
    return path


def iptc_path(relative: str) -> Path:
    """One of IPTC's examples or schemas under tests/fixtures/iptc/ (``newsml-g2/...`` or ``ninjs/...``)."""
    path = IPTC / relative
    assert path.exists(), f"IPTC sample not found: {path}"
    return path


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (the file caches outlive a test's database)."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()


@pytest.fixture
def seed_path() -> Path:
    return shared_path(SEED)


@pytest.fixture
def seed_text(seed_path) -> str:
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture
def world(db):
    """The home page (made by the news migrations) with a World section under it."""
    from dateline.news.models import HomePage, SectionPage

    home = HomePage.objects.get()
    section = SectionPage(title="World", slug="world")
    home.add_child(instance=section)
    section.save_revision().publish()
    return section


@pytest.fixture
def seed_page(world, seed_path):
    from dateline.wire.importer import import_story
    from dateline.wire.ingest import read_story

    return import_story(read_story(seed_path), section="world").page


@pytest.fixture
def outbox(settings, tmp_path):
    settings.DATELINE_OUTBOX = tmp_path / "outbox"
    settings.EMAIL_BACKEND = "dateline.backends.outbox.OutboxEmailBackend"
    return settings.DATELINE_OUTBOX


def dateline_env(home: Path, settings: str = "dateline.settings.test", database_url: str | None = None) -> dict:
    """The environment of a `dateline` process of its own on the data folder HOME.

    The database is HOME's SQLite file unless ``database_url`` names another (the cache may be Redis).
    """
    env = {**os.environ, "DATELINE_HOME": str(home), "DJANGO_SETTINGS_MODULE": settings}
    env.pop("DATABASE_URL", None)
    env.pop("PYTEST_XDIST_WORKER", None)  # else the test settings move HOME into a worker's subfolder
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def dateline_command(
    home: Path,
    *args: str,
    timeout: float = 120,
    env_settings: str = "dateline.settings.test",
    database_url: str | None = None,
    extra_env: dict | None = None,
    **kwargs,
):
    """Run `dateline ARGS` in a process of its own against the data folder HOME (test settings by
    default), with EXTRA_ENV's variables added."""
    import subprocess
    import sys

    env = {**dateline_env(home, env_settings, database_url), **(extra_env or {})}
    return subprocess.run(
        [sys.executable, "-m", "dateline.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


def wait_for_server(url: str, process, log: Path, bound: float = 180) -> None:
    """Wait until URL answers (any HTTP status), failing at once if PROCESS stops, or after BOUND seconds."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + bound
    while True:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"{url}: the server stopped: " + log.read_text()[-2000:])
            if time.monotonic() > deadline:
                pytest.fail(f"{url} did not answer within {bound:.0f} s: " + log.read_text()[-2000:])
            time.sleep(0.1)


@contextmanager
def serving_home(home: Path, port: int, *options: str, env: dict | None = None):
    """`dateline serve --workers 1 --no-collectstatic OPTIONS` on the data folder HOME and PORT (test
    settings; ENV, e.g. dateline_env's, with variables of the test's own), answering before this
    yields, stopped after; its output goes to HOME/serve.log."""
    import subprocess
    import sys

    log = home / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "dateline.cli", "serve", "--port", str(port), "--workers", "1"]
            + ["--no-collectstatic", *options],
            env=dateline_env(home) if env is None else env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_server(f"http://127.0.0.1:{port}/robots.txt", server, log)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=120)


@pytest.fixture(scope="session")
def migrated_home(tmp_path_factory) -> Path:
    """A data folder with a migrated SQLite database and a World section, made once a run."""
    home = tmp_path_factory.mktemp("migrated-home")
    for args in (
        ("migrate", "--no-input", "-v", "0"),
        (
            "shell",
            "-c",
            "from dateline.news.models import HomePage, SectionPage; "
            "s = SectionPage(title='World', slug='world'); HomePage.objects.get().add_child(instance=s); "
            "s.save_revision().publish()",
        ),
    ):
        done = dateline_command(home, *args, timeout=300)
        assert done.returncode == 0, done.stderr
    return home


@pytest.fixture
def site_home(migrated_home, tmp_path) -> Path:
    """A fresh copy of the migrated data folder, for commands run in processes of their own."""
    import shutil

    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(migrated_home / "dateline.sqlite3", home / "dateline.sqlite3")
    return home
