"""Limits on e-mailing stories, per client address and per sender address, counted in the
database so that every server process shares them."""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from dateline.clients import client_key as client_group

from .models import SentStoryEmail

WINDOW = timedelta(hours=1)


def client_key(request) -> str:
    """The client's group (its address behind trusted proxies; an IPv6 /64), kept only as a keyed hash."""
    address = client_group(request)
    return hmac.new(str(settings.SECRET_KEY).encode(), address.encode(), hashlib.sha256).hexdigest()


def _sent_since(**filters) -> int:
    since = timezone.now() - WINDOW
    total = SentStoryEmail.objects.filter(sent_at__gte=since, **filters).aggregate(n=Sum("recipients"))["n"]
    return total or 0


def over_limit(client: str, sender: str, recipients: int) -> str | None:
    """Return why this send would pass a limit, or None when it may go."""
    limit = settings.DATELINE_EMAIL_RATE_LIMIT
    if _sent_since(client=client) + recipients > limit:
        return f"Too many messages from your connection: at most {limit} an hour. Please try again later."
    if _sent_since(sender__iexact=sender) + recipients > limit:
        return f"Too many messages from {sender}: at most {limit} an hour. Please try again later."
    return None
