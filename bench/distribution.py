"""Feeds and sitemaps with a small and a large archive: does one response cost more as the archive grows?

    .venv/bin/python bench/distribution.py [SMALL LARGE]      (make bench-distribution; default 1000 100000)

For each size: a fresh SQLite site (demo sections and stories, then `dateline generate-archive`,
30 stories a day back from now), served by `dateline serve` (granian, one worker, production
settings, no page cache yet) pinned to core 0; wrk on core 1 requests each address for a bounded
time on loopback. Prints requests/s and latency per address and size with the responses kept
in the cache as the site keeps them (until the list changes), and the ratio of the small
archive's rate to the large one's (1.0: the same cost); then the time of the first request
after a publish (the newest World story republished, so each list must be rebuilt), for each
size, and the large/small ratio.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import sites

DURATION = int(os.environ.get("DURATION", "5"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "8"))
PORT = int(os.environ.get("PORT", "8766"))


REPUBLISH = (
    "from dateline.news.models import SectionPage; from dateline.news.pages import section_articles; "
    "p = section_articles(SectionPage.objects.get(slug='world')).first(); p.save_revision().publish()"
)


def build(home: Path, template: Path, count: int) -> None:
    shutil.copytree(template, home)
    sites.run(home, PORT, "generate-archive", str(count - 13), "--per-day", "30")  # plus the 13 demo stories


def wrk(url: str) -> dict:
    subprocess.run(
        ["taskset", "-c", "1", "wrk", "-t1", f"-c{CONNECTIONS}", "-d2s", url], capture_output=True
    )  # warm-up
    out = subprocess.run(
        [
            "taskset",
            "-c",
            "1",
            "wrk",
            "-t1",
            f"-c{CONNECTIONS}",
            f"-d{DURATION}s",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)[1]
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)[1]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rate": rate, "p50": p50, "p99": p99, "errors": int(errors[1]) if errors else 0}


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def main(sizes: list[int]) -> None:
    month = time.strftime("%Y-%m")
    paths = {
        "site feed (RSS)": "/feeds/rss/",
        "section feed (Atom)": "/feeds/section/world/atom/",
        "sitemap index": "/sitemap.xml",
        f"article sitemap {month}": f"/sitemap-articles-{month}.xml",
        "News sitemap": "/sitemap-news.xml",
    }
    work = Path(tempfile.mkdtemp(prefix="dateline-bench-dist-"))
    results: dict[int, dict] = {}
    try:
        template = sites.demo_site(work / "template", PORT)
        for size in sizes:
            home = work / f"site-{size}"
            started = time.perf_counter()
            build(home, template, size)
            print(f"{size} stories generated in {time.perf_counter() - started:.0f} s", flush=True)
            server = sites.serve(home, PORT)
            try:
                results[size] = {}
                for label, path in paths.items():
                    colds = []
                    for _ in range(3):  # the first request after a publish: rendered from the database
                        sites.run(home, PORT, "shell", "-c", REPUBLISH)
                        colds.append(timed_get(f"http://127.0.0.1:{PORT}{path}"))
                    results[size][label] = wrk(f"http://127.0.0.1:{PORT}{path}")
                    results[size][label]["cold"] = sorted(colds)[1]
            finally:
                sites.stop(server)
            shutil.rmtree(home)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    small, large = sizes[0], sizes[-1]
    print(
        f"\n{'address':<28} " + " ".join(f"{f'{n} req/s':>14} {'p50':>9} {'p99':>9}" for n in sizes) + f" {'ratio':>7}"
    )
    for label in paths:
        row = " ".join(
            f"{results[n][label]['rate']:>14.1f} {results[n][label]['p50']:>9} {results[n][label]['p99']:>9}"
            for n in sizes
        )
        ratio = results[small][label]["rate"] / results[large][label]["rate"]
        errors = sum(results[n][label]["errors"] for n in sizes)
        print(f"{label:<28} {row} {ratio:>7.2f}" + (f"  ({errors} non-2xx)" if errors else ""))
    print(
        f"\nthe first request after a publish (the newest World story republished; median of 3):\n{'address':<28} "
        + " ".join(f"{f'{n} ms':>10}" for n in sizes)
        + f" {'ratio':>7}"
    )
    for label in paths:
        ratio = results[large][label]["cold"] / results[small][label]["cold"]
        print(f"{label:<28} " + " ".join(f"{results[n][label]['cold']:>10.1f}" for n in sizes) + f" {ratio:>7.2f}")
    print(f"wrk: {DURATION} s a run after a 2 s warm-up, {CONNECTIONS} connections, server on core 0, wrk on core 1")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 100000])
