"""Newsletters: how fast editions reach a mail server, and how long a briefing takes to assemble.

    .venv/bin/python bench/newsletters.py [SUBSCRIBERS [SMALL LARGE]]
    (make bench-newsletters; default 10000, then 2000 and 100000 stories)

Sending: a fresh SQLite demo site (production settings, the database's task queue) with SUBSCRIBERS
confirmed subscribers of the daily briefing, and an SMTP server on loopback (aiosmtpd in a process
of its own, on core 1, counting what it accepts and keeping nothing). `dateline send-newsletter
daily-briefing` queues an edition, then `dateline worker --burst` runs in one process (on core 0)
and, for a second edition, in two processes (not pinned: the two cores are shared with the SMTP
server). Reported: messages a second from the first copy sent to the last (the workers' own pace),
the wall time from starting the workers to the last one exiting (with Python's start-up and the
edition's rendering), and the check that the server accepted one copy per subscriber.

Assembling: with SMALL and LARGE generated stories in the archive, the time to assemble the
briefing (choose its stories, write the edition), to render it (HTML with inlined CSS, and text)
and to assemble a section digest, each the median of 5 runs in one process.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sites

PORT = int(os.environ.get("PORT", "8768"))
BOUND = 1800  # seconds: the longest a send may take before the benchmark gives up

SMTP_SERVER = r"""
import asyncio, sys
from pathlib import Path
from aiosmtpd.controller import Controller

count_file = Path(sys.argv[2])
counts = {"messages": 0, "recipients": {}}

class Counter:
    async def handle_DATA(self, server, session, envelope):
        counts["messages"] += 1
        for rcpt in envelope.rcpt_tos:
            counts["recipients"][rcpt] = counts["recipients"].get(rcpt, 0) + 1
        return "250 OK"

async def report():
    while True:
        await asyncio.sleep(0.5)
        copies = counts["recipients"].values()
        count_file.write_text(f'{counts["messages"]} {min(copies, default=0)} {max(copies, default=0)}')

