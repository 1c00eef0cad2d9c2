"""Sending an edition: each subscriber's copy exactly once, by any number of workers, killed or not.

1. ``queue(edition)``: the edition is marked sending and a ``prepare`` task is queued.
2. ``prepare``: its HTML and text are rendered once and kept, one Delivery row is written for each
   confirmed, unpaused, unsuppressed subscriber of the list, then ``send`` tasks are queued.
3. ``send``: a worker claims a few pending rows at a time (a lease, in one UPDATE that only takes
   rows nobody holds), and sends each. For SMTP the database is told a row is sent just before the
   server is told the message is complete (the final "." of DATA), and only if the row is still the
   worker's: killed before that, the server drops the unfinished message and the row stays pending;
   killed after it, the message was complete and is not sent again. What is left is the time
   between the commit being on its way and the "." leaving the process: then the message would be
   missed, never doubled. A database server commits what it has received even if the process dies,
   so on PostgreSQL the row is updated and locked in a transaction, its COMMIT is written without
   waiting for the answer, and the "." follows at once: two writes apart, microseconds. (Waiting for
   the commit's answer first left a whole round trip, about a tenth of a message's time.) SQLite
   commits in the process. An e-mail service's API (anymail) has no such final step: the row is
   marked just before the request, and put back if the request fails.
4. A failed send is tried again after 1, 2, 4... minutes, ``DATELINE_NEWSLETTER_ATTEMPTS`` times in
   all; a recipient the server refuses for good (5xx) is failed and suppressed as a hard bounce.
5. ``sweep`` (every worker, at start and each minute) frees the rows held by a worker on this machine
   that is gone, and queues ``send`` again for every edition with rows left to send.

Each copy has a Message-ID made from the edition and the subscriber, the same at every attempt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import secrets
import smtplib
import socket
from collections.abc import Callable
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from . import editions
from .models import Delivery, Edition, NewsletterList, Subscriber, Subscription, Suppression, address_hash
from .tokens import manage_token, unsubscribe_token

log = logging.getLogger(__name__)

BATCH = 50
LEASE = dt.timedelta(minutes=10)
CREATE_CHUNK = 2000
SEND_TASKS = 4  # tasks queued an edition: as many workers as there are can share it


# Who holds a lease: this machine, this process and when it started (a PID may be reused).
def _start_time(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return "0"


HOST = socket.gethostname()


def worker_name() -> str:
    pid = os.getpid()
    return f"{HOST}:{pid}:{_start_time(pid)}"


def _alive(owner: str) -> bool:
    """Whether the worker named OWNER may still be sending (always True for another machine's)."""
    parts = owner.split(":")
    if len(parts) < 3 or parts[0] != HOST:
        return True
    try:
        pid = int(parts[1])
    except ValueError:
        return True
    return os.path.exists(f"/proc/{pid}") and _start_time(pid) == parts[2]


# 1. queue
def queue(edition: Edition) -> bool:
    """Start sending EDITION (a draft or a scheduled one); False if it is already sending, sent or cancelled."""
    from .tasks import prepare_edition

    now = timezone.now()
    started = Edition.objects.filter(pk=edition.pk, status__in=[Edition.Status.DRAFT, Edition.Status.SCHEDULED]).update(
        status=Edition.Status.SENDING, send_at=now
    )
    if started:
        transaction.on_commit(lambda: prepare_edition.enqueue(edition.pk))
        edition.refresh_from_db()
    return bool(started)


# 2. prepare
def recipients(newsletter: NewsletterList):
    """Who gets the list now: confirmed, not paused, and not suppressed (bounced, complained...)."""
    subscribers = Subscriber.objects.filter(
        confirmed_at__isnull=False, paused=False, subscriptions__newsletter=newsletter
    ).values_list("pk", "email")
    suppressed = set(Suppression.objects.values_list("address_hash", flat=True))
    return [pk for pk, email in subscribers.iterator(chunk_size=5000) if address_hash(email) not in suppressed]


def prepare(edition_id: int) -> None:
    """Render EDITION once and write its deliveries; done again after a crash, it adds only what is missing."""
    edition = Edition.objects.select_related("newsletter").filter(pk=edition_id, status=Edition.Status.SENDING).first()
    if edition is None:
        return
    if edition.queued_at is None:
        if not edition.html:
            edition.html, edition.text = editions.render(edition)
            edition.save(update_fields=["html", "text"])
        ids = recipients(edition.newsletter)
        for start in range(0, len(ids), CREATE_CHUNK):
            Delivery.objects.bulk_create(
                [Delivery(edition=edition, subscriber_id=pk) for pk in ids[start : start + CREATE_CHUNK]],
                ignore_conflicts=True,
            )
        edition.queued_at = timezone.now()
        edition.save(update_fields=["queued_at"])
        log.info("edition %s: %d deliveries", edition.pk, len(ids))
    queue_sends(edition.pk)


def queue_sends(edition_id: int, count: int = SEND_TASKS, run_after: dt.datetime | None = None) -> None:
    from .tasks import send_edition

    task = send_edition.using(run_after=run_after) if run_after else send_edition
    for _ in range(count):
        task.enqueue(edition_id)


# 3. send
def message_id(edition: Edition, subscriber: Subscriber) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    digest = hashlib.sha256(f"{edition.pk}:{subscriber.key}".encode()).hexdigest()[:24]
    return f"<edition-{edition.pk}.{digest}@{domain}>"


def copy_for(edition: Edition, subscriber: Subscriber) -> EmailMultiAlternatives:
    """SUBSCRIBER's copy of EDITION: the kept HTML and text, with their own links and headers."""
    base = settings.DATELINE_SITE_URL.rstrip("/")
    manage = f"{base}/newsletters/manage/{manage_token(subscriber)}/"
    leave = f"{base}/newsletters/unsubscribe/{unsubscribe_token(subscriber, edition.newsletter_id)}/"

    def own(content: str) -> str:
        return content.replace(editions.MANAGE_URL, manage).replace(editions.UNSUBSCRIBE_URL, leave)

    host = base.split("://", 1)[-1].split("/")[0].split(":")[0] or "localhost"
    message = EmailMultiAlternatives(
        subject=edition.subject,
        body=own(edition.text),
        to=[subscriber.email],
        headers={
            "Message-ID": message_id(edition, subscriber),
            "List-Id": f"{edition.newsletter.name} <{edition.newsletter.slug}.{host}>",
            "List-Unsubscribe": f"<{leave}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Precedence": "bulk",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(own(edition.html), "text/html")
    return message


class Refused(Exception):
    """The server will not take this message for this recipient, ever (a 5xx reply)."""


_PERIOD = re.compile(rb"(?m)^\.")

MarkSent = Callable[[Callable[[], None]], bool]


def mark_sent(pk: int, owner: str, then: Callable[[], None]) -> bool:
    """Commit delivery PK as sent if OWNER still holds it pending, and call THEN (the message's final
    step) as soon as that commit cannot be taken back, even by this process dying. False, without
    calling THEN, if the row is not OWNER's any more."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        return _mark_sent_pipelined(pk, owner, then)
    marked = Delivery.objects.filter(pk=pk, owner=owner, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1, error=""
    )
    if not marked:
        return False
    then()
    return True


def _mark_sent_pipelined(pk: int, owner: str, then: Callable[[], None]) -> bool:
    """PostgreSQL: the row updated and locked in a transaction, its COMMIT written to the server
    without waiting for the reply, then THEN, then the reply read. Dying after the COMMIT is written,
    the server still commits it; the only gap left is between that write and THEN's."""
    connection.ensure_connection()
    raw = connection.connection
    table = connection.ops.quote_name(Delivery._meta.db_table)
    with raw.cursor() as cursor:
        cursor.execute("BEGIN")
        try:
            cursor.execute(
                f"UPDATE {table} SET status = %s, sent_at = %s, attempts = attempts + 1, error = '' "
                "WHERE id = %s AND owner = %s AND status = %s",
                [Delivery.Status.SENT, timezone.now(), pk, owner, Delivery.Status.PENDING],
            )
            ours = cursor.rowcount == 1
        except BaseException:
            raw.rollback()
            raise
        if not ours:
            cursor.execute("ROLLBACK")
            return False
    pgconn = raw.pgconn
    pgconn.send_query(b"COMMIT")  # blocking mode: returns once the command is in the socket
    try:
        then()
    finally:
        failure = None
        while (result := pgconn.get_result()) is not None:
            if result.error_message:
                failure = result.error_message.decode(errors="replace")
        if failure:
            raise DatabaseError(f"delivery {pk}: the commit of its sent mark failed: {failure}")
    return True


class Courier:
    """Hands messages to Django's mail backend, one connection for a batch. With SMTP it speaks the
    transaction itself, so the row can be marked sent between the message and its final "."."""

    def __init__(self) -> None:
        self.backend: Any = get_connection(fail_silently=False)

    def __enter__(self) -> Courier:
        return self  # the connection is opened by the first message, where its failure is that message's

    def __exit__(self, *exc) -> None:
        try:
            self.backend.close()
        except (smtplib.SMTPException, OSError):
            pass

    def deliver(self, message: EmailMultiAlternatives, mark_sent: MarkSent) -> bool:
        """Send MESSAGE; MARK_SENT(THEN) commits it as sent, calls THEN as the commit leaves, and says
        whether it was still ours to send. False: not sent (someone else holds it now). Raises on a
        failure, after which the caller puts the row back."""
        if isinstance(self.backend, SMTPBackend):
            return self._smtp(message, mark_sent)
        if not mark_sent(lambda: None):
            return False
        self.backend.open()
        self.backend.send_messages([message])
        return True

    def _smtp(self, message: EmailMultiAlternatives, mark_sent: MarkSent) -> bool:
        if self.backend.connection is None:
            try:
                self.backend.open()
                # The final "." goes in a write of its own, after the row is marked sent: without
                # TCP_NODELAY, Nagle's algorithm holds it until the server's delayed ACK of the
                # body (tens of ms a message; 20 messages a second instead of hundreds).
                connection = self.backend.connection
                if connection is not None and connection.sock is not None:
                    connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except (smtplib.SMTPException, OSError):
                self._drop()
                raise
        smtp = self.backend.connection
        encoding = message.encoding or settings.DEFAULT_CHARSET
        sender = sanitize_address(message.from_email, encoding)
        to = [sanitize_address(address, encoding) for address in message.recipients()]
        data = message.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]  # as Django's SMTP backend
        try:
            smtp.ehlo_or_helo_if_needed()
            code, reply = smtp.mail(sender)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, sender)
            for address in to:
                code, reply = smtp.rcpt(address)
                if code >= 500:
                    raise Refused(f"{code} {reply.decode(errors='replace')}")
                if code not in (250, 251):
                    raise smtplib.SMTPRecipientsRefused({address: (code, reply)})
            code, reply = smtp.docmd("data")
            if code != 354:
                raise smtplib.SMTPDataError(code, reply)
            body = _PERIOD.sub(b"..", data)
            smtp.send(body if body.endswith(b"\r\n") else body + b"\r\n")
            if not mark_sent(lambda: smtp.send(b".\r\n")):
                self._drop()  # the server throws the unfinished message away
                return False
            code, reply = smtp.getreply()
            if code != 250:
                raise smtplib.SMTPDataError(code, reply)
            return True
        except (Refused, smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused):
            try:
                smtp.rset()
            except (smtplib.SMTPException, OSError):
                self._drop()
            raise
        except (smtplib.SMTPException, OSError):
            self._drop()
            raise

    def _drop(self) -> None:
        connection, self.backend.connection = self.backend.connection, None
        if connection is not None:
            try:
                connection.sock.close() if connection.sock else None
            except OSError:
                pass


def claim(edition_id: int, owner: str, size: int = BATCH) -> list[Delivery]:
    """Up to SIZE pending, due rows of the edition that nobody holds, now held by OWNER."""
    now = timezone.now()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    due = Delivery.objects.filter(edition_id=edition_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now)
    ids = list(due.filter(free).order_by("pk").values_list("pk", flat=True)[:size])
    if not ids:
        return []
    # Only rows still free are taken: a worker that read the same ones first keeps them.
    due.filter(free, pk__in=ids).update(owner=owner, lease_until=now + LEASE)
    return list(Delivery.objects.filter(pk__in=ids, owner=owner).select_related("subscriber"))


def _still_wanted(rows: list[Delivery], newsletter_id: int) -> set[int]:
    """The rows whose subscriber still wants this list (not paused, unsubscribed or suppressed since)."""
    subscribers = [row.subscriber for row in rows]
    subscribed = set(
        Subscription.objects.filter(newsletter_id=newsletter_id, subscriber__in=subscribers).values_list(
            "subscriber_id", flat=True
        )
    )
    hashes = {address_hash(s.email): s.pk for s in subscribers}
    suppressed = {
        hashes[h] for h in Suppression.objects.filter(address_hash__in=hashes).values_list("address_hash", flat=True)
    }
    return {
        row.pk
        for row in rows
        if row.subscriber_id in subscribed and row.subscriber_id not in suppressed and not row.subscriber.paused
    }


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 240))


