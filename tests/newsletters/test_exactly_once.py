"""Exactly once: an edition to 2,000 subscribers, its worker killed with SIGKILL at random moments
three times, then run again until the queue is empty: the SMTP server (aiosmtpd, a process of its
own) received each subscriber's copy exactly once. The workers are `dateline worker` processes on
the project's real queue (the database's, or Redis's when REDIS_URL is set)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import dateline_command, dateline_env, shared_path

pytestmark = pytest.mark.slow

SUBSCRIBERS = int(os.environ.get("DATELINE_EXACTLY_ONCE_SUBSCRIBERS", "2000"))
KILLS = 3
BOUND = 300  # seconds: a bound on a wait for something the test can see

SETUP = f"""
from django.utils import timezone
from dateline.newsletters.models import NewsletterList, Subscriber, Subscription
briefing = NewsletterList.objects.create(slug="daily-briefing", name="The Daily Briefing", kind="briefing")
now = timezone.now()
Subscriber.objects.bulk_create(
    Subscriber(email=f"reader{{n:05d}}@example.org", confirmed_at=now) for n in range({SUBSCRIBERS})
)
Subscription.objects.bulk_create(Subscription(subscriber=s, newsletter=briefing) for s in Subscriber.objects.all())
"""

CHECK = """
import json
from dateline.newsletters.models import Edition
edition = Edition.objects.get()
print(json.dumps({"status": edition.status, "counts": edition.counts()}))
"""


def _empty_redis_queue() -> None:
    if os.environ.get("REDIS_URL"):
        import django_rq

        django_rq.get_queue("newsletters").empty()


def _processes_of(home: Path) -> list[int]:
    """Processes running with HOME as their data folder (DATELINE_HOME)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environment = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"DATELINE_HOME={home}".encode() in environment:
            found.append(int(entry.name))
    return found


def _received(folder) -> int:
    return sum(1 for _ in (folder / "new").iterdir())


def prepared(home: Path, smtp_process, *commands: tuple[str, ...]) -> dict:
    """HOME with the seed story imported and COMMANDS run, sending to SMTP_PROCESS, whose mailbox and
    the Redis queue (if any) start empty: the variables that send there."""
    smtp_process.clear()
    _empty_redis_queue()
    environment = {"EMAIL_URL": f"smtp://127.0.0.1:{smtp_process.port}"}
    for args in (("import-text", str(shared_path("seed/nato-russia-patriot.txt")), "--section", "world"), *commands):
        done = dateline_command(home, *args, extra_env=environment)
        assert done.returncode == 0, done.stderr
    return environment


def test_a_worker_killed_three_times_sends_each_subscriber_exactly_one_copy(site_home, smtp_process):
    environment = prepared(site_home, smtp_process, ("shell", "-c", SETUP))
    done = dateline_command(site_home, "send-newsletter", "daily-briefing", extra_env=environment)
    assert done.returncode == 0, done.stderr
    assert f"to {SUBSCRIBERS} subscribers" in done.stdout

    seed = random.randrange(1_000_000)
    chance = random.Random(seed)
    step = SUBSCRIBERS // (KILLS + 1)
    kills = []
    for k in range(KILLS):
        at = chance.randint(k * step + 20, (k + 1) * step - 20)  # a count of messages received, mid-stream
        worker = subprocess.Popen(
            [sys.executable, "-m", "dateline.cli", "worker", "--interval", "0.1"],
            env={**dateline_env(site_home), **environment},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + BOUND
        while _received(smtp_process.folder) < at:
            if worker.poll() is not None:
                pytest.fail(f"the worker stopped by itself (seed {seed}): {worker.stdout.read()[-3000:]}")
            if time.monotonic() > deadline:
                worker.kill()
                pytest.fail(f"fewer than {at} messages after {BOUND} s (seed {seed})")
            time.sleep(0.005)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=BOUND)
        kills.append(_received(smtp_process.folder))
    assert kills == sorted(kills) and kills[-1] < SUBSCRIBERS, kills  # every kill landed mid-send

    rerun = dateline_command(site_home, "worker", "--burst", timeout=BOUND, extra_env=environment)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert not _processes_of(site_home), "a process of a killed worker is still running"

    messages = smtp_process.messages()
    copies = Counter(message["To"] for message in messages)
    doubled = {address: n for address, n in copies.items() if n > 1}
    assert not doubled, f"sent twice (seed {seed}, kills after {kills} messages): {doubled}"
    assert len(copies) == SUBSCRIBERS, f"missing {SUBSCRIBERS - len(copies)} (seed {seed}, kills after {kills})"
    assert len({message["Message-ID"] for message in messages}) == SUBSCRIBERS

    state = json.loads(dateline_command(site_home, "shell", "-c", CHECK).stdout.strip().splitlines()[-1])
    assert state == {"status": "sent", "counts": {"pending": 0, "sent": SUBSCRIBERS, "failed": 0, "skipped": 0}}
