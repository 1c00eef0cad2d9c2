"""Subscribing as a reader does it: the form, the confirmation e-mail through a real SMTP server, the
link in it, the preferences page, one-click unsubscribe (RFC 8058); an editor's export and delete."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from dateline.newsletters.models import NewsletterList, Subscriber, Subscription, Suppression, address_hash
from dateline.newsletters.tokens import unsubscribe_token

pytestmark = pytest.mark.django_db

CHECK_INBOX = "/newsletters/check-your-inbox/"


@pytest.fixture
def lists(db):
    Kind = NewsletterList.Kind
    return {
        "briefing": NewsletterList.objects.create(slug="daily-briefing", name="The Daily Briefing", kind=Kind.BRIEFING),
        "world": NewsletterList.objects.create(slug="section-world", name="World", kind=Kind.SECTION, sort_order=1),
        "breaking": NewsletterList.objects.create(
            slug="breaking-news", name="Breaking news", kind=Kind.BREAKING, sort_order=2
        ),
        "retired": NewsletterList.objects.create(slug="old", name="Retired list", kind=Kind.BRIEFING, active=False),
    }


def reader() -> Client:
    """A browser: it keeps cookies and is held to CSRF like any other."""
    return Client(enforce_csrf_checks=True)


def sign_up(browser: Client, address: str, *chosen: NewsletterList, website: str = ""):
    page = browser.get("/newsletters/")
    token = BeautifulSoup(page.content, "html.parser").select_one("input[name=csrfmiddlewaretoken]")["value"]
    data = {"csrfmiddlewaretoken": token, "email": address, "lists": [n.pk for n in chosen], "website": website}
    return browser.post("/newsletters/", data)


def link_in(message, prefix: str) -> str:
    """The path of the one link under ``prefix`` in a message: the same in its text and HTML parts."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    in_text = set(re.findall(r"https?://\S+", text))
    in_html = {a["href"] for a in BeautifulSoup(html, "html.parser").select("a[href]")}
    found = {urlsplit(url).path for url in in_text | in_html if urlsplit(url).path.startswith(prefix)}
    assert len(found) == 1, (prefix, in_text, in_html)
    return found.pop()


def test_a_reader_signs_up_confirms_by_the_emailed_link_and_only_then_is_subscribed(smtp, lists, settings):
    browser = reader()
    response = sign_up(browser, "  Reader@Exämple.ORG ", lists["briefing"], lists["world"])
    assert response.status_code == 302 and response["Location"] == CHECK_INBOX
    assert "Check your inbox" in browser.get(CHECK_INBOX).content.decode()

    subscriber = Subscriber.objects.get()
    assert subscriber.email == "reader@xn--exmple-cua.org"  # one spelling: lower case, IDNA domain
    assert not subscriber.confirmed and not Subscription.objects.exists()  # nothing before the link

    [message] = smtp.messages()
    assert message["To"] == "reader@xn--exmple-cua.org"
    assert "Confirm" in message["Subject"]
    assert message.get_body(("plain",)) is not None and message.get_body(("html",)) is not None
    text = message.get_body(("plain",)).get_content()
    assert "The Daily Briefing" in text and "World" in text
    confirm = link_in(message, "/newsletters/confirm/")

    page = browser.get(confirm)  # opening the link (as a mail scanner may) does not confirm
    assert page.status_code == 200 and not Subscription.objects.exists()
    soup = BeautifulSoup(page.content, "html.parser")
    assert [li.get_text() for li in soup.select(".newsletters li")] == ["The Daily Briefing", "World"]
    token = soup.select_one("input[name=csrfmiddlewaretoken]")["value"]
    done = browser.post(confirm, {"csrfmiddlewaretoken": token})
    assert done.status_code == 200 and "You are signed up" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed
    assert set(subscriber.lists.values_list("slug", flat=True)) == {"daily-briefing", "section-world"}

    manage = BeautifulSoup(done.content, "html.parser").select_one('a[href*="/newsletters/manage/"]')["href"]
    assert browser.get(urlsplit(manage).path).status_code == 200


def test_the_answer_never_tells_whether_an_address_is_known(smtp, lists):
    Subscriber.objects.create(email="known@example.org").subscriptions.create(newsletter=lists["world"])
    Suppression.record("bounced@example.org", Suppression.Reason.BOUNCED)
    answers = []
    for address in ("new@example.org", "known@example.org", "bounced@example.org"):
        response = sign_up(reader(), address, lists["world"])
        answers.append((response.status_code, response["Location"]))
    assert answers == [(302, CHECK_INBOX)] * 3
    assert sorted(m["To"] for m in smtp.messages()) == ["known@example.org", "new@example.org"]  # a bounce: never


