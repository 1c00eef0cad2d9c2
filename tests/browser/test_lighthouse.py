"""Lighthouse 12.2.3 on the demo site as `dateline serve` gives it: issue 18's bar on five page types,
with the mobile profile (slow 4G, a slowed CPU) and the desktop one.

Performance >= 95; Accessibility, Best Practices and SEO 100; CLS <= 0.02; LCP <= 1.5 s on mobile.
Search results keep out of search engines on purpose (noindex, robots.txt): there only Lighthouse's
is-crawlable audit may fail, every other SEO audit must pass (bench/lighthouse_audit.py, DELIBERATE).
A page that misses the bar on its first run is measured twice more and judged on the median.
The same runner makes the table in bench/README.md (`make bench-lighthouse`).
"""

from __future__ import annotations

import importlib.util
import os
import urllib.request

import pytest

from tests.browser.conftest import CHROMIUM, MULTI_PAGE, ROOT, require

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="runs in the SQLite pass of `make test`: the browser tests' site is the same SQLite one in both passes",
)


def _runner():
    spec = importlib.util.spec_from_file_location("lighthouse_audit", ROOT / "bench" / "lighthouse_audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lighthouse = _runner()
PAGES = ("home", "section", "story", "topic", "search")


@pytest.fixture(scope="module")
def addresses(live_site) -> dict[str, str]:
    require(lighthouse.LIGHTHOUSE, "Lighthouse")
    topic = live_site.command(
        "shell",
        "-c",
        "from dateline.topics.models import Topic; print(Topic.objects.filter(story_topics__isnull=False).first().url)",
    )
    paths = {
        "home": "/",
        "section": "/world/",
        "story": live_site.story_url(MULTI_PAGE),
        "topic": topic.split()[-1],
        "search": "/search/?q=harbour",
    }
    for path in paths.values():  # as after a publish: the pictures' renditions made, the fragments kept
        with urllib.request.urlopen(live_site.url + path, timeout=60) as response:
            assert response.status == 200, path
    return {name: live_site.url + path for name, path in paths.items()}


@pytest.mark.parametrize("form_factor", ["mobile", "desktop"])
@pytest.mark.parametrize("name", PAGES)
def test_lighthouse_scores_meet_the_bar(addresses, name, form_factor, tmp_path):
    row = lighthouse.measured(name, addresses[name], form_factor, tmp_path, chromium=str(CHROMIUM))
    assert lighthouse.shortfalls(name, form_factor, row) == [], row
    if name == "search":  # the one deliberate failure is still the only one
        assert set(row["failing"]["seo"]) <= lighthouse.DELIBERATE["search"], row["failing"]
