"""Breaking-news alerts: a story published with urgency 1 (a wire flash) or marked "breaking" by an
editor goes to the breaking-news lists at once, the first time it is published (or made breaking)
within FRESH of its first publication; at most one alert in DATELINE_ALERT_MIN_MINUTES (editions.py).
Called by the story pipeline (publishing/pipeline.py) once the publish has committed."""

from __future__ import annotations

import datetime as dt
import logging

from django.utils import timezone

from dateline.news.pages import ArticlePage

from . import editions, sending
from .models import Edition

log = logging.getLogger(__name__)

FRESH = dt.timedelta(hours=2)  # an old story republished (a correction, a new photo) is no alert


def story_published(page_id: int) -> list[Edition]:
    story = ArticlePage.objects.filter(pk=page_id).first()
    if story is None or not story.live or not editions.is_breaking(story):
        return []
    first = story.first_published_at or timezone.now()
    if first < timezone.now() - FRESH:
        return []
    made = editions.breaking_alert(story)
    for edition in made:
        if edition.status == Edition.Status.SCHEDULED:
            sending.queue(edition)
            log.info("breaking-news alert queued for %r on %s", story.title, edition.newsletter)
        else:
            log.info("breaking-news alert for %r held back: %s", story.title, edition.intro)
    return made
