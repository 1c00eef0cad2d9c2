"""Readers during a publishing surge: the readers' mix while stories are published RATE a second.

    .venv/bin/python bench/surge.py [RATE ...]      (make bench-surge; default 1 5)

The demo site plus 2,000 generated stories, served by `dateline serve` (granian, one worker,
production settings, the page cache on) pinned to core 0. wrk (one thread, 16 connections) on
core 1 reads the home page, the World section, the demo's article and the RSS feed in turn: the
readers' mix. First with nothing published, then, for each RATE, while the drop folder publishes:
a writer (a thread of this script) drops RATE plain-text stories a second into a folder that
`dateline ingest --watch DIR --section world --interval 0.5` watches (a process of its own, on
core 1 beside wrk, so the server keeps its core); each is published as soon as the watcher has
seen it whole, and every poll's stories purge the home page, World and the feed, which the mix
reads.

Each run: the window starts once the watcher has published the first story, DURATION s measured
(default 15). Prints the mix's rate and its ratio to the quiet run, p50 and p99, non-2xx
answers, and how many stories were dropped and published in the measured window. Writes
bench/results/surge.txt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import sites

PORT = 8771
DURATION = int(os.environ.get("DURATION", "15"))
CONNECTIONS = int(os.environ.get("CONNECTIONS", "16"))
RESULTS = sites.ROOT / "bench" / "results"
STORY = """Surge story {n} from the harbour council at {stamp}

{dateline}

PORT ADLEY (Dateline) - The harbour council met for the {n}th time today, at {stamp}.

Ferries ran late all afternoon.
"""


class Writer(threading.Thread):
    """Drops RATE stories a second into FOLDER as an agency's feed does: written under a temporary name,
    then renamed."""

    def __init__(self, folder: Path, rate: float, tag: str) -> None:
        super().__init__(daemon=True)
        self.folder, self.rate, self.tag = folder, rate, tag
        self.stopping = threading.Event()
        self.written = 0

    def run(self) -> None:
        start = time.monotonic()
        while not self.stopping.is_set():
            due = start + self.written / self.rate
            if self.stopping.wait(max(0.0, due - time.monotonic())):
                break
            now = datetime.now(UTC).astimezone(ZoneInfo("America/New_York"))
            text = STORY.format(
                n=self.written,
                stamp=f"{self.tag}-{self.written}",
                dateline=f"{now:%a %b %-d, %Y %-I:%M}" + f"{now:%p}".lower() + " EST",
            )
            name = self.folder / f"surge-{self.tag}-{self.written:05d}.txt"
            temp = name.with_suffix(".txt.tmp")
            temp.write_text(text, encoding="utf-8")
            os.replace(temp, name)
            self.written += 1


def watcher(home: Path, folder: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            "taskset",
            "-c",
            "1",
            *sites.DATELINE,
            "ingest",
            "--watch",
            str(folder),
            "--section",
            "world",
            "--interval",
            "0.5",
        ],
        env=sites.env_for(home, PORT),
        cwd=sites.ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def published(folder: Path) -> int:
    done = folder / "done"
    return len([p for p in done.iterdir() if p.suffix == ".txt"]) if done.is_dir() else 0


def wait_for(condition, what: str, bound: float = 120.0) -> None:
    deadline = time.monotonic() + bound
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"gave up waiting for {what} after {bound:g} s")
        time.sleep(0.1)


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
                folder = base / f"drop-{rate:g}"
                folder.mkdir()
                watching = watcher(home, folder)
                writer = Writer(folder, rate, f"r{rate:g}")
                writer.start()
                try:
                    # the watcher takes a few seconds to start: the window begins once it has published
                    wait_for(lambda: published(folder) > 0 or watching.poll() is not None, "the first story")
                    if watching.poll() is not None:
                        sys.exit(f"the watcher stopped:\n{watching.communicate()[1][-3000:]}")
                    written, before = writer.written, published(folder)
                    result = sites.wrk(url, CONNECTIONS, DURATION, script)
                    note = f"dropped {writer.written - written}, published {published(folder) - before} in the window"
                finally:
                    writer.stopping.set()
                    writer.join()
                    watching.terminate()
                    _, err = watching.communicate(timeout=120)
                if list((folder / "failed").glob("*.txt")) if (folder / "failed").is_dir() else []:
                    sys.exit(f"some stories failed: see {folder / 'failed'}\n{err[-2000:]}")
                rows.append((f"{rate:g} a second", result, note))
        finally:
            sites.stop(server)
        quiet = rows[0][1]["rate"]
        lines = [
            f"readers' mix ({', '.join(paths)}), wrk -t1 -c{CONNECTIONS} -d{DURATION}s; server on core 0 "
            "(one worker, page cache on), wrk and the drop-folder watcher on core 1",
            "",
            f"{'publishing':<14} {'req/s':>9} {'/quiet':>7} {'p50':>9} {'p99':>9} {'non-2xx':>7}  drop folder",
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
