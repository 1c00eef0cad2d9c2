"""Joining, confirming, changing and leaving lists: what the sign-up form and the e-mailed links do.

Double opt-in: a sign-up only sends a confirmation link; the lists are joined when it is followed.
Nothing a visitor sees says whether an address was already subscribed, suppressed or new: every
sign-up answers "check your inbox", and the mail it sends (if any) goes only to that address.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from dateline.clients import Limit
from dateline.news.identity import site_name

from .models import NewsletterList, Subscriber, Subscription, Suppression, address_hash
from .tokens import confirm_token, manage_token

log = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.DATELINE_SITE_URL.rstrip("/") + path


def sign_up(address: str, lists: list[NewsletterList]) -> bool:
    """Send ``address`` a link that joins ``lists``. False when nothing was sent: the address bounced
    or complained (it is never written to again), or it was sent too many links this hour."""
    suppressed = Suppression.of(address)
    if suppressed is not None and suppressed.reason in (Suppression.Reason.BOUNCED, Suppression.Reason.COMPLAINED):
        log.info("sign-up for a suppressed address (%s): no mail sent", suppressed.reason)
        return False
    per_hour = settings.DATELINE_NEWSLETTER_CONFIRMS_PER_HOUR
    if Limit("newsletter-confirm", per_hour, 3600).hit(address_hash(address)) is not None:
        log.info("sign-up: more than %d confirmation links this hour for one address: no mail sent", per_hour)
        return False
    subscriber, _ = Subscriber.objects.get_or_create(email=address)
    send_confirmation(subscriber, [newsletter.pk for newsletter in lists])
    return True


def send_confirmation(subscriber: Subscriber, list_ids: list[int]) -> None:
    names = list(NewsletterList.objects.filter(pk__in=list_ids).values_list("name", flat=True))
    context = {
        "site_name": site_name(),
        "lists": names,
        "confirm_url": absolute(f"/newsletters/confirm/{confirm_token(subscriber, list_ids)}/"),
        "days": settings.DATELINE_NEWSLETTER_CONFIRM_DAYS,
    }
    message = EmailMultiAlternatives(
        subject=f"Confirm your {site_name()} newsletters",
        body=render_to_string("newsletters/email/confirm.txt", context),
        to=[subscriber.email],
    )
    message.attach_alternative(render_to_string("newsletters/email/confirm.html", context), "text/html")
    message.send()


@transaction.atomic
def confirm(subscriber: Subscriber, list_ids: list[int]) -> list[NewsletterList]:
    """The address owner followed the link: the address is confirmed and joins the lists still offered.
    An address that had unsubscribed or been deleted asked again itself, so its suppression goes."""
    if subscriber.confirmed_at is None:
        subscriber.confirmed_at = timezone.now()
        subscriber.save(update_fields=["confirmed_at"])
    joined = list(NewsletterList.objects.filter(pk__in=list_ids, active=True))
    for newsletter in joined:
        Subscription.objects.get_or_create(subscriber=subscriber, newsletter=newsletter)
    Suppression.objects.filter(
        address_hash=address_hash(subscriber.email),
        reason__in=[Suppression.Reason.UNSUBSCRIBED, Suppression.Reason.DELETED],
    ).delete()
    return joined


@transaction.atomic
def set_preferences(subscriber: Subscriber, lists: list[NewsletterList], paused: bool) -> None:
    Subscription.objects.filter(subscriber=subscriber).exclude(newsletter__in=lists).delete()
    for newsletter in lists:
        Subscription.objects.get_or_create(subscriber=subscriber, newsletter=newsletter)
    subscriber.paused = paused
    subscriber.save(update_fields=["paused"])
    if not lists:
        Suppression.record(subscriber.email, Suppression.Reason.UNSUBSCRIBED)


@transaction.atomic
def unsubscribe(subscriber: Subscriber, newsletter_id: int | None = None) -> None:
    """Leave one list, or (``newsletter_id`` None) every list; leaving the last one suppresses the address."""
    subscriptions = Subscription.objects.filter(subscriber=subscriber)
    if newsletter_id is not None:
        subscriptions = subscriptions.filter(newsletter_id=newsletter_id)
    subscriptions.delete()
    if not Subscription.objects.filter(subscriber=subscriber).exists():
        Suppression.record(subscriber.email, Suppression.Reason.UNSUBSCRIBED)


def manage_url(subscriber: Subscriber) -> str:
    return absolute(f"/newsletters/manage/{manage_token(subscriber)}/")


def export(subscriber: Subscriber) -> dict:
    """Everything kept about one subscriber, for its owner."""
    return {
        "email": subscriber.email,
        "signed_up": subscriber.created_at.isoformat(),
        "confirmed": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
        "paused": subscriber.paused,
        "lists": [
            {"list": row.newsletter.name, "since": row.created_at.isoformat()}
            for row in subscriber.subscriptions.select_related("newsletter").order_by("created_at")
        ],
    }
