"""Marking a copy sent, the step between its message and the message's final "." (sending.mark_sent):
on PostgreSQL outside a transaction it is the pipelined commit, on SQLite an ordinary update. Run
with the database's own transactions (transactional_db), as a worker runs it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from dateline.newsletters import sending
from dateline.newsletters.models import Delivery, Edition, NewsletterList, Subscriber

BOUND = 30  # seconds


@pytest.fixture
def row(django_db_serialized_rollback, transactional_db):
    newsletter = NewsletterList.objects.create(slug="daily-briefing", name="The Daily Briefing", kind="briefing")
    edition = Edition.objects.create(newsletter=newsletter, subject="Monday", status=Edition.Status.SENDING)
    reader = Subscriber.objects.create(email="reader@example.org", confirmed_at=timezone.now())
    return Delivery.objects.create(edition=edition, subscriber=reader, owner="worker-a")


def _read_elsewhere(pk: int) -> str:
    """The row's status as another connection (another thread's) sees it once committed."""
    seen: list[str] = []

    def read() -> None:
        try:
            seen.append(Delivery.objects.get(pk=pk).status)
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join(BOUND)
    return seen[0]


def test_the_holders_mark_is_committed_and_the_final_step_runs_once_after_it(row):
    calls = []
    assert sending.mark_sent(row.pk, "worker-a", lambda: calls.append("final ."))
    assert calls == ["final ."]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.sent_at is not None) == (Delivery.Status.SENT, 1, True)
    assert _read_elsewhere(row.pk) == Delivery.Status.SENT  # committed, not held in a transaction
    assert not connection.in_atomic_block


def test_a_row_another_worker_holds_is_neither_marked_nor_finished(row):
    calls = []
    assert not sending.mark_sent(row.pk, "worker-b", lambda: calls.append("final ."))
    assert calls == []
    row.refresh_from_db()
    assert (row.status, row.owner, row.attempts) == (Delivery.Status.PENDING, "worker-a", 0)
    assert _read_elsewhere(row.pk) == Delivery.Status.PENDING  # no transaction left open on the row


def test_a_final_step_that_fails_leaves_the_connection_usable_for_putting_the_row_back(row):
    def server_gone() -> None:
        raise ConnectionResetError("the SMTP server closed the connection")

    claimed = Delivery.objects.get(pk=row.pk)  # as sending.send holds it
    with pytest.raises(ConnectionResetError):
        sending.mark_sent(row.pk, "worker-a", server_gone)
    row.refresh_from_db()
    assert row.status == Delivery.Status.SENT  # the caller's _put_back turns it pending again
    sending._put_back(claimed, "worker-a", "ConnectionResetError")
    row.refresh_from_db()
    assert (row.status, row.owner, row.attempts) == (Delivery.Status.PENDING, "", 1)
