"""Readers during a publishing surge: the readers' mix while stories are published RATE a second.

    .venv/bin/python bench/surge.py [RATE ...]      (make bench-surge; default 1 5)

The demo site plus 2,000 generated stories, served by `dateline serve` (granian, one worker,
production settings, the page cache on) pinned to core 0. wrk (one thread, 16 connections) on
core 1 reads the home page, the World section, the demo's article and the RSS feed in turn: the
readers' mix. First with nothing published, then, for each RATE, while a publisher (a process of
its own, on core 1 beside wrk, so the server keeps its core) imports new stories into World
through the wire importer, as the drop folder does, RATE a second, each published at once: every
publish purges the home page, World and the feed, which the mix reads.

Each run: 2 s warm-up, DURATION s measured (default 15). Prints the mix's rate and its ratio to
the quiet run, p50 and p99, non-2xx answers, and how many stories the publisher published in the
measured window. Writes bench/results/surge.txt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import sites

PORT = 8771
DURATION = int(os.environ.get("DURATION", "15"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "16"))
RESULTS = sites.ROOT / "bench" / "results"
# The publisher: new stories into World, RATE a second, through the importer the drop folder uses.
PUBLISH = """
import os, time
from datetime import timedelta
from django.utils import timezone
from dateline.wire.importer import import_story
from dateline.wire.story import WireStory
rate, seconds, tag = float(os.environ["SURGE_RATE"]), float(os.environ["SURGE_SECONDS"]), os.environ["SURGE_TAG"]
print("ready", flush=True)
start, n = time.monotonic(), 0
while time.monotonic() - start < seconds:
    due = start + n / rate
    if due > time.monotonic():
        time.sleep(due - time.monotonic())
    story = WireStory(
        guid=f"urn:dateline:surge:{tag}:{n}",
        headline=f"Surge story {n} from the harbour council",
        published=timezone.now() - timedelta(seconds=1),
        paragraphs=(f"The harbour council met for the {n}th time today.", "Ferries ran late all afternoon."),
        source_format="bench",
    )
    import_story(story, section="world")
    n += 1
print("published", n, "in", round(time.monotonic() - start, 1), "s")
"""


def publisher(home: Path, rate: float, tag: str) -> subprocess.Popen:
    return subprocess.Popen(
        ["taskset", "-c", "1", *sites.DATELINE, "shell", "--no-imports", "-c", PUBLISH],
        env={
            **sites.env_for(home, PORT),
            "SURGE_RATE": str(rate),
            "SURGE_SECONDS": str(DURATION + 2),
            "SURGE_TAG": tag,
        },
        cwd=sites.ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def started(process: subprocess.Popen) -> bool:
    """Whether the publisher said "ready" (Django's shell may print its own lines first)."""
    for line in process.stdout or ():
        if line.strip() == "ready":
            return True
    return False


def main() -> None:
    rates = [float(arg) for arg in sys.argv[1:]] or [1.0, 5.0]
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: make bench-surge installs it")
    base = Path(tempfile.mkdtemp(prefix="dateline-surge-"))
    try:
        home = sites.demo_site(base / "site", PORT)
        sites.run(home, PORT, "generate-archive", "2000", "--per-day", "30")
        story = sites.story_url(home, PORT)
        paths = ["/", "/world/", story, "/feeds/rss/"]
        script = sites.rotation(base, paths)
        server = sites.serve(home, PORT)
        url = f"http://127.0.0.1:{PORT}/"
        try:
            rows = [("none", sites.wrk(url, CONNECTIONS, DURATION, script), "")]
            for rate in rates:
                # `dateline shell` takes a few seconds to start: the window begins once it publishes.
                process = publisher(home, rate, f"r{rate}")
                if not started(process):
                    sys.exit(f"the publisher did not start:\n{process.communicate()[1][-3000:]}")
                result = sites.wrk(url, CONNECTIONS, DURATION, script)
                out, err = process.communicate(timeout=600)
                if process.returncode:
                    sys.exit(f"the publisher failed:\n{err[-3000:]}")
                rows.append((f"{rate:g} a second", result, out.strip().splitlines()[-1]))
        finally:
            sites.stop(server)
        quiet = rows[0][1]["rate"]
        lines = [
            f"readers' mix ({', '.join(paths)}), wrk -t1 -c{CONNECTIONS} -d{DURATION}s; server on core 0 "
            "(one worker, page cache on), wrk and the publisher on core 1",
            "",
            f"{'publishing':<14} {'req/s':>9} {'/quiet':>7} {'p50':>9} {'p99':>9} {'non-2xx':>7}  publisher",
        ]
        for label, row, note in rows:
            lines.append(
                f"{label:<14} {row['rate']:>9,.0f} {row['rate'] / quiet:>7.2f} {row['p50']:>9} {row['p99']:>9} "
                f"{row['errors']:>7}  {note}"
            )
        report = "\n".join(lines) + "\n"
        print(report)
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "surge.txt").write_text(report)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
