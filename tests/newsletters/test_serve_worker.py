"""Long-running workers: `dateline serve --worker` (what `make run` starts), where an edition queued
from the command line reaches the SMTP server with nobody running a worker by hand and a worker
that dies is started again; and `dateline worker`, which sends a retry when its time comes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser.conftest import _free_port
from tests.conftest import dateline_command, dateline_env, serving_home
from tests.newsletters.test_exactly_once import _processes_of, prepared

pytestmark = pytest.mark.slow

BOUND = 120  # seconds: a bound on a wait for something the test can see

SETUP = """
from django.utils import timezone
from dateline.newsletters.models import NewsletterList, Subscriber, Subscription
briefing = NewsletterList.objects.create(slug="daily-briefing", name="The Daily Briefing", kind="briefing")
reader = Subscriber.objects.create(email="reader@example.org", confirmed_at=timezone.now())
Subscription.objects.create(subscriber=reader, newsletter=briefing)
"""


def _worker_of(serve_pid: int) -> int | None:
    """The `dateline worker` process that `dateline serve` started, if one is running."""
    children = Path(f"/proc/{serve_pid}/task/{serve_pid}/children").read_text().split()
    for pid in children:
        try:
            args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except FileNotFoundError:
            continue
        if b"worker" in args:
            return int(pid)
    return None


def _wait(condition, what: str, process, log: Path):
    deadline = time.monotonic() + BOUND
    while not (found := condition()):
        if process.poll() is not None:
            pytest.fail(f"the process stopped while waiting for {what}: {log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {BOUND} s: {log.read_text()[-3000:]}")
        time.sleep(0.05)
    return found


def test_serve_with_a_worker_sends_what_is_queued_and_restarts_a_worker_that_died(site_home, smtp_process):
    environment = prepared(site_home, smtp_process, ("shell", "-c", SETUP))
    log = site_home / "serve.log"
    with serving_home(site_home, _free_port(), "--worker", env={**dateline_env(site_home), **environment}) as server:
        first = _wait(lambda: _worker_of(server.pid), "worker process", server, log)

        done = dateline_command(site_home, "send-newsletter", "daily-briefing", extra_env=environment)
        assert done.returncode == 0, done.stderr
        _wait(lambda: len(smtp_process.messages()) == 1, "first edition at the SMTP server", server, log)

        os.kill(first, signal.SIGKILL)
        _wait(lambda: (pid := _worker_of(server.pid)) != first and pid, "worker started again", server, log)
        done = dateline_command(site_home, "send-newsletter", "daily-briefing", extra_env=environment)
        assert done.returncode == 0, done.stderr
        _wait(lambda: len(smtp_process.messages()) == 2, "second edition at the SMTP server", server, log)
        assert [m["To"] for m in smtp_process.messages()] == ["reader@example.org"] * 2
    assert not _processes_of(site_home), "a process outlived dateline serve"


LATER = """
import datetime as dt
from django.utils import timezone
from dateline.newsletters import editions, sending
from dateline.newsletters.models import Delivery, Edition, NewsletterList, Subscriber
briefing = NewsletterList.objects.get(slug="daily-briefing")
edition = editions.assemble_now(briefing)
edition.html, edition.text = editions.render(edition)
later = timezone.now() + dt.timedelta(seconds=3)
Delivery.objects.create(edition=edition, subscriber=Subscriber.objects.get(), next_attempt_at=later)
Edition.objects.filter(pk=edition.pk).update(status="sending", html=edition.html, text=edition.text, queued_at=timezone.now())
sending.queue_sends(edition.pk, count=1, run_after=later)
"""


def test_a_running_worker_sends_a_retry_when_its_time_comes_and_leaves_nothing_behind(site_home, smtp_process):
    """A copy put off until later (a retry) is a delayed task: a long-running worker picks it up when
    its time comes, with the clock's sweep an hour away (on RQ, the worker's own thread moves it to
    the queue: RQ's forked scheduler would outlive a worker killed with SIGKILL)."""
    environment = prepared(site_home, smtp_process, ("shell", "-c", SETUP), ("shell", "-c", LATER))
    log = site_home / "worker.log"
    with open(log, "w") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "dateline.cli", "worker", "--interval", "0.2", "--tick", "3600"],
            env={**dateline_env(site_home), **environment},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait(lambda: len(smtp_process.messages()) == 1, "retry at the SMTP server", worker, log)
        assert smtp_process.messages()[0]["To"] == "reader@example.org"
    finally:
        worker.kill()
        worker.wait(timeout=BOUND)
    assert not _processes_of(site_home), "a process of the killed worker is still running"