def _put_back(row: Delivery, owner: str, error: str, permanent: bool = False) -> None:
    attempts = row.attempts + 1
    failed = permanent or attempts >= settings.DATELINE_NEWSLETTER_ATTEMPTS
    Delivery.objects.filter(pk=row.pk, owner=owner).update(
        status=Delivery.Status.FAILED if failed else Delivery.Status.PENDING,
        attempts=attempts,
        next_attempt_at=timezone.now() + _backoff(attempts),
        error=error[:300],
        sent_at=None,
        owner="",
        lease_until=None,
    )
    log.warning("delivery %s (attempt %d): %s%s", row.pk, attempts, error, " (given up)" if failed else "")


def _refresh_content(edition: Edition) -> Edition | None:
    """A story of the edition that left the site (killed, withdrawn, unpublished) leaves the edition,
    headline, subject and all: the rest of the copies are sent without it, from a new rendering. With
    no story left (an alert whose story was killed) nothing more is sent: None."""
    chosen = set(edition.stories.values_list("story_id", flat=True))
    live = set(editions.live_stories().filter(pk__in=chosen).values_list("pk", flat=True))
    if chosen == live:
        return edition
    gone = chosen - live
    log.warning("edition %s: %d stories left the site while it was sending; sent without them", edition.pk, len(gone))
    titles = list(editions.ArticlePage.objects.filter(pk__in=gone).values_list("title", flat=True))
    edition.stories.filter(story_id__in=gone).delete()
    stories = editions.edition_stories(edition)
    if any(title in edition.subject for title in titles):
        edition.subject = editions.subject_for(edition.newsletter, stories, timezone.localtime(edition.created_at))
    if not stories:
        Delivery.objects.filter(edition=edition, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.SKIPPED, error="no story of the edition is on the site any more"
        )
        edition.status = Edition.Status.CANCELLED
        edition.finished_at = timezone.now()
        edition.save(update_fields=["subject", "status", "finished_at"])
        log.warning("edition %s cancelled: none of its stories is on the site any more", edition.pk)
        return None
    edition.html, edition.text = editions.render(edition, stories)
    edition.save(update_fields=["subject", "html", "text"])
    return edition


