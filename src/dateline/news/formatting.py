"""How Dateline writes times for readers ('Sun Dec 2, 2012 10:12am EST'), and text from HTML."""

import html
import re
from datetime import datetime

from django.utils import timezone
from django.utils.html import strip_tags


def plain_text(markup: str) -> str:
    """The text a reader sees in a piece of HTML: tags removed and entities read (``&amp;`` is ``&``).

    The one way plain text (summaries, snippets, the desk's text, topic matching) is made from a
    story's HTML, so that it is escaped once, where it is written out, and never shows ``&amp;``."""
    return html.unescape(strip_tags(markup))


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
