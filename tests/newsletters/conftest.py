"""A real SMTP server for the newsletter tests: aiosmtpd in a process of its own on a loopback port,
keeping every message it accepts in a Maildir that the tests read back."""

from __future__ import annotations

import mailbox
import socket
import subprocess
import sys
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from tests.browser.conftest import _free_port

BOUND = 30  # seconds: how long the server may take to start, or a message to arrive


class SMTPServer:
    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port

    def messages(self) -> list[EmailMessage]:
        """Every message received so far, parsed, oldest first."""
        files = [path for sub in ("new", "cur") for path in (self.folder / sub).iterdir() if path.is_file()]
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(path.read_bytes()) for path in sorted(files, key=lambda p: p.stat().st_mtime_ns)]  # type: ignore[misc]

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages() if address in message.get("To", "")]

    def clear(self) -> None:
        box = mailbox.Maildir(self.folder, create=False)
        for key in list(box.keys()):
            box.remove(key)


@pytest.fixture(scope="session")
def smtp_process(tmp_path_factory):
    folder = tmp_path_factory.mktemp("smtp") / "Maildir"
    mailbox.Maildir(folder, create=True)
    port = _free_port()
    log = folder.parent / "smtp.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{port}",
                "-c",
                "aiosmtpd.handlers.Mailbox",
                str(folder),
            ],
            stdout=out,
            stderr=out,
        )
    deadline = time.monotonic() + BOUND
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the SMTP server did not start: {log.read_text()[-2000:]}")
            time.sleep(0.05)
    yield SMTPServer(folder, port)
    process.terminate()
    process.wait(timeout=BOUND)


@pytest.fixture
def smtp(smtp_process, settings):
    """Django sends through the real server for this test, whose mailbox starts empty."""
    smtp_process.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_process.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    return smtp_process


@pytest.fixture
def task_queue(django_db_serialized_rollback, transactional_db, settings):
    """The newsletters' real task queue (the database's, or Redis's when REDIS_URL is set), empty.
    Transactional: what is queued after a commit must be seen by the worker (and the rows the
    migrations made, the home page, are put back after each test)."""
    if settings.TASKS["newsletters"]["BACKEND"] == "django_tasks_rq.RQBackend":
        import django_rq

        django_rq.get_queue("newsletters").empty()
    yield
    if settings.TASKS["newsletters"]["BACKEND"] == "django_tasks_rq.RQBackend":
        import django_rq

        django_rq.get_queue("newsletters").empty()


def work() -> str:
    """`dateline worker --burst` in this process: what the queue holds, done."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("worker", burst=True, stdout=out)
    return out.getvalue()
