"""What the e-mail service reports back (anymail's tracking webhooks, under /anymail/ when
ANYMAIL_WEBHOOK_SECRET is set): a hard bounce, a spam complaint or an unsubscribe at the service
stops every further send to that address. Soft bounces change nothing: the service retries them
(anymail's "deferred"; and Postmark's "SoftBounce", which anymail counts as "bounced", unless Postmark
made the address inactive)."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from .models import Subscriber, Subscription, Suppression

log = logging.getLogger(__name__)

REASONS = {
    "bounced": Suppression.Reason.BOUNCED,
    "rejected": Suppression.Reason.BOUNCED,
    "complained": Suppression.Reason.COMPLAINED,
    "unsubscribed": Suppression.Reason.UNSUBSCRIBED,
}


@transaction.atomic
def suppress(address: str, reason: str) -> None:
    address = address.strip().lower()
    Suppression.record(address, reason)
    Subscription.objects.filter(subscriber__email=address).delete()
    log.info("suppressed an address (%s) as the e-mail service reported", reason)


def soft(event: Any, esp_name: str) -> bool:
    """A bounce the service will retry, or that leaves the address able to receive (a full mailbox)."""
    raw = event.esp_event
    if esp_name == "Postmark" and isinstance(raw, dict):
        return raw.get("Type") == "SoftBounce" and not raw.get("Inactive")
    return False


def tracked(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    """anymail's ``tracking`` signal: one event the service reported."""
    from django.core.exceptions import ValidationError

    from .forms import normalised

    reason = REASONS.get(event.event_type)
    if reason is None or not event.recipient or soft(event, esp_name):
        return
    try:
        address = normalised(event.recipient)
    except ValidationError:
        address = event.recipient.strip().lower()
    if Subscriber.objects.filter(email=address).exists() or reason != Suppression.Reason.UNSUBSCRIBED:
        suppress(address, reason)


def connect() -> None:
    from anymail.signals import tracking

    tracking.connect(tracked, dispatch_uid="dateline.newsletters.suppression")
