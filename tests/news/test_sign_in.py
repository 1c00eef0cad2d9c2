"""Editors' sign-in is throttled per account and per client address (django-axes)."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture
def editors(django_user_model):
    for name in ("ana", "ben"):
        django_user_model.objects.create_user(name, f"{name}@example.org", "a-long-password-1", is_superuser=True)


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_an_account_is_locked_from_the_address_that_failed_five_times_with_a_clear_message(client, editors):
    for _ in range(4):
        assert sign_in(client, "ana", "wrong", address="10.0.0.1").status_code == 200
    assert sign_in(client, "ana", "wrong", address="10.0.0.1").status_code == 429  # the fifth failure locks
    locked = sign_in(client, "ana", "a-long-password-1", address="10.0.0.1")  # even with the right password
    assert locked.status_code == 429
    soup = BeautifulSoup(locked.content, "html.parser")
    assert soup.h1.text == "Too many sign-in attempts"
    assert soup.find("a", string="choose a new password by e-mail")["href"] == "/admin/password_reset/"
    assert sign_in(client, "ben", "a-long-password-1", address="10.0.0.1").status_code == 302  # others are fine


def test_failures_from_rotating_addresses_never_lock_the_editor_out(client, editors):
    for n in range(12):
        sign_in(client, "ana", "guess", address=f"198.51.100.{n}")
    assert sign_in(client, "ana", "a-long-password-1", address="10.0.0.9").status_code == 302


def test_an_address_is_refused_after_its_higher_limit_whatever_the_accounts(client, editors, settings):
    assert settings.DATELINE_LOGIN_ADDRESS_FAILURES > settings.AXES_FAILURE_LIMIT
    settings.DATELINE_LOGIN_ADDRESS_FAILURES = 8
    for n in range(8):
        sign_in(client, f"x{n}", "guess", address="10.0.0.7")
    refused = sign_in(client, "ben", "a-long-password-1", address="10.0.0.7")
    assert refused.status_code == 429
    assert BeautifulSoup(refused.content, "html.parser").h1.text == "Too many sign-in attempts"
    assert sign_in(client, "ben", "a-long-password-1", address="10.0.0.8").status_code == 302


def test_ipv6_clients_are_counted_by_their_64_network(client, editors, settings):
    settings.DATELINE_LOGIN_ADDRESS_FAILURES = 6
    for n in range(6):
        sign_in(client, f"x{n}", "guess", address=f"2001:db8:1:2::{n + 1:x}")
    assert sign_in(client, "ben", "a-long-password-1", address="2001:db8:1:2:ffff::1").status_code == 429
    assert sign_in(client, "ben", "a-long-password-1", address="2001:db8:1:3::1").status_code == 302


def test_a_password_reset_unlocks_the_editor(client, editors, outbox):
    import re

    for _ in range(5):
        sign_in(client, "ana", "wrong", address="10.0.0.1")
    assert sign_in(client, "ana", "a-long-password-1", address="10.0.0.1").status_code == 429
    sent = client.post("/admin/password_reset/", {"email": "ana@example.org"}, REMOTE_ADDR="10.0.0.1")
    assert sent.status_code == 302
    (mail,) = sorted(outbox.glob("*.eml"))
    link = re.search(r"/admin/password_reset/confirm/[^\s/]+/[^\s/]+/", mail.read_text()).group(0)
    form = client.get(link, REMOTE_ADDR="10.0.0.1", follow=True)
    chosen = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": "another-long-password-2", "new_password2": "another-long-password-2"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert chosen.status_code == 302
    assert sign_in(client, "ana", "another-long-password-2", address="10.0.0.1").status_code == 302


def test_password_reset_mails_are_limited_per_address_and_per_client(client, editors, outbox, settings):
    assert settings.DATELINE_RESET_LIMIT_ADDRESS == 3
    answers = [
        client.post("/admin/password_reset/", {"email": "ana@example.org"}, REMOTE_ADDR=f"10.1.0.{n}").status_code
        for n in range(5)
    ]
    assert answers == [302, 302, 302, 429, 429]
    assert len(list(outbox.glob("*.eml"))) == 3
    settings.DATELINE_RESET_LIMIT_CLIENT = 4
    answers = [
        client.post("/admin/password_reset/", {"email": f"n{n}@example.org"}, REMOTE_ADDR="10.2.0.1").status_code
        for n in range(5)
    ]
    assert answers == [302, 302, 302, 302, 429]
    refused = client.post("/admin/password_reset/", {"email": "z@example.org"}, REMOTE_ADDR="10.2.0.1")
    assert int(refused["Retry-After"]) > 0
    assert "Too many requests" in refused.content.decode()


def test_a_success_resets_the_count(client, editors):
    for _ in range(4):
        sign_in(client, "ana", "wrong")
    assert sign_in(client, "ana", "a-long-password-1").status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "ana", "wrong")
    assert sign_in(client, "ana", "a-long-password-1").status_code == 302
