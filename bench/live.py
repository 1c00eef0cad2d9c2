"""Live coverage under its readers' polls (issue 20).

    .venv/bin/python bench/live.py          (make bench-live)

10,000 readers polling every 15 s is about 670 requests a second at one address, ``…/updates/`` (the
newest updates, what news/static/news/js/live.js asks; ``?after=LATEST`` only after a long absence),
almost all with nothing new. A fresh SQLite demo site (its live story has 12 updates) is
served by `dateline serve` (granian, one worker, production settings, page cache on) on core 0; wrk
(one thread, 16 connections, DURATION s, default 10) on core 1 asks for the poll:

- as a first poll does (no validator): a 200 from the page cache;
- as every later poll does (If-None-Match with the ETag it kept): a 304 from the page cache;
- a catch-up poll, ``?after=LATEST``, revalidated: a 304 from the page cache;
- nginx serving the same answer's bytes as a file: the ceiling of this run.

A second, short run with a Lua script counts the answers the page cache gave as hits. Then, five times, an update is posted
from a process of its own (as the live desk does: one row, its purge after the commit) while a
client polls every 10 ms: the time from the post's start to the first poll that returns it. A
reader sees an update that long after it is posted, plus up to one poll interval (20 s).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import sites
from speed import NGINX_PORT, ceiling_config, nginx

PORT = 8767
DURATION = int(os.environ.get("DURATION", "10"))
LIVE = "/world/storm-marra-live/"
LATEST = (
    "from dateline.news.models import LiveUpdate; "
    "print(LiveUpdate.objects.filter(article__slug='storm-marra-live').order_by('-pk').values_list('pk', flat=True)[0])"
)
POST = (
    "import json, time; from django.db import transaction; "
    "from dateline.news.models import ArticlePage, LiveUpdate; "
    "story = ArticlePage.objects.get(slug='storm-marra-live'); start = time.time(); "
    "update = LiveUpdate.objects.create(article=story, "
    "body=json.dumps([{{'type': 'paragraph', 'value': '<p>{text}</p>'}}])); print(start, update.pk)"
)
# Counts the answers the page cache gave as hits. wrk runs done() in a Lua state of its own, so the
# counts are read from each thread's state (setup/get).
COUNT_HITS = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) hits = 0; answers = 0 end
function response(status, headers, body)
  answers = answers + 1
  local state = headers["X-Dateline-Cache"] or headers["x-dateline-cache"]
  if state == "hit" then hits = hits + 1 end
end
function done(summary, latency, requests)
  local h, a = 0, 0
  for _, thread in ipairs(threads) do h = h + thread:get("hits"); a = a + thread:get("answers") end
  io.write(string.format("hits %d of %d\\n", h, a))
end
"""


def wrk(url: str, headers: tuple[str, ...] = ()) -> dict:
    """wrk's rate and latency (no Lua: a response() hook slows wrk itself), then, in a 3 s run with
    COUNT_HITS, the share of answers that were page cache hits."""
    pinned = ["taskset", "-c", "1", "wrk", "-t1", "-c16", "--timeout", "10s"]
    for header in headers:
        pinned += ["-H", header]
    subprocess.run([*pinned, "-d2s", url], capture_output=True)
    out = subprocess.run([*pinned, f"-d{DURATION}s", "--latency", url], capture_output=True, text=True).stdout
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(COUNT_HITS)
    counted = subprocess.run([*pinned, "-d3s", "-s", str(script), url], capture_output=True, text=True).stdout
    script.unlink()
    hits, answers = map(int, re.search(r"hits (\d+) of (\d+)", counted).groups())
    return {
        "rate": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50": re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)[1],
        "p99": re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)[1],
        "hits": hits / answers if answers else 0.0,
    }


def post_to_poll(home: Path, poll: str, text: str) -> float:
    """Seconds from an update's post starting to the first poll of POLL that has it."""
    editor = subprocess.Popen(
        [*sites.DATELINE, "shell", "-c", POST.format(text=text)],
        env=sites.env_for(home, PORT),
        cwd=sites.ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    give_up = time.monotonic() + 60
    while True:
        with urllib.request.urlopen(poll, timeout=10) as answer:
            if text.encode() in answer.read():
                seen = time.time()
                break
        if time.monotonic() > give_up:
            editor.kill()
            sys.exit(f"the update {text!r} was not in a poll within 60 s")
        time.sleep(0.01)
    out, _ = editor.communicate(timeout=120)
    start = float(out.split()[-2])
    return seen - start


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="dateline-bench-live-"))
    try:
        home = sites.demo_site(work / "site", PORT)
        latest = int(sites.run(home, PORT, "shell", "-c", LATEST).split()[-1])
        server = sites.serve(home, PORT)
        poll = f"http://127.0.0.1:{PORT}{LIVE}updates/"
        catch_up = f"{poll}?after={latest}"
        with urllib.request.urlopen(poll) as answer:
            body, etag = answer.read(), answer.headers["ETag"]
        with urllib.request.urlopen(catch_up) as answer:
            catch_up_etag = answer.headers["ETag"]
        rows = {
            "first poll of updates/ (200 from the cache)": wrk(poll),
            "later polls of updates/ (304 from the cache)": wrk(poll, (f"If-None-Match: {etag}",)),
            "catch-up poll ?after=LATEST (304 from the cache)": wrk(catch_up, (f"If-None-Match: {catch_up_etag}",)),
        }
        times = [post_to_poll(home, poll, f"Bench update {n} {time.time_ns()}") for n in range(5)]
        sites.stop(server)
        (work / "ceiling").mkdir()
        (work / "ceiling" / "poll.html").write_bytes(body)
        proxy = nginx(ceiling_config(work / "ceiling", work / "ceiling-logs"), work / "ceiling-logs")
        rows["ceiling (nginx, the same bytes as a file)"] = wrk(f"http://127.0.0.1:{NGINX_PORT}/poll.html")
        sites.stop(proxy)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    ceiling = rows["ceiling (nginx, the same bytes as a file)"]["rate"]
    print(f"\nwrk -t1 -c16 -d{DURATION}s on {LIVE}updates/ ({len(body)} bytes)")
    print("| request | req/s | ratio to the ceiling | page cache hits | p50 | p99 |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, row in rows.items():
        hits = "" if name.startswith("ceiling") else f"{row['hits']:.1%}"
        print(f"| {name} | {row['rate']:,.0f} | {row['rate'] / ceiling:.2f} | {hits} | {row['p50']} | {row['p99']} |")
    print(
        f"\nPost to first poll that has it, 5 updates: median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms ({', '.join(f'{t * 1000:.0f}' for t in times)})"
    )


if __name__ == "__main__":
    main()
