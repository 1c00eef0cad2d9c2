"""Signed links in newsletter e-mails: no account, no password, only what the link says.

A link names the subscriber and its key (a new key, after a deletion, voids every link sent before);
a confirmation link also names the lists asked for, and expires.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from .models import Subscriber

CONFIRM = "dateline.newsletters.confirm"
MANAGE = "dateline.newsletters.manage"
UNSUBSCRIBE = "dateline.newsletters.unsubscribe"


class BadLink(Exception):
    """The link was changed, has expired, or names a subscriber that is gone."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


@dataclass
class Opened:
    subscriber: Subscriber
    lists: list[int]


def confirm_token(subscriber: Subscriber, lists: list[int]) -> str:
    return signing.dumps({"s": subscriber.pk, "k": subscriber.key, "l": sorted(lists)}, salt=CONFIRM, compress=True)


def manage_token(subscriber: Subscriber) -> str:
    return signing.dumps({"s": subscriber.pk, "k": subscriber.key}, salt=MANAGE, compress=True)


def unsubscribe_token(subscriber: Subscriber, newsletter_id: int | None = None) -> str:
    """One-click unsubscribe from one list (the message's), or from everything when ``newsletter_id`` is None."""
    return signing.dumps({"s": subscriber.pk, "k": subscriber.key, "l": newsletter_id or 0}, salt=UNSUBSCRIBE)


def _open(token: str, salt: str, max_age: int | None = None) -> tuple[Subscriber, dict]:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise BadLink("This link has expired.") from None
    except signing.BadSignature:
        raise BadLink("This link is not one we sent, or it was cut short.") from None
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise BadLink("This link is not one we sent, or it was cut short.")
    subscriber = Subscriber.objects.filter(pk=data["s"], key=data.get("k")).first()
    if subscriber is None:
        raise BadLink("This link is no longer valid: the address it was sent to is not subscribed.")
    return subscriber, data


def open_confirm(token: str) -> Opened:
    subscriber, data = _open(token, CONFIRM, max_age=settings.DATELINE_NEWSLETTER_CONFIRM_DAYS * 86400)
    lists = [n for n in data.get("l", []) if isinstance(n, int)]
    return Opened(subscriber, lists)


def open_manage(token: str) -> Subscriber:
    return _open(token, MANAGE)[0]


def open_unsubscribe(token: str) -> Opened:
    subscriber, data = _open(token, UNSUBSCRIBE)
    newsletter = data.get("l")
    return Opened(subscriber, [newsletter] if isinstance(newsletter, int) and newsletter else [])
