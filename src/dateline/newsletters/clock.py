"""What a worker does on the clock, each minute: assemble the day's briefing and digests when
their time comes, start the editions whose scheduled time has come, and sweep up after workers
that died (sending.sweep). Several workers may tick at once: an edition is made once a day a list
(a unique key) and started once (a conditional update)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone

from . import editions, sending
from .models import Edition, NewsletterList

log = logging.getLogger(__name__)

WINDOW = dt.timedelta(hours=6)  # a worker started later than this after the hour does not send that day's


def _at(setting_name: str, now: dt.datetime) -> dt.datetime:
    value = getattr(settings, setting_name)
    try:
        hour, minute = (int(part) for part in value.split(":"))
        moment = dt.time(hour, minute)
    except ValueError:
        raise ValueError(f"{setting_name} must be HH:MM in the site's time zone, not {value!r}") from None
    local = timezone.localtime(now)
    return timezone.make_aware(dt.datetime.combine(local.date(), moment), local.tzinfo)


def _due(setting_name: str, now: dt.datetime) -> bool:
    at = _at(setting_name, now)
    return at <= now < at + WINDOW


def tick(now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    lists = NewsletterList.objects.filter(active=True)
    if _due("DATELINE_BRIEFING_AT", now):
        for newsletter in lists.filter(kind=NewsletterList.Kind.BRIEFING):
            if editions.assemble_briefing(newsletter, now) is not None:
                log.info("assembled today's %s", newsletter)
    if _due("DATELINE_DIGEST_AT", now):
        for newsletter in lists.filter(kind__in=[NewsletterList.Kind.SECTION, NewsletterList.Kind.TOPIC]):
            if editions.assemble_digest(newsletter, now) is not None:
                log.info("assembled today's %s", newsletter)
    for edition in Edition.objects.filter(status=Edition.Status.SCHEDULED, send_at__lte=now):
        sending.queue(edition)
    sending.sweep()
