"""Addresses an attacker makes up: answered 400, 404 or a redirect, never a 500 and never stored."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query, message",
    [
        ("since=9999-12-31T23:59:59-14:00", "out of range"),
        ("since=0001-01-01T00:00:00%2B14:00", "out of range"),
        ("page=" + "9" * 30, "is not a page number"),
        ("page=" + "9" * 5000, "is not a page number"),
        ("page=%C2%B2", "is not a page number"),  # "²", a digit to str.isdigit
        ("page=0002", "without leading zeros"),
        ("page=-1", "is not a page number"),
    ],
)
def test_out_of_range_api_parameters_are_a_400_saying_what(client, site, query, message):
    response = client.get(f"/api/ninjs/items/?{query}")
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_an_api_story_id_too_big_for_the_database_is_a_404(client, site):
    response = client.get("/api/ninjs/items/urn:dateline:story:999999999999999999999999")
    assert response.status_code == 404 and "no published story" in response.json()["error"]
    assert client.get("/api/ninjs/items/" + "x" * 5000).status_code == 404


def test_a_feed_with_any_query_is_redirected_to_its_one_address_and_nothing_is_kept(client, site):
    for n in range(5):
        response = client.get(f"/feeds/rss/?x={n}")
        assert response.status_code == 301 and response["Location"] == "/feeds/rss/"
    assert client.get("/feeds/section/world/atom/?utm_source=mail")["Location"] == "/feeds/section/world/atom/"
    assert client.get("/sitemap.xml?x=1")["Location"] == "/sitemap.xml"
    assert client.get("/feeds/rss/").status_code == 200


def test_only_months_the_archive_has_get_a_sitemap(client, site):
    from django.utils import timezone

    this_month = timezone.localtime(site.nato.published_at).strftime("%Y-%m")
    assert client.get(f"/sitemap-articles-{this_month}.xml").status_code == 200
    for month in ("0001-01", "9998-12", "9999-12", "2001-13", "2001-00"):
        assert client.get(f"/sitemap-articles-{month}.xml").status_code == 404, month
    for query in ("p=1", "p=01", "p=%C2%B2", "p=" + "9" * 50, "x=1"):
        assert client.get(f"/sitemap-articles-{this_month}.xml?{query}").status_code == 404, query


def test_keyed_api_answers_are_never_stored(client, site, settings):
    from dateline.feeds.models import ApiKey

    settings.DATELINE_API_KEY_REQUIRED = True
    key = ApiKey.objects.create(name="Partner")
    response = client.get("/api/ninjs/items/", HTTP_X_API_KEY=key.key)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_the_api_limits_each_client_with_retry_after(client, site, settings):
    settings.DATELINE_API_RATE_LIMIT = 3
    answers = [client.get("/api/ninjs/items/", REMOTE_ADDR="203.0.113.1").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get("/api/ninjs/items/", REMOTE_ADDR="203.0.113.1")
    assert 0 < int(refused["Retry-After"]) <= 60 and "too many requests" in refused.json()["error"]
    assert client.get("/api/ninjs/items/", REMOTE_ADDR="203.0.113.2").status_code == 200


@pytest.mark.parametrize(
    "method, path, data",
    [
        ("get", "/api/ninjs/items/urn%00x", None),
        ("get", "/api/ninjs/items/?section=wor%00ld", None),
        ("get", "/feeds/rss/?x=%00", None),
        ("get", "/world/?page=1%00", None),
    ],
)
def test_a_nul_character_anywhere_is_a_400_on_every_database(client, site, method, path, data):
    response = getattr(client, method)(path, data) if data else getattr(client, method)(path)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_in_a_form_field_is_a_400(client, site):
    fields = {"recipients": "a@example.org", "sender_name": "Ana\x00", "sender_email": "b@example.org"}
    response = client.post(site.nato.url + "email/", fields)
    assert response.status_code == 400 and "NUL character" in response.content.decode()


def test_a_form_body_that_is_not_one_is_a_400(client, site):
    response = client.generic(
        "POST",
        site.nato.url + "email/",
        b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n',  # never closed
        content_type="multipart/form-data; boundary=",
    )
    assert response.status_code == 400


def test_a_nul_in_a_search_shows_the_form_again_with_a_message(client, site):
    response = client.get("/search/?q=nato%00")
    assert response.status_code == 400 and 'id="id_q"' in response.content.decode()
