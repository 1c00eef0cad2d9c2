"""Readers under load while the wire comes in: no 5xx, no error in the logs.

    .venv/bin/python bench/ingest_load.py [ITEMS]      (make bench-ingest-load; default 10000)

A fresh SQLite demo site served by `dateline serve` (granian, two workers, production settings,
page cache on); ITEMS generated NewsML-G2 items ingested by `dateline ingest` in a process of its
own; meanwhile wrk (one thread, 8 connections, loopback) reads the article page, the home page,
the World section, its second page (never cached) and the RSS feed in turn, in runs of CHUNK
seconds (default 30) until the ingest ends (bounded: at most MAX_SECONDS, default 3600, in all).
Reports the ingest rate, the readers' rate and latency per run, every non-2xx answer, and every
ERROR or Traceback line in the server's and the ingest's logs. The machine has two cores: the
server, the ingest and wrk share them (nothing is pinned). Writes bench/results/ingest_load.txt.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import ingest as wire
import sites

PORT = 8769
CHUNK = int(os.environ.get("CHUNK", "30"))
MAX_SECONDS = int(os.environ.get("MAX_SECONDS", "3600"))


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    base = Path(tempfile.mkdtemp(prefix="dateline-ingest-load-"))
    try:
        home = sites.demo_site(base / "site", PORT)
        story = sites.story_url(home, PORT)
        paths = [story, "/", "/world/", "/world/?page=2", "/feeds/rss/"]
        script = sites.rotation(base, paths)
        drop = base / "wire"
        drop.mkdir()
        wire.generate(drop, items)

        server_log = base / "server.log"
        with open(server_log, "w") as log:
            server = subprocess.Popen(
                [
                    *sites.DATELINE,
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(PORT),
                    "--workers",
                    "2",
                    "--no-collectstatic",
                ],
                env={**sites.env_for(home, PORT), "DATELINE_LOG_LEVEL": "INFO"},
                cwd=sites.ROOT,
                stdout=log,
                stderr=log,
            )
        time.sleep(3)
        ingest_log = base / "ingest.log"
        started = time.time()
        with open(ingest_log, "w") as log:
            ingest = subprocess.Popen(
                [*sites.DATELINE, "ingest", str(drop)],
                env=sites.env_for(home, PORT),
                cwd=sites.ROOT,
                stdout=log,
                stderr=log,
            )
        runs = []
        while ingest.poll() is None and time.time() - started < MAX_SECONDS:
            out = subprocess.run(
                [
                    "wrk",
                    "-t1",
                    "-c8",
                    f"-d{CHUNK}s",
                    "--timeout",
                    "10s",
                    "--latency",
                    "-s",
                    str(script),
                    f"http://127.0.0.1:{PORT}/",
                ],
                capture_output=True,
                text=True,
            ).stdout
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            runs.append(
                {
                    "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
                    "requests": int(re.search(r"(\d+) requests in", out)[1]),
                    "p50": re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)[1],
                    "p99": re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)[1],
                    "non2xx": int(non2xx[1]) if non2xx else 0,
                    "server_errors": int(re.search(r"server_errors (\d+)", out)[1]),
                    "timeouts": int(m[1]) if (m := re.search(r"timeout (\d+)", out)) else 0,
                }
            )
            print(f"{time.time() - started:6.0f} s: {runs[-1]}", flush=True)
        finished = ingest.poll() is not None
        if not finished:
            ingest.kill()
        ingest.wait()
        seconds = time.time() - started
        server.terminate()
        server.wait(timeout=30)
        count = sites.run(
            home,
            PORT,
            "shell",
            "-c",
            "from dateline.news.models import ArticlePage; "
            "print(ArticlePage.objects.filter(source_guid__startswith='urn:dateline:bench:').count())",
        )
        ingested = int(count.split()[-1])
        errors = [
            line
            for path in (server_log, ingest_log)
            for line in path.read_text().splitlines()
            if re.search(r"\bERROR\b|Traceback|\b5\d\d\b.*HTTP", line)
        ]
        lines = [
            f"{items:,} items: ingest {'finished' if finished else 'STOPPED AT THE BOUND'} in {seconds:.0f} s, "
            f"{ingested:,} stories on the site ({ingested / seconds:.1f} a second), exit {ingest.returncode}",
            f"readers: {sum(r['requests'] for r in runs):,} requests in {len(runs)} runs of {CHUNK} s "
            f"(article, home, section, section page 2, RSS in turn; wrk -t1 -c8)",
            f"  req/s per run: min {min(r['rate'] for r in runs):.0f}, max {max(r['rate'] for r in runs):.0f}; "
            f"p50 {runs[0]['p50']} .. {runs[-1]['p50']}; worst p99 "
            f"{max(runs, key=lambda r: _ms(r['p99']))['p99']}",
            f"  5xx answers: {sum(r['server_errors'] for r in runs)}; other non-2xx/3xx: "
            f"{sum(r['non2xx'] for r in runs) - sum(r['server_errors'] for r in runs)}; "
            f"timeouts: {sum(r['timeouts'] for r in runs)}",
            f"  ERROR or Traceback lines in the server's and the ingest's logs: {len(errors)}",
            *(f"    {line}" for line in errors[:20]),
        ]
        report = "\n".join(lines) + "\n"
        print(report)
        (sites.ROOT / "bench" / "results").mkdir(exist_ok=True)
        (sites.ROOT / "bench" / "results" / "ingest_load.txt").write_text(report)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _ms(value: str) -> float:
    number = float(re.match(r"[\d.]+", value)[0])
    return number * {"us": 0.001, "ms": 1, "s": 1000}[re.search(r"[a-z]+$", value)[0]]


if __name__ == "__main__":
    main()
