"""How Dateline writes times for readers: 'Sun Dec 2, 2012 10:12am EST'."""

import re
from datetime import datetime

from django.utils import timezone


def format_timestamp(value: datetime, tz=None) -> str:
    """Format an aware datetime in the site's zone (or ``tz``) the way wire sites print it."""
    local = timezone.localtime(value, tz)
    hour = local.hour % 12 or 12
    meridiem = "am" if local.hour < 12 else "pm"
    return f"{local:%a %b} {local.day}, {local.year} {hour}:{local:%M}{meridiem} {local.tzname()}"


_OPENING_P = re.compile(r"^\s*<p(\s[^>]*)?>")


def lead_paragraph(html: str, lead_html: str) -> str:
    """A first paragraph's HTML with ``lead_html`` (the dateline, 'BRUSSELS (Reuters) - ') at its start."""
    match = _OPENING_P.match(html)
    if match:
        return html[: match.end()] + lead_html + html[match.end() :]
    return f"<p>{lead_html}{html}</p>"
