"""Editions as subscribers get them: through the real task queue and a real SMTP server, parsed
(headers, both parts, working links); who gets one and who does not; a story killed mid-send;
retries; the briefing's and digests' clock; breaking-news alerts; the editors' admin screens."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from dateline.newsletters import alerts, clock, editions, sending
from dateline.newsletters.models import (
    Delivery,
    Edition,
    NewsletterList,
    Subscriber,
    Subscription,
    Suppression,
)
from tests.browser.conftest import _free_port
from tests.feeds.conftest import site  # noqa: F401  (the fixture)
from tests.newsletters.conftest import work
from tests.newsletters.test_subscribing import link_in

Kind = NewsletterList.Kind


def subscriber(address: str, *lists: NewsletterList, confirmed: bool = True, paused: bool = False) -> Subscriber:
    row = Subscriber.objects.create(email=address, confirmed_at=timezone.now() if confirmed else None, paused=paused)
    for newsletter in lists:
        Subscription.objects.create(subscriber=row, newsletter=newsletter)
    return row


@pytest.fixture
def briefing(task_queue):
    return NewsletterList.objects.create(slug="daily-briefing", name="The Daily Briefing", kind=Kind.BRIEFING)


@pytest.fixture
def story(seed_page):
    return seed_page


def another(story, slug: str, title: str, **attrs):
    """A second story in the seed's section, published (the pipeline runs, alerts included)."""
    copy = story.copy(update_attrs={"slug": slug, "title": title, "source_guid": f"urn:test:{slug}", **attrs})
    copy.save_revision().publish()
    return copy.specific


def test_an_edition_reaches_each_confirmed_subscriber_once_with_both_parts_and_working_links(
    smtp, briefing, story, settings
):
    readers = [subscriber(f"reader{n}@example.org", briefing) for n in range(3)]
    subscriber("unconfirmed@example.org", briefing, confirmed=False)
    subscriber("paused@example.org", briefing, paused=True)
    subscriber("other-list@example.org")
    Suppression.record(subscriber("bounced@example.org", briefing).email, Suppression.Reason.BOUNCED)

    edition = editions.assemble_now(briefing)
    assert sending.queue(edition)
    work()

    received = smtp.messages()
    assert sorted(m["To"] for m in received) == sorted(r.email for r in readers)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT
    assert edition.counts() == {"pending": 0, "sent": 3, "failed": 0, "skipped": 0}

    message = smtp.to("reader0@example.org")[0]
    assert message["Subject"].startswith("The Daily Briefing, ")
    assert story.title in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len({m["Message-ID"] for m in received}) == 3
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    address = settings.DATELINE_SITE_URL + story.url
    assert story.title in text and address in text
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(f'a[href="{address}"]').get_text() == story.title
    assert "style=" in str(soup.select_one("td.story"))  # CSS inlined for mail programs that drop <style>
    assert "prefers-color-scheme: dark" in html

    # The links are the subscriber's own, and work: the preferences page, then one-click unsubscribe.
    manage = link_in(message, "/newsletters/manage/")
    page = Client().get(manage)
    assert page.status_code == 200 and "reader0@example.org" in page.content.decode()
    leave = re.search(r"<(https?://[^>]+)>", message["List-Unsubscribe"])[1]
    assert leave.endswith(link_in(message, "/newsletters/unsubscribe/"))
    answer = Client(enforce_csrf_checks=True).post(urlsplit(leave).path, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert not Subscription.objects.filter(subscriber=readers[0], newsletter=briefing).exists()

    # A second edition goes to the two still subscribed.
    smtp.clear()
    second = editions.assemble_now(briefing)
    sending.queue(second)
    work()
    assert sorted(m["To"] for m in smtp.messages()) == ["reader1@example.org", "reader2@example.org"]


def test_a_story_killed_while_an_edition_waits_is_not_in_any_copy(smtp, briefing, story):
    second = another(story, "second-story", "A second story for the briefing")
    subscriber("reader@example.org", briefing)
    edition = editions.assemble_now(briefing)
    assert {row.story_id for row in edition.stories.all()} >= {story.pk, second.pk}
    sending.queue(edition)
    second.unpublish()  # a kill, a withdrawal or an editor's unpublish, before the worker runs
    work()

    [message] = smtp.messages()
    text = message.get_body(("plain",)).get_content()
    assert story.title in text
    assert "A second story for the briefing" not in text
    assert "A second story for the briefing" not in message.get_body(("html",)).get_content()


def test_a_server_that_is_away_leaves_copies_pending_for_a_retry_then_failed_after_the_last_attempt(
    smtp, briefing, story, settings
):
    subscriber("reader@example.org", briefing)
    edition = editions.assemble_now(briefing)
    sending.queue(edition)
    settings.EMAIL_PORT = _free_port()  # nothing listens there
    settings.DATELINE_NEWSLETTER_ATTEMPTS = 2
    work()
    row = Delivery.objects.get(edition=edition)
    assert (row.status, row.attempts) == (Delivery.Status.PENDING, 1)
    assert row.next_attempt_at > timezone.now() and "Connection refused" in row.error
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENDING

    Delivery.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())  # the retry's time has come
    work()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Delivery.Status.FAILED, 2)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT and edition.counts()["failed"] == 1
    assert smtp.messages() == []

    # The server back: an edition goes out.
    settings.EMAIL_PORT = smtp.port
    again = editions.assemble_now(briefing)
    sending.queue(again)
    work()
    assert [m["To"] for m in smtp.messages()] == ["reader@example.org"]


