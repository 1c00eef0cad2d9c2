"""Search, tagging, topic pages and related stories with a small and a large archive.

    .venv/bin/python bench/discovery.py [SMALL LARGE]      (make bench-discovery; default 1000 100000)

For each size: a fresh SQLite site with the demo, 5,000 generated topics and SIZE generated
stories that each name three of them; `dateline retag` (timed: tagging throughput) and
`dateline update_index` (the search index, not timed here). Then, served by `dateline serve`
(granian, one worker, production settings) on core 0, each address is requested 40 times in
a row from this process on core 1: search for a common word and for a rare name (p50, p95),
a topic page and an article page (with its related stories) (median). Ratios large/small.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import sites

PORT = int(os.environ.get("PORT", "8767"))
REQUESTS = int(os.environ.get("REQUESTS", "40"))
TOPICS = 5000
MAKE_TOPICS = (
    "from dateline.topics.models import Topic; "
    f"Topic.objects.bulk_create([Topic(name=f'Korvan{{n}}', slug=f'korvan{{n}}', kind='place', aliases=f'Korvan Bay {{n}}') "
    f"for n in range({TOPICS})])"
)
FIND = (
    "from dateline.news.models import ArticlePage; from dateline.topics.models import StoryTopic; "
    "p = ArticlePage.objects.live().filter(source_guid='urn:dateline:archive:7').first(); print(p.url); "
    "t = StoryTopic.objects.filter(page=p).select_related('topic').first().topic; print(t.url)"
)


def times(path: str) -> list[float]:
    os.sched_setaffinity(0, {1})
    samples = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=60) as response:
            response.read()
            assert response.status == 200, path
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]


def main(sizes: list[int]) -> None:
    work = Path(tempfile.mkdtemp(prefix="dateline-bench-disc-"))
    rows: dict[int, dict] = {}
    try:
        template = sites.demo_site(work / "template", PORT)
        sites.run(template, PORT, "shell", "-c", MAKE_TOPICS)
        for size in sizes:
            home = work / f"site-{size}"
            shutil.copytree(template, home)
            sites.run(home, PORT, "generate-archive", str(size), "--mention-topics")
            started = time.perf_counter()
            sites.run(home, PORT, "retag", core=0)
            tagging = size / (time.perf_counter() - started)
            started = time.perf_counter()
            sites.run(home, PORT, "update_index", core=0)
            indexing = time.perf_counter() - started
            article, topic = sites.run(home, PORT, "shell", "-c", FIND).split()[-2:]
            server = sites.serve(home, PORT, extra_env={"DATELINE_SEARCH_RATE_LIMIT": "0"})  # one client, many searches
            try:
                rows[size] = {
                    "tagging stories/s": tagging,
                    "index s": indexing,
                    "search: common word": times("/search/?q=harbour"),
                    "search: rare name": times("/search/?q=%22Korvan4321%22"),  # named in about 60 of 100,000
                    "topic page": times(topic),
                    "article + related": times(article),
                }
            finally:
                sites.stop(server)
            print(
                f"{size} stories: tagging {tagging:.0f} stories/s, search index built in {indexing:.0f} s", flush=True
            )
            shutil.rmtree(home)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    small, large = sizes[0], sizes[-1]
    print(f"\n{'address':<22} " + " ".join(f"{f'{n} p50':>11} {f'{n} p95':>11}" for n in sizes) + f" {'p50 ratio':>10}")
    for label in ("search: common word", "search: rare name", "topic page", "article + related"):
        cells = " ".join(f"{statistics.median(rows[n][label]):>9.1f}ms {p95(rows[n][label]):>9.1f}ms" for n in sizes)
        ratio = statistics.median(rows[large][label]) / statistics.median(rows[small][label])
        print(f"{label:<22} {cells} {ratio:>10.2f}")
    print(
        "tagging: "
        + ", ".join(f"{n} stories {rows[n]['tagging stories/s']:.0f} stories/s" for n in sizes)
        + f"; {TOPICS} generated topics plus the demo's"
    )
    print(f"{REQUESTS} requests an address, one at a time; server on core 0, client on core 1")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 100000])
