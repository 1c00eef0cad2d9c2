"""Shared fixtures: the read-only samples in ../shared and a small site tree."""

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("DATELINE_SHARED_DIR", Path(__file__).resolve().parents[1].parent / "shared"))
SEED = "seed/nato-russia-patriot.txt"


def shared_path(relative: str) -> Path:
    """A file from ../shared; missing, it fails the test under DATELINE_REQUIRE_SHARED=1, else skips it."""
    path = SHARED / relative
    if not path.exists():
        message = f"shared sample not found: {path}"
        if os.environ.get("DATELINE_REQUIRE_SHARED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


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
