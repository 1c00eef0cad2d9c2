"""The app server's memory with many stories, by glibc's malloc arenas.

    .venv/bin/python bench/memory.py [STORIES]      (make bench-memory; default 100000)

A fresh SQLite demo site with STORIES generated stories, served by `dateline serve` (granian, one
worker, 32 threads, production settings, the page cache off so that every request renders) on core
0. wrk (16 connections, core 1) asks in turn for the home page, a section's first and second pages,
a search, the ninjs list and 200 different stories, for 60 s. Then the RSS of the server and its
children is read. Once with MALLOC_ARENA_MAX=16 (glibc's own limit on a two-core machine: 8 a
core) and once with 2 (what `dateline serve` sets when the variable is unset).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import sites
from speed import memory

PORT = 8769
PATHS = ["/", "/world/", "/world/?page=2", "/search/?q=harbour", "/api/ninjs/items/"]
STORIES = (
    "from dateline.news.models import ArticlePage; "
    "print(' '.join(p.url for p in ArticlePage.objects.live().order_by('-pk')[:200]))"
)
SETTINGS = {"DATELINE_PAGE_CACHE": "false", "DATELINE_SEARCH_RATE_LIMIT": "0", "DATELINE_API_RATE_LIMIT": "0"}


def main(count: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="dateline-bench-mem-"))
    rows = []
    try:
        home = sites.demo_site(work / "site", PORT)
        sites.run(home, PORT, "generate-archive", str(count))
        paths = PATHS + sites.run(home, PORT, "shell", "-c", STORIES).split()[-200:]
        script = sites.rotation(work, paths)
        for arenas in ("16", "2"):
            server = sites.serve(home, PORT, extra_env={**SETTINGS, "MALLOC_ARENA_MAX": arenas})
            result = sites.wrk(f"http://127.0.0.1:{PORT}/", 16, 60, script)
            rows.append((arenas, memory(server), result["rate"], result["errors"]))
            sites.stop(server)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{count:,} stories, every request rendered, 60 s of wrk over {len(PATHS) + 200} addresses")
    print("| MALLOC_ARENA_MAX | server RSS | req/s | non-2xx |")
    print("|---:|---:|---:|---:|")
    for arenas, rss, rate, errors in rows:
        print(f"| {arenas} | {rss} MiB | {rate:,.0f} | {errors} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100000)
