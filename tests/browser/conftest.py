"""A real browser on the real server: Debian's Chromium driven by Playwright, the site served by
`dateline serve` (granian, production settings) on a loopback port, both started and stopped here.

`make test` installs Chromium (apt) and axe-core (npm) first and sets DATELINE_REQUIRE_BROWSER=1,
so a missing browser fails these tests there; run by hand without them, they are skipped.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import iptc_path, shared_path, wait_for_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("DATELINE_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MULTI_PAGE = "Ostrel coast plans to move 4,000 homes back from crumbling cliffs"


def require(path: Path, what: str) -> None:
    if not path.exists():
        message = f"{what} not found at {path}: `make test` installs it"
        if os.environ.get("DATELINE_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveSite:
    def __init__(self, home: Path, port: int):
        self.home, self.port = home, port
        self.url = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "DATELINE_HOME": str(home),
            "DJANGO_SETTINGS_MODULE": "dateline.settings.production",
            "DATELINE_SECRET_KEY": secrets.token_hex(32),
            "DATELINE_ALLOWED_HOSTS": "127.0.0.1",
            "DATELINE_HTTPS": "false",
            "DATELINE_INGEST_DEFAULT": "publish",  # the browser tests read what the wire brings at once
            "DATELINE_DESK_EMAIL": "desk@news.example",
            "DATELINE_SITE_URL": self.url,
            "DATELINE_LOG_LEVEL": "WARNING",
        }
        self.env.pop("DATABASE_URL", None)

    def command(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "dateline.cli", *args], env=self.env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def story_url(self, title: str) -> str:
        return (
            self.command(
                "shell",
                "-c",
                f"from dateline.news.models import ArticlePage; print(ArticlePage.objects.get(title={title!r}).url)",
            )
            .strip()
            .splitlines()[-1]
        )

    def outbox(self) -> list[Path]:
        return sorted((self.home / "outbox").glob("*.eml"))


@contextmanager
def serving(site: LiveSite, workers: int):
    """`dateline serve` for SITE on its port, answering before this yields, stopped after."""
    log = site.home / "server.log"
    with open(log, "w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dateline.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(site.port),
                "--workers",
                str(workers),
            ],
            env=site.env,
            stdout=out,
            stderr=out,
        )
    try:
        wait_for_server(site.url + "/robots.txt", server, log)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=60)


@pytest.fixture(scope="session")
def live_site(migrated_home, tmp_path_factory):
    require(CHROMIUM, "Chromium")
    home = tmp_path_factory.mktemp("live-site")
    shutil.copy(migrated_home / "dateline.sqlite3", home / "dateline.sqlite3")
    site = LiveSite(home, _free_port())
    site.command("load-demo")
    site.command("import-text", str(shared_path("seed/nato-russia-patriot.txt")))
    site.command("ingest", str(iptc_path("ninjs/examples/2.1/ntb_text.json")))  # Norwegian, with tags
    with serving(site, workers=1):
        yield site


@pytest.fixture(scope="session")
def browser(live_site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda message: message.type == "error" and tab.console_errors.append(message.text))
    yield tab
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """A folder named for this test run (not committed) where screenshots go for a person to look at."""
    folder = Path(os.environ.get("DATELINE_SCREENSHOTS", ROOT / "test-artifacts")) / datetime.now().strftime(
        "screenshots-%Y%m%d-%H%M%S"
    )
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder
