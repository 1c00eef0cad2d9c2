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

import json
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import sites

PORT = 8769
LIGHTHOUSE = sites.ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MINIMUM = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
RESULTS = sites.ROOT / "bench" / "results"


def lighthouse(url: str, form_factor: str, out: Path) -> dict:
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={CHROMIUM}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    for _ in range(3):  # Lighthouse now and then loses the trace of a load (NO_NAVSTART): run it again
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if done.returncode == 0 or "Please run Lighthouse again" not in done.stderr:
            break
    if done.returncode:
        sys.exit(f"lighthouse failed on {url} ({form_factor}):\n{done.stderr[-2000:]}")
    report = json.loads(out.read_text())
    audits = report["audits"]
    failing = sorted(
        {
            ref["id"]
            for category in CATEGORIES
            for ref in report["categories"][category]["auditRefs"]
            if ref["weight"] and audits[ref["id"]].get("score") is not None and audits[ref["id"]]["score"] < 1
        }
    )
    return {
        **{category: round(report["categories"][category]["score"] * 100) for category in CATEGORIES},
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "failing": failing,
    }


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
                row = lighthouse(f"http://127.0.0.1:{PORT}{path}", form_factor, base / f"{name}-{form_factor}.json")
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
            f"| {name} | {form_factor} | {row['performance']} | {row['accessibility']} | {row['best-practices']} "
            f"| {row['seo']} | {row['cls']:.3f} | {row['lcp']:.2f} s |"
        )
    lines.append("")
    for name, form_factor, row in rows:
        short = [category for category in CATEGORIES if row[category] < MINIMUM[category]]
        if short or row["cls"] > 0.02 or (form_factor == "mobile" and row["lcp"] > 1.5):
            lines.append(
                f"{name} ({form_factor}): under the bar in {', '.join(short) or 'CLS/LCP'}; failing audits: {', '.join(row['failing'])}"
            )
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "lighthouse.txt").write_text(text)


if __name__ == "__main__":
    main()
