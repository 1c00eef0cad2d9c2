"""What editors and the e-mail service do to newsletters from outside the sending loop: the admin's
preview and send screens (with their permission), `dateline send-newsletter`'s errors, and the
service's tracking webhooks, which suppress an address that bounced or complained."""

from __future__ import annotations

import base64
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.test import Client

from dateline.newsletters import editions, sending
from dateline.newsletters.models import Edition, NewsletterList, Subscription, Suppression
from tests.newsletters.conftest import work
from tests.newsletters.test_editions import subscriber

Kind = NewsletterList.Kind
HOOK = "/anymail/postmark/tracking/"


@pytest.fixture
def briefing(db):
    return NewsletterList.objects.create(slug="daily-briefing", name="The Daily Briefing", kind=Kind.BRIEFING)


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("desk", "desk@example.org", "a-long-password-1"))
    return client


def bounce(address: str, kind: str = "HardBounce") -> str:
    """A Postmark bounce webhook's body, in the shape Postmark documents (RecordType, Type, Email)."""
    return json.dumps(
        {
            "RecordType": "Bounce",
            "ID": 4323372036854775807,
            "Type": kind,
            "TypeCode": 1 if kind == "HardBounce" else 4096,
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
            "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
            "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
            "Email": address,
            "From": "newsletters@dateline.example",
            "BouncedAt": "2026-12-06T16:33:54.9070259Z",
            "Inactive": kind == "HardBounce",  # Postmark deactivates an address on a hard bounce only
            "CanActivate": True,
            "Subject": "The Daily Briefing",
        }
    )


