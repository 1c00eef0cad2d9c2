"""Lighthouse 12.2.3 (npm, exact in package-lock.json) on the demo site, mobile and desktop profiles.

    .venv/bin/python bench/lighthouse.py            (make bench-lighthouse)

A fresh demo site (production settings, page cache on) served by `dateline serve` (one worker); each
page asked once first (its pictures' renditions made and its fragments kept, as after a publish);
then Lighthouse drives Debian's Chromium over the home page, a section, a story's first page, a
topic page and a search, with the mobile profile (simulated slow 4G and a slowed CPU) and the
desktop one. Prints a table of the four scores, CLS and LCP, and each page's failing audits, and
writes it to bench/results/lighthouse.txt.

Issue 18's thresholds: Performance >= 95, Accessibility, Best Practices and SEO 100, CLS <= 0.02,
LCP <= 1.5 s on the mobile profile.
"""

from __future__ import annotations

import sys
import tempfile
import urllib.request
from pathlib import Path

import sites
from lighthouse_audit import LIGHTHOUSE, LighthouseError, measured, shortfalls

PORT = 8769
RESULTS = sites.ROOT / "bench" / "results"


def main() -> None:
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: `scripts/tools.sh browser` installs it (npm ci)")
    base = Path(tempfile.mkdtemp(prefix="dateline-lighthouse-"))
    home = sites.demo_site(base / "site", PORT)
    pages = {
        "home": "/",
        "section": "/world/",
        "story": sites.story_url(home, PORT),
        "topic": None,
        "search": "/search/?q=harbour",
    }
    topic = (
        "from dateline.topics.models import Topic; print(Topic.objects.filter(story_topics__isnull=False).first().url)"
    )
    pages["topic"] = sites.run(home, PORT, "shell", "-c", topic).split()[-1]
    server = sites.serve(home, PORT)
    rows = []
    try:
        for path in pages.values():
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}").read()
        for form_factor in ("mobile", "desktop"):
            for name, path in pages.items():
                try:
                    row = measured(name, f"http://127.0.0.1:{PORT}{path}", form_factor, base)
                except LighthouseError as exc:
                    sys.exit(str(exc))
                rows.append((name, form_factor, row))
                print(name, form_factor, {k: v for k, v in row.items() if k != "failing"}, flush=True)
    finally:
        sites.stop(server)
    lines = [
        "| page | profile | Performance | Accessibility | Best Practices | SEO | CLS | LCP |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, form_factor, row in rows:
        lines.append(
            f"| {name} | {form_factor} | {row['performance']:.0f} | {row['accessibility']:.0f} | {row['best-practices']:.0f} "
            f"| {row['seo']:.0f} | {row['cls']:.3f} | {row['lcp']:.2f} s |"
        )
    lines.append("")
    for name, form_factor, row in rows:
        if row["runs"] > 1:
            lines.append(f"{name} ({form_factor}): the median of {row['runs']} runs (the first missed the bar)")
        missed = shortfalls(name, form_factor, row)
        if missed:
            lines.append(f"{name} ({form_factor}): under the bar: {'; '.join(missed)}")
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "lighthouse.txt").write_text(text)


if __name__ == "__main__":
    main()