def send(edition_id: int, owner: str | None = None) -> int:
    """Send the edition's pending copies until none is left to claim; the number sent by this call."""
    owner = f"{owner or worker_name()}:{secrets.token_hex(4)}"  # this call's claims, told apart from others'
    edition = Edition.objects.select_related("newsletter").filter(pk=edition_id, status=Edition.Status.SENDING).first()
    if edition is None or edition.queued_at is None:
        return 0
    sent = 0
    server_away = False
    with Courier() as courier:
        while not server_away and (rows := claim(edition_id, owner)):
            refreshed = _refresh_content(edition)
            if refreshed is None:
                break
            edition = refreshed
            wanted = _still_wanted(rows, edition.newsletter_id)
            for row in rows:
                if row.pk not in wanted:
                    Delivery.objects.filter(pk=row.pk, owner=owner).update(
                        status=Delivery.Status.SKIPPED, owner="", lease_until=None
                    )
                    continue

                def mark(then: Callable[[], None], row: Delivery = row) -> bool:
                    return mark_sent(row.pk, owner, then)

                try:
                    if courier.deliver(copy_for(edition, row.subscriber), mark):
                        sent += 1
                except Refused as refused:
                    _put_back(row, owner, f"refused: {refused}", permanent=True)
                    Suppression.record(row.subscriber.email, Suppression.Reason.BOUNCED)
                except (smtplib.SMTPException, OSError) as error:
                    _put_back(row, owner, f"{type(error).__name__}: {error}")
                    if isinstance(error, OSError | smtplib.SMTPServerDisconnected):
                        _release(edition_id, owner)  # the server is away: the rest wait with the retry
                        server_away = True
                        break
            Delivery.objects.filter(edition_id=edition_id, owner=owner, status=Delivery.Status.SENT).update(
                owner="", lease_until=None
            )
    finish(edition_id)
    return sent


