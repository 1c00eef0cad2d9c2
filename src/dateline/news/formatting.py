"""How Dateline writes times for readers: 'Sun Dec 2, 2012 10:12am EST'."""

from datetime import datetime

from django.utils import timezone


def format_timestamp(value: datetime, tz=None) -> str:
    """Format an aware datetime in the site's zone (or ``tz``) the way wire sites print it."""
    local = timezone.localtime(value, tz)
    hour = local.hour % 12 or 12
    meridiem = "am" if local.hour < 12 else "pm"
    return f"{local:%a %b} {local.day}, {local.year} {hour}:{local:%M}{meridiem} {local.tzname()}"
