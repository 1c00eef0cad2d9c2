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


def test_an_account_is_locked_after_five_failures_with_a_clear_message(client, editors):
    for _ in range(4):
        assert sign_in(client, "ana", "wrong", address="10.0.0.1").status_code == 200
    assert sign_in(client, "ana", "wrong", address="10.0.0.1").status_code == 429  # the fifth failure locks
    locked = sign_in(client, "ana", "a-long-password-1", address="10.0.0.9")  # even right, even elsewhere
    assert locked.status_code == 429
    assert BeautifulSoup(locked.content, "html.parser").h1.text == "Too many sign-in attempts"
    assert sign_in(client, "ben", "a-long-password-1", address="10.0.0.9").status_code == 302  # others are fine


def test_an_address_is_locked_after_five_failures_whatever_the_account(client, editors):
    for name in ("x1", "x2", "x3", "x4", "x5"):
        sign_in(client, name, "guess", address="10.0.0.7")
    assert sign_in(client, "ben", "a-long-password-1", address="10.0.0.7").status_code == 429
    assert sign_in(client, "ben", "a-long-password-1", address="10.0.0.8").status_code == 302


def test_a_success_resets_the_count(client, editors):
    for _ in range(4):
        sign_in(client, "ana", "wrong")
    assert sign_in(client, "ana", "a-long-password-1").status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "ana", "wrong")
    assert sign_in(client, "ana", "a-long-password-1").status_code == 302