def _release(edition_id: int, owner: str) -> None:
    Delivery.objects.filter(edition_id=edition_id, owner=owner, status=Delivery.Status.PENDING).update(
        owner="", lease_until=None, next_attempt_at=timezone.now() + _backoff(1)
    )


def finish(edition_id: int) -> None:
    """The edition is sent when no copy is pending; else a send is queued for the next retry."""
    pending = Delivery.objects.filter(edition_id=edition_id, status=Delivery.Status.PENDING)
    if not pending.exists():
        Edition.objects.filter(pk=edition_id, status=Edition.Status.SENDING).update(
            status=Edition.Status.SENT, finished_at=timezone.now()
        )
        return
    now = timezone.now()
    if not pending.filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now), next_attempt_at__lte=now).exists():
        later = pending.filter(next_attempt_at__gt=now).aggregate(at=Min("next_attempt_at"))["at"]
        if later is not None and not pending.filter(lease_until__gte=now).exists():
            queue_sends(edition_id, count=1, run_after=later)


# 5. sweep
def sweep() -> int:
    """Free the rows held by workers of this machine that are gone, and queue the work left over:
    editions not yet prepared and editions with copies to send. The number of editions queued again."""
    now = timezone.now()
    held = Delivery.objects.filter(status=Delivery.Status.PENDING, lease_until__gte=now)
    for owner in set(held.values_list("owner", flat=True).distinct()):
        if not _alive(owner):
            freed = held.filter(owner=owner).update(owner="", lease_until=None)
            log.warning("freed %d deliveries held by %s, which is gone", freed, owner)
    queued = 0
    for edition in Edition.objects.filter(status=Edition.Status.SENDING):
        pending = edition.deliveries.filter(status=Delivery.Status.PENDING)
        if edition.queued_at is None:
            from .tasks import prepare_edition

            prepare_edition.enqueue(edition.pk)
            queued += 1
        elif pending.filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now), next_attempt_at__lte=now).exists():
            queue_sends(edition.pk, count=1)
            queued += 1
        elif not pending.exists():
            finish(edition.pk)
    return queued
