"""The app server's memory with many stories, by glibc's malloc arenas.

    .venv/bin/python bench/memory.py [STORIES]      (make bench-memory; default 100000)

A fresh SQLite demo site with STORIES generated stories, served by `dateline serve` (granian, one
worker, its default 16 threads, production settings, the page cache off so that every request renders) on core
0. wrk (16 connections, core 1) asks in turn for the home page, a section's first and second pages,
a search, the ninjs list and 200 different stories, for 60 s. Then the RSS of the server and its
children is read, in all and for each process. Three settings of what the worker's threads
hold: glibc's own malloc arenas (MALLOC_ARENA_MAX=16 on a two-core machine: 8 a core) with SQLite's
own page cache for each thread's connection (2000 KiB); two arenas with that cache; and two arenas
with a 64 KiB cache, which is what `dateline serve` sets when the variables are unset.
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

import sites

PORT = 8769
PATHS = ["/", "/world/", "/world/?page=2", "/search/?q=harbour", "/api/ninjs/items/"]
STORIES = (
    "from dateline.news.models import ArticlePage; "
    "print(' '.join(p.url for p in ArticlePage.objects.live().order_by('-pk')[:200]))"
)
SETTINGS = {"DATELINE_PAGE_CACHE": "false", "DATELINE_SEARCH_RATE_LIMIT": "0", "DATELINE_API_RATE_LIMIT": "0"}
RUNS = [
    ("16", "2000", {"MALLOC_ARENA_MAX": "16", "DATELINE_SQLITE_CACHE_KB": "2000"}),
    ("2", "2000", {"MALLOC_ARENA_MAX": "2", "DATELINE_SQLITE_CACHE_KB": "2000"}),
    ("2", "64 (unset: `dateline serve`'s own)", {}),
]


def processes(pid: int) -> list[tuple[str, int]]:
    """(role, RSS in MiB) of the server process and each of its descendants."""
    found, todo = [], [pid]
    while todo:
        each = todo.pop()
        try:
            rss = int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{each}/status").read_text())[1]) // 1024
            for task in Path(f"/proc/{each}/task").iterdir():
                todo += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
        found.append(("server" if each == pid else "worker", rss))
    return found


def main(count: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="dateline-bench-mem-"))
    rows = []
    try:
        home = sites.demo_site(work / "site", PORT)
        sites.run(home, PORT, "generate-archive", str(count))
        paths = PATHS + sites.run(home, PORT, "shell", "-c", STORIES).split()[-200:]
        script = sites.rotation(work, paths)
        for arenas, cache, env in RUNS:
            server = sites.serve(home, PORT, extra_env={**SETTINGS, **env})
            result = sites.wrk(f"http://127.0.0.1:{PORT}/", 16, 60, script)
            found = processes(server.pid)
            parts = " + ".join(f"{role} {rss}" for role, rss in found)
            rows.append((arenas, cache, sum(rss for _, rss in found), parts, result["rate"], result["errors"]))
            sites.stop(server)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{count:,} stories, every request rendered, 60 s of wrk over {len(PATHS) + 200} addresses")
    print("| MALLOC_ARENA_MAX | SQLite cache (KiB) | server RSS | by process (MiB) | req/s | non-2xx |")
    print("|---:|---:|---:|---|---:|---:|")
    for arenas, cache, rss, parts, rate, errors in rows:
        print(f"| {arenas} | {cache} | {rss} MiB | {parts} | {rate:,.0f} | {errors} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100000)
