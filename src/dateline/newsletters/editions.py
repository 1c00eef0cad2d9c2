"""What goes into an edition, and what it looks like in an inbox.

- The daily briefing: the home page's picks (its lead, its secondaries and each section's first
  story: pinned by editors, else the newest), then the day's newest stories up to ``BRIEFING_SIZE``.
  Dateline does not count reads (the page cache serves most of them), so "most read" is not a
  fallback here: the newest are.
- A section or topic digest: the stories first published since the list's previous digest.
- A breaking-news alert: one story, urgency 1 from the wire or marked "breaking" by an editor, at
  most one alert in ``DATELINE_ALERT_MIN_MINUTES`` (an alert held back is kept, cancelled, so the
  desk sees it and can send it anyway).

Rendering happens once an edition, when it is queued: the HTML (tables, CSS inlined by css-inline,
images with their width and height) and the plain text are kept on the edition, with placeholders
for each subscriber's own links.
"""

from __future__ import annotations

import datetime as dt
import logging

import css_inline
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from dateline.news.fronts import home_front
from dateline.news.identity import current as identity
from dateline.news.pages import ArticlePage, HomePage, live_articles

from .models import Edition, EditionStory, NewsletterList

log = logging.getLogger(__name__)

BRIEFING_SIZE = 10
DIGEST_SIZE = 20
THUMBNAIL = "fill-180x120|format-jpeg|jpegquality-80"
# Styles inlined for mail programs that drop <style>; the dark-mode @media rule is kept in <style> for
# those that read it. Nothing is fetched from outside.
INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
# Each subscriber's own links, put in place of these when their copy is made (sending.py).
MANAGE_URL = "https://dateline.invalid/manage"
UNSUBSCRIBE_URL = "https://dateline.invalid/unsubscribe"


def absolute(path: str) -> str:
    return path if "://" in path else settings.DATELINE_SITE_URL.rstrip("/") + path


def live_stories():
    """Live, public stories: a story killed or withdrawn is unpublished, so never among them."""
    return live_articles()


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def briefing_stories(now: dt.datetime | None = None) -> list[ArticlePage]:
    now = now or timezone.now()
    chosen: list[int] = []
    home = HomePage.objects.live().first()
    if home is not None:
        front = home_front(home)
        refs = [front.lead, *front.secondaries, *(row[0] for _, row in front.rows if row)]
        chosen = [ref.pk for ref in refs if ref is not None]
    since = now - dt.timedelta(days=1)
    newest = live_stories().filter(first_published_at__gte=since).exclude(pk__in=chosen).order_by("-first_published_at")
    chosen += list(newest.values_list("pk", flat=True)[: max(0, BRIEFING_SIZE - len(chosen))])
    chosen = chosen[:BRIEFING_SIZE]
    found = live_stories().in_bulk(chosen)
    return [found[pk] for pk in chosen if pk in found]


def digest_stories(newsletter: NewsletterList, since: dt.datetime) -> list[ArticlePage]:
    stories = live_stories().filter(first_published_at__gt=since)
    if newsletter.section_id:
        stories = stories.filter(section_page_id=newsletter.section_id)
    elif newsletter.topic_id:
        stories = stories.filter(story_topics__topic_id=newsletter.topic_id)
    else:
        return []
    return list(stories.order_by("-first_published_at").distinct()[:DIGEST_SIZE])


def subject_for(newsletter: NewsletterList, stories: list, moment: dt.datetime) -> str:
    """An edition's subject line: what it is, the day, and its first headline."""
    day = _local_day(moment)
    count = len(stories)
    if newsletter.kind == NewsletterList.Kind.BREAKING:
        subject = f"Breaking: {stories[0].title}" if stories else "Breaking news"
    elif newsletter.kind == NewsletterList.Kind.BRIEFING:
        subject = f"{newsletter.name}, {day:%A} {day.day} {day:%B}" + (f": {stories[0].title}" if stories else "")
    else:
        subject = f"{newsletter.name}: {count} new {'story' if count == 1 else 'stories'}, {day.day} {day:%B}"
    return subject[:200]


def _create(newsletter: NewsletterList, issue_key: str, subject: str, stories: list, **fields) -> Edition | None:
    """A new edition with STORIES, or None when the list already has this issue (another worker made it)."""
    try:
        with transaction.atomic():
            edition = Edition.objects.create(newsletter=newsletter, issue_key=issue_key, subject=subject, **fields)
            EditionStory.objects.bulk_create(
                EditionStory(edition=edition, story=story, sort_order=n) for n, story in enumerate(stories)
            )
    except IntegrityError:
        return None
    return edition


def assemble_briefing(newsletter: NewsletterList, now: dt.datetime | None = None) -> Edition | None:
    """Today's briefing, scheduled ``DATELINE_BRIEFING_SEND_AFTER`` minutes from now; None if it exists."""
    now = now or timezone.now()
    stories = briefing_stories(now)
    send_at = now + dt.timedelta(minutes=settings.DATELINE_BRIEFING_SEND_AFTER)
    status = Edition.Status.SCHEDULED if stories else Edition.Status.CANCELLED
    key = f"briefing-{_local_day(now).isoformat()}"
    return _create(newsletter, key, subject_for(newsletter, stories, now), stories, status=status, send_at=send_at)


