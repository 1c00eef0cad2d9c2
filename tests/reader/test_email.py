"""Email This Article: a sent message in the outbox, and every rejection keeping the form."""

from email import message_from_bytes, policy

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db

GOOD = {
    "recipients": "ana@example.org, ben@example.net",
    "sender_name": "Chris Reader",
    "sender_email": "chris@example.com",
    "note": "Thought you'd find this interesting.",
    "website": "",
}


def post(client, page, **changes):
    return client.post(page.url + "email/", {**GOOD, **changes})


def messages(outbox):
    return sorted(outbox.glob("*.eml")) if outbox.exists() else []


def form_values(response):
    soup = BeautifulSoup(response.content, "html.parser")
    values = {field["name"]: field.get("value", "") for field in soup.select("form input[name]")}
    values.update({field["name"]: field.get_text() for field in soup.select("form textarea[name]")})
    return soup, values


def test_form_is_reachable_and_protected(client, seed_page):
    response = client.get(seed_page.url + "email/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("input[name=csrfmiddlewaretoken]") is not None
    labels = [label.get_text() for label in soup.select("form .field label")]
    assert labels == ["To", "Your name", "Your e-mail address", "Note (optional)"]


def test_csrf_is_enforced(seed_page, outbox):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(seed_page.url + "email/", GOOD)
    assert response.status_code == 403
    assert messages(outbox) == []


def test_success_writes_a_message_to_the_outbox(client, seed_page, outbox, settings):
    response = post(client, seed_page)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "was sent to 2 recipients" in page.content.decode()

    (path,) = messages(outbox)
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["To"] == "ana@example.org, ben@example.net"
    assert message["Reply-To"] == "chris@example.com"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["Subject"] == "A story from Dateline: NATO aims to repair Russia ties despite Patriot row"
    url = settings.DATELINE_SITE_URL + seed_page.url
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert "NATO aims to repair Russia ties despite Patriot row" in body
        assert "Sun Dec 2, 2012 10:12am EST" in body
        assert url in body
        assert "NATO foreign ministers, meeting" in body  # the summary
    assert "Thought you'd find this interesting." in text
    assert "Thought you&#x27;d find this interesting." in html


def assert_rejected(response, outbox, message, status=400):
    assert response.status_code == status
    assert message in " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())
    assert messages(outbox) == []


def test_bad_address_is_rejected_and_the_form_keeps_what_was_typed(client, seed_page, outbox):
    response = post(client, seed_page, recipients="ana@example.org, not-an-address")
    assert_rejected(response, outbox, "Not a valid e-mail address: not-an-address")
    soup, values = form_values(response)
    assert values["recipients"] == "ana@example.org, not-an-address"
    assert values["sender_name"] == "Chris Reader"
    assert values["sender_email"] == "chris@example.com"
    assert values["note"].strip() == "Thought you'd find this interesting."


def test_six_recipients_are_rejected(client, seed_page, outbox):
    six = ", ".join(f"r{i}@example.org" for i in range(6))
    response = post(client, seed_page, recipients=six)
    assert_rejected(response, outbox, "at most 5 addresses at once; you entered 6")
    assert form_values(response)[1]["recipients"] == six


@pytest.mark.parametrize(
    "field, value",
    [
        ("recipients", "a@b.c\nBcc: x@y.z"),
        ("sender_name", "Chris\nBcc: x@y.z"),
        ("sender_email", "chris@example.com\nBcc: x@y.z"),
    ],
)
def test_header_injection_is_impossible(client, seed_page, outbox, field, value):
    response = post(client, seed_page, **{field: value})
    assert response.status_code == 400
    assert messages(outbox) == []


def test_note_over_500_characters_is_rejected(client, seed_page, outbox):
    response = post(client, seed_page, note="x" * 501)
    assert_rejected(response, outbox, "at most 500 characters")


def test_honeypot_filled_is_rejected(client, seed_page, outbox):
    response = post(client, seed_page, website="http://spam.example")
    assert_rejected(response, outbox, "Your message was not sent")
    assert form_values(response)[1]["recipients"] == GOOD["recipients"]


def test_rate_limit_per_sender(client, seed_page, outbox, settings):
    settings.DATELINE_EMAIL_RATE_LIMIT = 4
    for _ in range(2):
        assert post(client, seed_page).status_code == 302  # 2 recipients each: 4 messages
    response = post(client, seed_page, recipients="ana@example.org")
    assert response.status_code == 429
    assert "at most 4 an hour" in response.content.decode()
    assert form_values(response)[1]["recipients"] == "ana@example.org"
    assert len(messages(outbox)) == 2


def test_rate_limit_per_client_address_whatever_the_sender(client, seed_page, outbox, settings):
    settings.DATELINE_EMAIL_RATE_LIMIT = 3
    for i in range(3):
        assert (
            post(client, seed_page, recipients="ana@example.org", sender_email=f"s{i}@example.com").status_code == 302
        )
    response = post(client, seed_page, recipients="ana@example.org", sender_email="new@example.com")
    assert response.status_code == 429
    assert "from your connection" in response.content.decode()
    # Another reader, on another address, is not blocked.
    other = client.post(
        seed_page.url + "email/",
        {**GOOD, "recipients": "ana@example.org", "sender_email": "o@example.com"},
        REMOTE_ADDR="192.0.2.9",
    )
    assert other.status_code == 302


def test_default_limit_is_ten_an_hour(client, seed_page, outbox, settings):
    assert settings.DATELINE_EMAIL_RATE_LIMIT == 10
    for _ in range(5):
        assert post(client, seed_page).status_code == 302
    assert post(client, seed_page, recipients="ana@example.org").status_code == 429


def test_the_senders_name_is_in_the_body_only_never_a_header(client, seed_page, outbox):
    spam = "Claim your prize at http://prize.example now"
    assert post(client, seed_page, sender_name=spam).status_code == 302
    (path,) = messages(outbox)
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    for name, value in message.items():
        assert "prize" not in str(value), name
    assert spam in message.get_body(("plain",)).get_content()


def test_a_non_ascii_domain_is_sent_in_idna_form(client, seed_page, outbox):
    response = post(client, seed_page, sender_email="bob@exämple.org", recipients="ana@bücher.example")
    assert response.status_code == 302
    (path,) = messages(outbox)
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["Reply-To"] == "bob@xn--exmple-cua.org"
    assert message["To"] == "ana@xn--bcher-kva.example"


def test_a_non_ascii_name_before_the_at_is_refused_with_the_form_kept(client, seed_page, outbox):
    response = post(client, seed_page, recipients="jörg@example.org")
    assert_rejected(response, outbox, "Not a valid e-mail address: jörg@example.org")
    assert form_values(response)[1]["recipients"] == "jörg@example.org"


def test_a_refused_address_does_not_count_against_the_limit(client, seed_page, outbox, settings):
    settings.DATELINE_EMAIL_RATE_LIMIT = 2
    for _ in range(3):
        assert post(client, seed_page, recipients="jörg@example.org").status_code == 400
    assert post(client, seed_page).status_code == 302


def test_sending_a_story_leaves_no_session_cookie_so_the_reader_stays_on_the_page_cache(client, seed_page, outbox):
    response = post(client, seed_page)
    assert response.status_code == 302
    assert "sessionid" not in response.cookies
    thanks = client.get(response["Location"])
    assert "was sent to 2 recipients" in thanks.content.decode()
    assert "sessionid" not in thanks.cookies
    assert "sessionid" not in client.cookies
    assert thanks["Cache-Control"] == "private, no-store"


def test_the_form_is_never_stored_by_a_cache(client, seed_page):
    assert client.get(seed_page.url + "email/")["Cache-Control"] == "private, no-store"


def test_a_mail_server_that_is_down_keeps_the_form_and_does_not_count(client, seed_page, settings):
    import socket

    with socket.socket() as closed:  # a loopback port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.DATELINE_EMAIL_RATE_LIMIT = 2
    for _ in range(3):
        response = post(client, seed_page)
        assert response.status_code == 503 and response["Retry-After"] == "120"
        assert "could not be sent just now" in response.content.decode()
        assert form_values(response)[1]["recipients"] == GOOD["recipients"]
    from dateline.reader.models import SentStoryEmail

    assert not SentStoryEmail.objects.exists()  # none of the failures counted


ARIA_REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "aria-owns", "aria-errormessage")


def referenced_ids_missing(html: bytes) -> list[tuple[str, str]]:
    """(attribute, id) for every id an aria-* attribute names that is not on the page."""
    soup = BeautifulSoup(html, "html.parser")
    ids = {element["id"] for element in soup.find_all(id=True)}
    return [
        (attribute, name)
        for attribute in ARIA_REFERENCES
        for element in soup.find_all(attrs={attribute: True})
        for name in element[attribute].split()
        if name not in ids
    ]


def test_every_id_the_form_points_a_screen_reader_to_is_on_the_page(client, seed_page, outbox):
    """The fields' help texts are read with the fields (aria-describedby): their ids must exist, on the
    empty form and on a form sent back with errors."""
    empty = client.get(seed_page.url + "email/")
    refused = post(client, seed_page, recipients="not-an-address", note="x" * 501)
    for response in (empty, refused):
        soup = BeautifulSoup(response.content, "html.parser")
        assert soup.select("[aria-describedby]"), "the help texts are tied to their fields"
        assert referenced_ids_missing(response.content) == []