def basic(credentials: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


# The e-mail service's webhooks


def test_a_hard_bounce_reported_by_the_service_stops_every_further_send(briefing, settings):
    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": "postmark:a-long-webhook-secret"}
    gone = subscriber("gone@example.org", briefing)
    kept = subscriber("kept@example.org", briefing)
    service = Client(enforce_csrf_checks=True)  # the service has no session and no CSRF token

    answer = service.post(
        HOOK, bounce("Gone@Example.org"), content_type="application/json", **basic("postmark:a-long-webhook-secret")
    )
    assert answer.status_code == 200
    assert Suppression.of("gone@example.org").reason == Suppression.Reason.BOUNCED
    assert not Subscription.objects.filter(subscriber=gone).exists()
    assert sending.recipients(briefing) == [kept.pk]

    # A soft bounce is the service's to retry: nothing changes.
    service.post(
        HOOK,
        bounce("kept@example.org", "SoftBounce"),
        content_type="application/json",
        **basic("postmark:a-long-webhook-secret"),
    )
    assert Suppression.of("kept@example.org") is None and sending.recipients(briefing) == [kept.pk]


def test_a_webhook_with_the_wrong_secret_or_none_set_suppresses_nobody(briefing, settings):
    subscriber("target@example.org", briefing)
    service = Client()
    body = bounce("target@example.org")

    settings.ANYMAIL = {key: value for key, value in settings.ANYMAIL.items() if key != "WEBHOOK_SECRET"}
    assert service.post(HOOK, body, content_type="application/json", **basic("x:y")).status_code == 404

    settings.ANYMAIL = {**settings.ANYMAIL, "WEBHOOK_SECRET": "postmark:a-long-webhook-secret"}
    assert service.post(HOOK, body, content_type="application/json", **basic("postmark:guess")).status_code in (
        400,
        403,
    )
    assert service.post(HOOK, body, content_type="application/json").status_code in (400, 403)
    assert service.post(HOOK, "{not json", content_type="application/json").status_code < 500
    assert not Suppression.objects.exists() and sending.recipients(briefing)


# The admin's preview and send


def test_an_editor_previews_an_edition_in_html_and_plain_text_then_sends_it(
    smtp, task_queue, seed_page, django_user_model
):
    briefing = NewsletterList.objects.create(slug="daily-briefing", name="The Daily Briefing", kind=Kind.BRIEFING)
    subscriber("reader@example.org", briefing)
    edition = editions.assemble_now(briefing)
    editor = Client()
    editor.force_login(django_user_model.objects.create_superuser("desk", "desk@example.org", "a-long-password-1"))

    html = editor.get(f"/admin/newsletters/editions/{edition.pk}/preview/html/")
    assert html.status_code == 200 and html["Content-Type"].startswith("text/html")
    assert seed_page.title in html.content.decode() and "<table" in html.content.decode()
    text = editor.get(f"/admin/newsletters/editions/{edition.pk}/preview/text/")
    assert text["Content-Type"].startswith("text/plain") and seed_page.title in text.content.decode()
    assert "<" not in text.content.decode().split(seed_page.title)[0]  # plain text, no markup

    page = editor.get(f"/admin/newsletters/editions/{edition.pk}/send/")
    assert page.status_code == 200
    assert "1 subscriber" in page.content.decode() and seed_page.title in page.content.decode()

    listing = editor.post(f"/admin/newsletters/editions/{edition.pk}/send/", {"action": "send"}, follow=True)
    assert "is being sent to The Daily Briefing" in listing.content.decode()
    work()
    assert [m["To"] for m in smtp.messages()] == ["reader@example.org"]
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SENT and edition.counts()["sent"] == 1
    assert "1 sent" in editor.get("/admin/snippets/newsletters/edition/").content.decode()

    again = editor.post(f"/admin/newsletters/editions/{edition.pk}/send/", {"action": "send"}, follow=True)
    assert "not sent again" in again.content.decode()
    work()
    assert len(smtp.messages()) == 1


def test_an_edition_is_scheduled_then_held_back_and_a_bad_action_is_named(editor, briefing, seed_page):
    from django.utils import timezone

    edition = editions.assemble_now(briefing)
    url = f"/admin/newsletters/editions/{edition.pk}/send/"
    assert "Set a time in the future" in editor.post(url, {"action": "schedule"}, follow=True).content.decode()
    edition.send_at = timezone.now() + timezone.timedelta(hours=2)
    edition.save()
    assert "will be sent at" in editor.post(url, {"action": "schedule"}, follow=True).content.decode()
    edition.refresh_from_db()
    assert edition.status == Edition.Status.SCHEDULED
    assert "held back as a draft" in editor.post(url, {"action": "hold"}, follow=True).content.decode()
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT
    assert "Choose send, schedule or hold" in editor.post(url, {"action": "boom"}, follow=True).content.decode()


def test_only_editors_with_the_right_to_change_editions_preview_or_send_them(briefing, seed_page, django_user_model):
    edition = editions.assemble_now(briefing)
    reporter = django_user_model.objects.create_user("reporter", "reporter@example.org", "a-long-password-1")
    reporters = Group.objects.create(name="Reporters without newsletters")
    reporters.permissions.add(Permission.objects.get(codename="access_admin"))
    reporter.groups.add(reporters)
    browser = Client()
    browser.force_login(reporter)
    for path in (
        f"/admin/newsletters/editions/{edition.pk}/preview/html/",
        f"/admin/newsletters/editions/{edition.pk}/send/",
    ):
        assert browser.get(path).status_code in (302, 403), path
    assert browser.post(f"/admin/newsletters/editions/{edition.pk}/send/", {"action": "send"}).status_code in (302, 403)
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT

    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(django_user_model.objects.create_superuser("desk", "desk@example.org", "a-long-password-1"))
    assert csrf.post(f"/admin/newsletters/editions/{edition.pk}/send/", {"action": "send"}).status_code == 403
    edition.refresh_from_db()
    assert edition.status == Edition.Status.DRAFT


# `dateline send-newsletter`


def test_send_newsletter_names_an_unknown_or_inactive_list_and_fails(briefing):
    with pytest.raises(CommandError, match="no newsletter list 'nope' \\(lists: daily-briefing\\)"):
        call_command("send_newsletter", "nope")
    briefing.active = False
    briefing.save()
    with pytest.raises(CommandError, match="not active"):
        call_command("send_newsletter", "daily-briefing")
    assert not Edition.objects.exists()


def test_send_newsletter_queues_the_waiting_edition_once(smtp, task_queue, seed_page):
    from io import StringIO

    briefing = NewsletterList.objects.create(slug="daily-briefing", name="The Daily Briefing", kind=Kind.BRIEFING)
    subscriber("reader@example.org", briefing)
    out = StringIO()
    call_command("send_newsletter", "daily-briefing", stdout=out)
    assert "to 1 subscribers" in out.getvalue()
    work()
    assert [m["To"] for m in smtp.messages()] == ["reader@example.org"]
    assert Edition.objects.get().status == Edition.Status.SENT


def test_an_editor_changes_a_waiting_edition_but_not_one_that_went_out(editor, briefing, seed_page):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    edition = editions.assemble_now(briefing)
    [row] = list(edition.stories.all())  # the seed is the only story
    url = f"/admin/snippets/newsletters/edition/edit/{edition.pk}/"
    assert editor.get(url).status_code == 200

    def form(subject: str) -> dict:
        return nested_form_data(
            {
                "newsletter": briefing.pk,
                "subject": subject,
                "intro": "A note from the desk.",
                "send_at": "",
                "stories": inline_formset([{"id": row.pk, "story": seed_page.pk, "ORDER": 1}]),
            }
        )

    assert editor.post(url, form("Our picks this morning")).status_code == 302
    edition.refresh_from_db()
    assert edition.subject == "Our picks this morning"
    assert "A note from the desk." in editor.get(f"/admin/newsletters/editions/{edition.pk}/preview/text/").text

    Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.SENT)
    refused = editor.post(url, form("Changed after it went out"))
    assert refused.status_code == 200 and "This edition is sent: it can no longer be changed." in refused.text
    edition.refresh_from_db()
    assert edition.subject == "Our picks this morning"