def test_the_footer_form_without_a_token_sends_nothing_and_keeps_what_was_typed(smtp, lists):
    browser = reader()
    response = browser.post("/newsletters/", {"email": "reader@example.org"})  # as from any cached page
    assert response.status_code == 200 and not smtp.messages() and not Subscriber.objects.exists()
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("input[name=email]")["value"] == "reader@example.org"
    assert "Nothing has been sent yet" in soup.get_text()
    offered = [label.get_text() for label in soup.select(".newsletter-lists label")]
    assert offered == ["The Daily Briefing", "World", "Breaking news"]  # not the retired list
    token = soup.select_one("input[name=csrfmiddlewaretoken]")["value"]
    again = browser.post(
        "/newsletters/", {"csrfmiddlewaretoken": token, "email": "reader@example.org", "lists": [lists["world"].pk]}
    )
    assert again.status_code == 302 and len(smtp.messages()) == 1


def test_mistakes_are_named_and_what_was_typed_is_kept(smtp, lists):
    browser = reader()
    response = sign_up(browser, "not an address")
    assert response.status_code == 400
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("input[name=email]")["value"] == "not an address"
    errors = soup.select(".field__errors li")
    assert [e.get_text() for e in errors] == [
        "Enter an e-mail address, such as name@example.com.",
        "Choose at least one newsletter.",
    ]
    assert not smtp.messages()
    robot = sign_up(reader(), "robot@example.org", lists["world"], website="http://spam.example")
    assert robot.status_code == 302 and robot["Location"] == CHECK_INBOX and not smtp.messages()
    retired = sign_up(reader(), "r@example.org", lists["retired"])
    assert retired.status_code == 400 and not smtp.messages()


def test_one_address_is_sent_at_most_three_links_an_hour(smtp, lists):
    for _ in range(5):
        assert sign_up(reader(), "target@example.org", lists["world"])["Location"] == CHECK_INBOX
    assert len(smtp.to("target@example.org")) == 3


def confirmed(address: str, *chosen: NewsletterList) -> Subscriber:
    from django.utils import timezone

    subscriber = Subscriber.objects.create(email=address, confirmed_at=timezone.now())
    for newsletter in chosen:
        subscriber.subscriptions.create(newsletter=newsletter)
    return subscriber