def _since_previous(newsletter: NewsletterList, now: dt.datetime) -> dt.datetime:
    previous = newsletter.editions.filter(status=Edition.Status.SENT, queued_at__lt=now).order_by("-queued_at").first()
    return previous.queued_at if previous and previous.queued_at else now - dt.timedelta(days=1)


def assemble_digest(newsletter: NewsletterList, now: dt.datetime | None = None) -> Edition | None:
    """Today's digest of the stories new since the previous one sent (or the last day), to send now;
    a day with nothing new is kept as a cancelled edition, so it is not assembled again."""
    now = now or timezone.now()
    stories = digest_stories(newsletter, _since_previous(newsletter, now))
    status = Edition.Status.SCHEDULED if stories else Edition.Status.CANCELLED
    key = f"digest-{_local_day(now).isoformat()}"
    return _create(newsletter, key, subject_for(newsletter, stories, now), stories, status=status, send_at=now)


def breaking_alert(story: ArticlePage, now: dt.datetime | None = None) -> list[Edition]:
    """An alert for STORY on each active breaking-news list, unless one exists for it; held back
    (cancelled, with the reason) when another alert went out less than the minimum gap ago."""
    now = now or timezone.now()
    gap = dt.timedelta(minutes=settings.DATELINE_ALERT_MIN_MINUTES)
    made = []
    for newsletter in NewsletterList.objects.filter(kind=NewsletterList.Kind.BREAKING, active=True):
        recent = newsletter.editions.filter(
            status__in=[Edition.Status.SENDING, Edition.Status.SENT],
            queued_at__gt=now - gap,
        ).exists()
        fields: dict = {"status": Edition.Status.SCHEDULED, "send_at": now}
        if recent:
            minutes = settings.DATELINE_ALERT_MIN_MINUTES
            fields = {
                "status": Edition.Status.CANCELLED,
                "intro": f"Held back: an alert went out less than {minutes} minutes before.",
            }
        edition = _create(newsletter, f"story-{story.pk}", subject_for(newsletter, [story], now), [story], **fields)
        if edition is not None:
            made.append(edition)
    return made


def is_breaking(story: ArticlePage) -> bool:
    return bool(story.breaking or story.urgency == 1)


def _item(story: ArticlePage) -> dict:
    section, image = story.section_page, story.lead_image
    item: dict = {
        "headline": story.title,
        "url": absolute(story.url or ""),
        "summary": story.standfirst or story.summary,
        "section": section.title if section is not None else "",
        "time": timezone.localtime(story.display_time) if story.display_time else None,
        "picture": None,
    }
    if image is not None:
        rendition = image.get_rendition(THUMBNAIL)
        item["picture"] = {"url": absolute(rendition.url), "width": rendition.width, "height": rendition.height}
    return item


def context(edition: Edition, stories: list[ArticlePage]) -> dict:
    site = identity()
    return {
        "edition": edition,
        "newsletter": edition.newsletter,
        "site_name": site.name,
        "accent": site.accent,
        "site_url": settings.DATELINE_SITE_URL,
        "items": [_item(story) for story in stories],
        "alert": edition.newsletter.kind == NewsletterList.Kind.BREAKING,
        "manage_url": MANAGE_URL,
        "unsubscribe_url": UNSUBSCRIBE_URL,
    }


def edition_stories(edition: Edition) -> list[ArticlePage]:
    """The edition's stories that are live now, in its order: a story killed, withdrawn or taken down
    since it was chosen is left out, whenever that happened."""
    ids = list(edition.stories.order_by("sort_order").values_list("story_id", flat=True))
    found = live_stories().in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def render(edition: Edition, stories: list[ArticlePage] | None = None) -> tuple[str, str]:
    """The edition's HTML (CSS inlined) and plain text, with placeholder links for each subscriber."""
    stories = edition_stories(edition) if stories is None else stories
    data = context(edition, stories)
    html = INLINER.inline(render_to_string("newsletters/email/edition.html", data))
    text = render_to_string("newsletters/email/edition.txt", data)
    return html, text


def assemble_now(newsletter: NewsletterList, now: dt.datetime | None = None) -> Edition:
    """A draft of the list's edition as it would be now (the admin's and send-newsletter's "send now"
    when no edition is waiting): a briefing's picks, a digest's new stories, a breaking list's newest
    breaking story of the last day. Raises ValueError when there is nothing to send."""
    now = now or timezone.now()
    if newsletter.kind == NewsletterList.Kind.BRIEFING:
        stories = briefing_stories(now)
    elif newsletter.kind == NewsletterList.Kind.BREAKING:
        newest = live_stories().filter(first_published_at__gte=now - dt.timedelta(days=1))
        stories = list(newest.filter(Q(breaking=True) | Q(urgency=1)).order_by("-first_published_at")[:1])
    else:
        stories = digest_stories(newsletter, _since_previous(newsletter, now))
    if not stories:
        raise ValueError(f"nothing to send on {newsletter.slug}: no stories for it")
    edition = _create(newsletter, "", subject_for(newsletter, stories, now), stories, status=Edition.Status.DRAFT)
    assert edition is not None  # no issue key, so no clash
    return edition
