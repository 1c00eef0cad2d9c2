"""The wire desk's record of agency items (``WireItem``), its audit-log entries, and kill alerts.

The importer calls these inside the story's own transaction; the alert e-mail goes after commit.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.log_actions import log as wagtail_log

from .models import WireItem
from .story import WireStory

logger = logging.getLogger(__name__)

# Items still waiting for an editor: a new version replaces their draft on the desk.
WAITING = (WireItem.Status.NEW, WireItem.Status.HELD, WireItem.Status.UPDATED, WireItem.Status.SPIKED)

# Audit-log action types of the desk (registered in wagtail_hooks.py), with their labels.
LOG_ACTIONS = {
    "dateline.wire.held": ("Hold by ingest rule", "Held on the wire desk by an ingest rule"),
    "dateline.wire.published": ("Publish from the wire desk", "Published from the wire desk"),
    "dateline.wire.spiked": ("Spike", "Spiked on the wire desk"),
    "dateline.wire.restored": ("Restore", "Restored to the wire desk"),
    "dateline.wire.kill_applied": ("Apply the agency's kill", "Kill applied: the agency withdrew the story"),
    "dateline.wire.update_applied": ("Apply the agency's update", "Agency update applied"),
}


def record(story: WireStory, page, status: str, rule: str, section: str = "") -> WireItem:
    """Create or refresh the desk's item for STORY."""
    text = " ".join(strip_tags(p) for p in story.paragraphs)
    defaults = {
        "page": page,
        "status": status,
        "version": story.version,
        "source_format": story.source_format[:20],
        "received_at": timezone.now(),
        "urgency": story.urgency if story.urgency is not None and 0 <= story.urgency <= 9 else None,
        "language": story.language[:35],
        "subjects": ", ".join(story.subject_codes)[:500],
    }
    if rule:
        defaults["rule"] = rule[:100]
    if section:
        defaults["section"] = section[:100]
    if story.headline:
        defaults.update(
            headline=story.headline[:255], first_words=text[:255], body_text=text, agency=story.agency[:100]
        )
    if status in (WireItem.Status.HELD, WireItem.Status.UPDATED):
        defaults["seen"] = False  # urgent items stand out again until an editor looks
    item, _ = WireItem.objects.update_or_create(guid=story.guid, defaults=defaults)
    return item


def log(page, action: str, user=None, **data) -> None:
    wagtail_log(instance=page, action=action, user=user, data=data or None)


def kill_applied(story: WireStory, page, item: WireItem | None) -> None:
    """A kill or withdrawal reached a story on the site: the desk is alerted until an editor acknowledges it."""
    item = record(story, page, WireItem.Status.KILLED, item.rule if item else "")
    WireItem.objects.filter(pk=item.pk).update(kill_acknowledged=False)
    log(page, "dateline.wire.kill_applied", status=story.pub_status, note=story.ednote)
    if settings.DATELINE_DESK_EMAIL:
        title, note, url = page.title, story.ednote, page.full_url or ""

        def alert() -> None:
            try:
                send_mail(
                    subject=f"KILL applied: {title}",
                    message=(
                        f"The agency {story.pub_status} this story, and it has been taken off the site, the feeds and "
                        f"every cache.\n\nHeadline: {title}\nAgency guid: {story.guid}\nWas at: {url}\n"
                        f"Agency's note: {note or '(none)'}\n\nAcknowledge it on the wire desk."
                    ),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=[settings.DATELINE_DESK_EMAIL],
                )
            except Exception:  # noqa: BLE001 (the kill stands; a mail server down must not undo it)
                logger.exception("the kill alert for %s could not be e-mailed", story.guid)

        transaction.on_commit(alert, robust=True)
