"""The reader's toolbar on a story: e-mail, share, print, single page, text size."""

from typing import Any

from django import template

from ..share import share_links
from ..views import email_url

register = template.Library()


@register.inclusion_tag("reader/toolbar.html", takes_context=True)
def reader_toolbar(context: template.Context) -> dict[str, Any]:
    page = context["page"]
    return {
        "page": page,
        "single": context.get("single"),
        "page_count": context.get("page_count"),
        "email_url": email_url(page),
        "share_links": share_links(context.get("canonical_url") or page.canonical_url(), page.headline),
    }