def test_one_click_unsubscribe_needs_no_session_or_token(lists):
    subscriber = confirmed("leaver@example.org", lists["world"], lists["breaking"])
    url = f"/newsletters/unsubscribe/{unsubscribe_token(subscriber, lists['world'].pk)}/"
    shown = reader().get(url)  # a link checker opening it changes nothing
    assert shown.status_code == 200 and subscriber.subscriptions.count() == 2
    mail_program = Client(enforce_csrf_checks=True)  # no cookie, no token: RFC 8058's POST
    response = mail_program.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert list(subscriber.lists.values_list("slug", flat=True)) == ["breaking-news"]  # only that list
    assert Suppression.of("leaver@example.org") is None  # still subscribed to one
    everything = f"/newsletters/unsubscribe/{unsubscribe_token(subscriber)}/"
    assert (
        mail_program.post(
            everything, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )
    assert not subscriber.subscriptions.exists()
    assert Suppression.of("leaver@example.org").reason == Suppression.Reason.UNSUBSCRIBED


def test_a_changed_or_expired_link_says_so_and_changes_nothing(smtp, lists, settings):
    sign_up(reader(), "slow@example.org", lists["world"])
    confirm = link_in(smtp.messages()[0], "/newsletters/confirm/")
    tampered = confirm[:-6] + ("A" if confirm[-6] != "A" else "B") + confirm[-5:]
    for path, why in ((tampered, "not one we sent"), ("/newsletters/confirm/nonsense/", "not one we sent")):
        response = reader().post(path)
        assert response.status_code in (400, 403), path
        if response.status_code == 400:
            assert why in response.content.decode()
        assert reader().get(path).status_code == 400 and why in reader().get(path).content.decode()
    settings.DATELINE_NEWSLETTER_CONFIRM_DAYS = 0  # every link is now too old
    expired = reader().get(confirm)
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    assert not Subscription.objects.exists()
    assert reader().get("/newsletters/manage/x/").status_code == 400
    assert reader().post("/newsletters/unsubscribe/x/").status_code == 400


def test_a_reader_who_unsubscribed_can_sign_up_again(smtp, lists):
    subscriber = confirmed("back@example.org", lists["world"])
    Client().post(f"/newsletters/unsubscribe/{unsubscribe_token(subscriber)}/")
    assert Suppression.of("back@example.org") is not None
    browser = reader()
    sign_up(browser, "back@example.org", lists["breaking"])
    confirm = link_in(smtp.messages()[-1], "/newsletters/confirm/")
    token = BeautifulSoup(browser.get(confirm).content, "html.parser").select_one("input[name=csrfmiddlewaretoken]")[
        "value"
    ]
    browser.post(confirm, {"csrfmiddlewaretoken": token})
    assert list(subscriber.lists.values_list("slug", flat=True)) == ["breaking-news"]
    assert Suppression.of("back@example.org") is None


def test_the_preferences_page_changes_lists_pauses_and_unsubscribes(lists):
    from dateline.newsletters.subscribing import manage_url

    subscriber = confirmed("prefs@example.org", lists["world"])
    path = urlsplit(manage_url(subscriber)).path
    browser = reader()
    soup = BeautifulSoup(browser.get(path).content, "html.parser")
    checked = [box["value"] for box in soup.select("input[name=lists][checked]")]
    assert checked == [str(lists["world"].pk)]
    token = soup.select_one("input[name=csrfmiddlewaretoken]")["value"]
    saved = browser.post(
        path, {"csrfmiddlewaretoken": token, "lists": [lists["briefing"].pk], "paused": "on", "action": "save"}
    )
    assert saved.status_code == 200 and "Your choices are saved." in saved.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.paused and list(subscriber.lists.values_list("slug", flat=True)) == ["daily-briefing"]
    gone = browser.post(path, {"csrfmiddlewaretoken": token, "action": "unsubscribe"})
    assert "You are unsubscribed" in gone.content.decode() and not subscriber.subscriptions.exists()


def test_an_editor_exports_then_deletes_a_subscriber_leaving_only_a_hash(client, django_user_model, lists):
    subscriber = confirmed("gdpr@example.org", lists["world"], lists["breaking"])
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    client.force_login(editor)
    exported = client.get(f"/admin/newsletters/subscribers/{subscriber.pk}/export/")
    assert exported.status_code == 200 and "attachment" in exported["Content-Disposition"]
    data = json.loads(exported.content)
    assert data["email"] == "gdpr@example.org" and [row["list"] for row in data["lists"]] == ["World", "Breaking news"]

    listing = client.get("/admin/snippets/newsletters/subscriber/", {"q": "gdpr"})
    assert listing.status_code == 200 and "gdpr@example.org" in listing.content.decode()
    delete_url = f"/admin/snippets/newsletters/subscriber/delete/{subscriber.pk}/"
    assert client.post(delete_url).status_code == 302
    assert not Subscriber.objects.filter(email="gdpr@example.org").exists()
    assert not Subscription.objects.exists()
    row = Suppression.objects.get()
    assert row.address_hash == address_hash("gdpr@example.org") and row.reason == Suppression.Reason.DELETED
    assert "gdpr" not in json.dumps(list(Suppression.objects.values()), default=str)

    anonymous = Client()
    anonymous.logout()
    assert anonymous.get(f"/admin/newsletters/subscribers/{subscriber.pk}/export/").status_code in (302, 403)


def test_no_newsletter_page_is_kept_in_the_page_cache():
    from dateline.publishing.routes import is_public_path

    for path in ("/newsletters/", CHECK_INBOX, "/newsletters/manage/abc/", "/newsletters/unsubscribe/abc/"):
        assert not is_public_path(path), path


def test_section_topic_and_author_pages_offer_their_own_list_ticked_on_the_sign_up_form(smtp, lists, seed_page):
    from dateline.news.snippets import Author
    from dateline.topics.models import Topic

    Kind = NewsletterList.Kind
    section = seed_page.get_parent().specific
    lists["world"].section = section
    lists["world"].save()
    nato = Topic.objects.create(name="NATO", kind=Topic.Kind.ORGANISATION)
    NewsletterList.objects.create(slug="topic-nato", name="NATO", kind=Kind.TOPIC, topic=nato, sort_order=3)
    author = Author.objects.get(article_links__page=seed_page)

    for path, heading, ticked in (
        (section.url, "World by e-mail", ["World"]),
        (f"/topics/{nato.slug}/", "Follow NATO by e-mail", ["NATO"]),
        (f"/authors/{author.slug}/", "Our daily briefing by e-mail", ["The Daily Briefing"]),
    ):
        page = Client().get(path)
        assert page.status_code == 200, path
        box = BeautifulSoup(page.content, "html.parser").select_one("form.follow-signup")
        assert box.h2.get_text() == heading and box["action"] == "/newsletters/"
        assert box.select_one("input[name=email]")["id"] == box.label["for"]  # labelled
        data = {field["name"]: field.get("value", "") for field in box.select("input[type=hidden]")}
        answer = reader().post(box["action"], {**data, "email": "Follower@Example.org"})
        soup = BeautifulSoup(answer.content, "html.parser")
        assert soup.select_one("input[name=email]")["value"] == "Follower@Example.org"
        checked = [
            soup.select_one(f"label[for={choice['id']}]").get_text()
            for choice in soup.select(".newsletter-lists input:checked")
        ]
        assert checked == ticked, path
    assert not smtp.messages() and not Subscriber.objects.exists()  # nothing before the reader confirms the form

    # A section with no list of its own ticks nothing, and a link can name lists too.
    lists["world"].active = False
    lists["world"].save()
    soup = BeautifulSoup(
        reader().post("/newsletters/", {"section": "world", "email": "a@example.org"}).content, "html.parser"
    )
    assert not soup.select(".newsletter-lists input:checked")
    soup = BeautifulSoup(Client().get("/newsletters/?list=breaking-news&list=nope").content, "html.parser")
    assert [soup.select_one(f"label[for={c['id']}]").get_text() for c in soup.select("input:checked")] == [
        "Breaking news"
    ]