controller = Controller(Counter(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
asyncio.run(report())
"""

SUBSCRIBE = """
from django.utils import timezone
from dateline.newsletters.models import NewsletterList, Subscriber, Subscription
briefing = NewsletterList.objects.get(slug="daily-briefing")
now = timezone.now()
Subscriber.objects.bulk_create(
    (Subscriber(email=f"reader{n:06d}@example.org", confirmed_at=now) for n in range(%d)), batch_size=2000
)
Subscription.objects.bulk_create(
    (Subscription(subscriber=s, newsletter=briefing) for s in Subscriber.objects.all()), batch_size=2000
)
"""

EDITION = """
import json
from django.db.models import Max, Min
from dateline.newsletters.models import Edition
edition = Edition.objects.order_by("-pk").first()
sent = edition.deliveries.filter(status="sent").aggregate(first=Min("sent_at"), last=Max("sent_at"))
print(json.dumps({"status": edition.status, "counts": edition.counts(),
                  "spread": (sent["last"] - sent["first"]).total_seconds(), "bytes": len(edition.html) + len(edition.text)}))
"""

ASSEMBLE = """
import json, statistics, time
from dateline.newsletters import editions
from dateline.newsletters.models import NewsletterList
briefing = NewsletterList.objects.get(slug="daily-briefing")
section = NewsletterList.objects.filter(kind="section").first()
times = {"assemble the briefing": [], "render it": [], "assemble a section digest": []}
for _ in range(5):
    started = time.perf_counter(); edition = editions.assemble_now(briefing)
    times["assemble the briefing"].append(time.perf_counter() - started)
    started = time.perf_counter(); editions.render(edition)
    times["render it"].append(time.perf_counter() - started)
    edition.delete()
    started = time.perf_counter(); digest = editions.assemble_now(section)
    times["assemble a section digest"].append(time.perf_counter() - started)
    digest.delete()
print(json.dumps({name: statistics.median(values) * 1000 for name, values in times.items()}))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _smtp(folder: Path) -> tuple[subprocess.Popen, int, Path]:
    port, counts = _free_port(), folder / "smtp-counts"
    server = subprocess.Popen(["taskset", "-c", "1", sys.executable, "-c", SMTP_SERVER, str(port), str(counts)])
    deadline = time.monotonic() + 30
    while not counts.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            sys.exit("the SMTP server did not start")
        time.sleep(0.1)
    return server, port, counts


def _received(counts: Path) -> tuple[int, int, int]:
    """Messages accepted so far, and the fewest and most copies any one address received."""
    messages, fewest, most = counts.read_text().split()
    return int(messages), int(fewest), int(most)


def send(home: Path, subscribers: int, workers: int, smtp_port: int, counts: Path, editions: int) -> dict:
    """The EDITIONS-th edition to every subscriber, by WORKERS processes: afterwards each address has
    received exactly EDITIONS copies."""
    sites.run(home, PORT, "send-newsletter", "daily-briefing")
    before = _received(counts)[0]
    environment = {**sites.env_for(home, PORT), "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}"}
    pin = ["taskset", "-c", "0"] if workers == 1 else []
    started = time.perf_counter()
    processes = [
        subprocess.Popen([*pin, *sites.DATELINE, "worker", "--burst"], env=environment, cwd=sites.ROOT)
        for _ in range(workers)
    ]
    for process in processes:
        if process.wait(timeout=BOUND):
            sys.exit(f"a worker failed ({process.returncode})")
    wall = time.perf_counter() - started
    time.sleep(1.5)  # the SMTP server writes its counts every 0.5 s
    messages, fewest, most = _received(counts)
    state = json.loads(sites.run(home, PORT, "shell", "-c", EDITION).strip().splitlines()[-1])
    if state["counts"]["sent"] != subscribers or messages - before != subscribers or not fewest == most == editions:
        sys.exit(f"{workers} worker(s): {state}, the server accepted {messages - before}, {fewest}-{most} copies")
    return {
        "workers": workers,
        "rate": subscribers / state["spread"],
        "wall": wall,
        "wall rate": subscribers / wall,
        "bytes": state["bytes"],
    }


def main(subscribers: int, sizes: list[int]) -> None:
    work = Path(tempfile.mkdtemp(prefix="dateline-bench-news-"))
    smtp = None
    try:
        template = sites.demo_site(work / "template", PORT)
        home = work / "send"
        shutil.copytree(template, home)
        sites.run(home, PORT, "shell", "-c", SUBSCRIBE % subscribers)
        smtp, smtp_port, counts = _smtp(work)
        sending = [send(home, subscribers, workers, smtp_port, counts, n) for n, workers in enumerate((1, 2), 1)]

        assembling = {}
        for size in sizes:
            archive = work / f"archive-{size}"
            shutil.copytree(template, archive)
            sites.run(archive, PORT, "generate-archive", str(size))
            assembling[size] = json.loads(sites.run(archive, PORT, "shell", "-c", ASSEMBLE, core=0).splitlines()[-1])
            shutil.rmtree(archive)
    finally:
        if smtp is not None:
            smtp.terminate()
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nSending an edition of {sending[0]['bytes'] / 1024:.0f} kB (HTML and text) to {subscribers:,} subscribers")
    print("| workers | messages/s, first copy to last | wall time | messages/s over the wall time |")
    print("|---:|---:|---:|---:|")
    for row in sending:
        print(f"| {row['workers']} | {row['rate']:,.0f} | {row['wall']:.1f} s | {row['wall rate']:,.0f} |")
    print(f"\nAssembling (median of 5, ms) with {' and '.join(f'{s:,}' for s in sizes)} stories")
    names = list(next(iter(assembling.values())))
    print("| | " + " | ".join(f"{size:,} stories" for size in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for name in names:
        print(f"| {name} | " + " | ".join(f"{assembling[size][name]:.0f} ms" for size in sizes) + " |")


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:]]
    main(arguments[0] if arguments else 10000, arguments[1:] or [2000, 100000])
