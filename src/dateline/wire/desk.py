"""The wire desk's record of agency items (``WireItem``), its audit-log entries, and kill alerts.

The importer calls these inside the story's own transaction; the alert e-mail goes after commit.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log as wagtail_log

from dateline.news.formatting import plain_text

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
    "dateline.wire.live": ("Run as live coverage", "A running story on the wire, run as live coverage by a rule"),
}


def record(story: WireStory, page, status: str, rule: str, section: str = "", applied: bool = True) -> WireItem:
    """Create or refresh the desk's item for STORY (``applied``: the story's page was built from this version)."""
    defaults = item_fields(story, page, status, rule, section, applied)
    item, _ = WireItem.objects.update_or_create(guid=story.guid, defaults=defaults)
    return item


def item_fields(story: WireStory, page, status: str, rule: str, section: str = "", applied: bool = True) -> dict:
    """What the desk's item for STORY says (``record``; a bulk ingest writes many at once)."""
    text = " ".join(plain_text(p) for p in story.paragraphs)
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
    if applied and story.headline:
        defaults["agency_fields"] = story_fields(story)
    defaults["corrected"] = story.is_correction
    if story.headline:
        defaults.update(
            headline=story.headline[:255], first_words=text[:255], body_text=text, agency=story.agency[:100]
        )
    if status in (WireItem.Status.HELD, WireItem.Status.UPDATED):
        defaults["seen"] = False  # urgent items stand out again until an editor acts on them
    return defaults


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


# --- an agency update to a story an editor changed -------------------------------------------------------


def story_fields(story: WireStory) -> dict:
    """The parts of a version an editor compares: headline, summary and paragraphs (inline HTML)."""
    return {
        "version": story.version,
        "headline": story.headline,
        "summary": story.summary,
        "paragraphs": list(story.paragraphs),
    }


def page_fields(page) -> dict:
    """The same parts of a page (or of a revision's copy of it)."""
    paragraphs = []
    for block in page.body:
        if block.block_type == "paragraph":
            source = block.value.source.strip()
            paragraphs.append(source[3:-4] if source.startswith("<p>") and source.endswith("</p>") else source)
    return {"headline": page.title, "summary": page.summary, "paragraphs": paragraphs}


def keep_pending(item: WireItem, story: WireStory) -> None:
    WireItem.objects.filter(pk=item.pk).update(pending_update=story_fields(story))


def agency_base(page) -> dict:
    """The agency's previous version of the story, as the importer last wrote it (its revisions have no user)."""
    revision = page.revisions.filter(user__isnull=True).order_by("-created_at", "-pk").first()
    return page_fields(revision.as_object() if revision is not None else page)


def diff(base: dict, new: dict) -> dict:
    """What the agency changed between two versions: the headline, the summary, and paragraphs added,
    removed and changed (in order)."""
    from difflib import SequenceMatcher

    changes = []
    matcher = SequenceMatcher(a=base["paragraphs"], b=new["paragraphs"], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before, after = base["paragraphs"][i1:i2], new["paragraphs"][j1:j2]
        paired = min(len(before), len(after)) if tag == "replace" else 0
        changes += [("changed", b, a) for b, a in zip(before[:paired], after[:paired], strict=True)]
        changes += [("removed", b, "") for b in before[paired:]] + [("added", "", a) for a in after[paired:]]
    return {
        "headline": (base["headline"], new["headline"]) if base["headline"] != new["headline"] else None,
        "summary": (base["summary"], new["summary"]) if base["summary"] != new["summary"] else None,
        "paragraphs": changes,
    }


def merge(base: dict, ours: dict, theirs: dict) -> dict:
    """The agency's changes (base -> theirs) applied to the editor's version (ours): a field or paragraph
    the agency did not touch keeps the editor's text; where both changed, the agency's update wins."""
    from difflib import SequenceMatcher

    merged = {}
    for name in ("headline", "summary"):
        merged[name] = theirs[name] if theirs[name] != base[name] else ours[name]
    paragraphs = list(ours["paragraphs"])
    matcher = SequenceMatcher(a=base["paragraphs"], b=theirs["paragraphs"], autojunk=False)
    # Applied from the end, so earlier positions stay valid; each change is placed where the base
    # paragraphs it replaces stand in the editor's version (or, if the editor rewrote them, at the
    # same position).
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if tag == "equal":
            continue
        anchor = _find(paragraphs, base["paragraphs"][i1:i2]) if i2 > i1 else None
        if anchor is None:
            anchor = min(i1, len(paragraphs))
            span = min(i2 - i1, len(paragraphs) - anchor)
        else:
            span = i2 - i1
        paragraphs[anchor : anchor + span] = theirs["paragraphs"][j1:j2]
    merged["paragraphs"] = paragraphs
    return merged


def _find(paragraphs: list[str], run: list[str]) -> int | None:
    for start in range(len(paragraphs) - len(run) + 1):
        if paragraphs[start : start + len(run)] == run:
            return start
    return None


def apply_update(item: WireItem, user) -> None:
    """Merge the waiting agency update into the editor's latest version and publish it (or save it as a
    draft when the story is not live)."""
    from wagtail.rich_text import RichText

    story_page, theirs = item.page, item.pending_update
    if story_page is None or theirs is None:
        raise ValueError(f"{item.guid} has no agency update waiting")
    page = story_page.get_latest_revision_as_object()
    merged = merge(item.agency_fields or agency_base(story_page), page_fields(page), theirs)
    page.title = page.draft_title = merged["headline"]
    page.summary = merged["summary"]
    others = [block for block in page.body if block.block_type != "paragraph"]
    page.body = [("paragraph", RichText(f"<p>{p}</p>")) for p in merged["paragraphs"]] + [
        (block.block_type, block.value) for block in others
    ]
    revision = page.save_revision(user=user, log_action=True)
    if story_page.live:
        revision.publish(user=user, skip_permission_checks=True)
    log(story_page, "dateline.wire.update_applied", user=user, version=theirs.get("version"))
    WireItem.objects.filter(pk=item.pk).update(
        pending_update=None,
        agency_fields=theirs,
        desk_rank=1,
        status=WireItem.Status.PUBLISHED if story_page.live else WireItem.Status.HELD,
        seen=True,
    )