def test_the_briefing_is_assembled_at_its_hour_scheduled_and_sent_once(smtp, briefing, story, settings):
    settings.DATELINE_BRIEFING_AT, settings.DATELINE_BRIEFING_SEND_AFTER = "06:00", 60
    subscriber("reader@example.org", briefing)
    day = timezone.localtime().date()
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(6, 0)))

    clock.tick(at - dt.timedelta(minutes=1))
    assert not Edition.objects.exists()
    clock.tick(at)
    clock.tick(at + dt.timedelta(minutes=1))  # a second tick, or a second worker: still one edition
    [edition] = Edition.objects.all()
    assert edition.status == Edition.Status.SCHEDULED
    assert edition.send_at == at + dt.timedelta(minutes=60)
    assert [row.story_id for row in edition.stories.all()][:1] == [story.pk]

    clock.tick(at + dt.timedelta(minutes=59))
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SCHEDULED  # editors still have time to edit or hold it
    clock.tick(at + dt.timedelta(minutes=60))
    work()
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT
    assert [m["To"] for m in smtp.messages()] == ["reader@example.org"]


def test_a_section_digest_carries_the_days_new_stories_and_a_quiet_day_sends_nothing(smtp, task_queue, story, world):
    digest = NewsletterList.objects.create(slug="section-world", name="World", kind=Kind.SECTION, section=world)
    business = world.get_parent().add_child(instance=type(world)(title="Business", slug="business"))
    quiet = NewsletterList.objects.create(slug="section-business", name="Business", kind=Kind.SECTION, section=business)
    subscriber("reader@example.org", digest, quiet)
    at = timezone.make_aware(dt.datetime.combine(timezone.localtime().date(), dt.time(17, 0)))
    clock.tick(at)
    work()
    assert Edition.objects.get(newsletter=quiet).status == Edition.Status.CANCELLED
    [message] = smtp.messages()
    assert message["Subject"].startswith("World: 1 new story")
    assert story.title in message.get_body(("plain",)).get_content()


def test_a_breaking_story_alerts_its_list_once_and_a_second_within_the_gap_is_held_back(
    smtp, task_queue, story, settings
):
    settings.DATELINE_ALERT_MIN_MINUTES = 30
    breaking = NewsletterList.objects.create(slug="breaking-news", name="Breaking news", kind=Kind.BREAKING)
    subscriber("reader@example.org", breaking)

    story.breaking = True
    story.save_revision().publish()  # the pipeline alerts once the publish commits
    [alert] = Edition.objects.filter(newsletter=breaking)
    assert alert.status == Edition.Status.SENDING
    story.save_revision().publish()  # a later revision of the same story: no second alert
    assert Edition.objects.filter(newsletter=breaking).count() == 1
    work()
    [message] = smtp.messages()
    assert message["Subject"] == f"Breaking: {story.title}"

    flash = another(story, "flash", "A flash from the wire", breaking=False, urgency=1)
    held = Edition.objects.get(newsletter=breaking, issue_key=f"story-{flash.pk}")
    assert held.status == Edition.Status.CANCELLED and "less than 30 minutes" in held.intro
    work()
    assert len(smtp.messages()) == 1

    ordinary = another(story, "ordinary", "Nothing urgent", breaking=False, urgency=5)
    assert alerts.story_published(ordinary.pk) == []


def test_an_editions_pictures_are_absolute_with_their_width_and_height(site, settings):  # noqa: F811
    """Mail programs that block images keep the layout only when each image says its size."""
    briefing = NewsletterList.objects.create(slug="daily-briefing", name="The Daily Briefing", kind=Kind.BRIEFING)
    edition = editions.assemble_now(briefing)
    html, _ = editions.render(edition)
    soup = BeautifulSoup(html, "html.parser")
    link = soup.select_one(f'a[href="{settings.DATELINE_SITE_URL}{site.nato.url}"] img')
    assert link is not None, "the story with a lead photo has its picture"
    assert link["src"].startswith(settings.DATELINE_SITE_URL + "/")
    assert int(link["width"]) == 180 and int(link["height"]) == 120 and link["alt"] == ""
