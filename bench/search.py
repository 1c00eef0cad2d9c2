"""The search page with a large archive, on SQLite and on PostgreSQL (issue 17).

    .venv/bin/python bench/search.py [STORIES]      (make bench-search; default 100000)

Builds a site of the demo, 5,000 generated topics (``Korvan<n>``) and STORIES generated stories
that each name three of them (as bench/discovery.py does), indexes it for search, then asks the
search page 23 times in a row for each query through Django's test client in this process (the
whole view and template, no HTTP server), and prints p50 and p95 of the last 20. It runs on the
embedded SQLite database, and on PostgreSQL too when BENCH_DATABASE_URL names an empty database
it may fill (e.g. postgres://postgres@127.0.0.1:5432/dateline_bench), one after the other.
Each site is built in a process of its own; the timing runs in another, also one per database.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sites
from discovery import MAKE_TOPICS

PORT = 8799  # only named in the site's settings: nothing is served
QUERIES = [
    ("common word", {"q": "harbour"}),
    ("rare name", {"q": '"Korvan4321"'}),
    ("common word, newest first", {"q": "harbour", "sort": "date"}),
    ("rare name, newest first", {"q": "Korvan4321", "sort": "date"}),
    ("common word in a section", {"q": "harbour", "section": "world"}),
]


def build(home: Path, size: int) -> None:
    started = time.perf_counter()
    sites.run(home, PORT, "migrate", "--no-input", "-v", "0")
    sites.run(home, PORT, "load-demo")
    sites.run(home, PORT, "shell", "-c", MAKE_TOPICS)
    sites.run(home, PORT, "generate-archive", str(size), "--mention-topics")
    sites.run(home, PORT, "update_index")
    sites.run(home, PORT, "collectstatic", "--no-input", "-v", "0")
    print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)


def measure() -> None:
    """In the timing process: each query 23 times, p50 and p95 of the last 20."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have by now on a site in use
    client = Client(HTTP_HOST="127.0.0.1")
    for label, params in QUERIES:
        samples = []
        for _ in range(23):
            started = time.perf_counter()
            response = client.get("/search/", params)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        samples = sorted(samples[3:])
        print(f"  {label:<28} p50 {statistics.median(samples):7.1f} ms   p95 {samples[18]:7.1f} ms", flush=True)


def main(size: int) -> None:
    databases = [("SQLite", None)]
    if os.environ.get("BENCH_DATABASE_URL"):
        databases.append(("PostgreSQL", os.environ["BENCH_DATABASE_URL"]))
    with tempfile.TemporaryDirectory(prefix="dateline-bench-search-") as work:
        for name, url in databases:
            print(f"{name}, {size} generated stories:", flush=True)
            home = Path(work) / name
            if url:
                os.environ["DATABASE_URL"] = url
            else:
                os.environ.pop("DATABASE_URL", None)
            build(home, size)
            env = {**sites.env_for(home, PORT), "DATELINE_SEARCH_RATE_LIMIT": "0"}  # one client, many searches
            done = subprocess.run([sys.executable, __file__, "--measure"], env=env, cwd=sites.ROOT)
            if done.returncode:
                sys.exit(f"the {name} measurement failed")


if __name__ == "__main__":
    if sys.argv[1:] == ["--measure"]:
        measure()
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
