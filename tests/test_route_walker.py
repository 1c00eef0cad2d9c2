"""Every public route, walked with generated parameters: no input gives a 5xx.

Each test is one route; its parameters come from strategies that mix plausible values with what
an attacker sends (numbers of thousands of digits, "²", signs, leading zeros, dates at the ends of
the calendar with extreme offsets, control characters and NUL, long strings). The suite runs it on
SQLite and again on PostgreSQL, which refuses some text SQLite accepts. The test client raises any
exception a view lets out, so a failure shows its traceback.

Bounded for the suite (DATELINE_FUZZ_EXAMPLES, default 200 a route); `make fuzz` runs 5,000.
"""

from __future__ import annotations

import os
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.feeds.conftest import site  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

EXAMPLES = int(os.environ.get("DATELINE_FUZZ_EXAMPLES", "200"))
walk = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

numbers = st.one_of(
    st.integers(min_value=-(10**6), max_value=10**6).map(str),
    st.integers(min_value=0, max_value=40).map(lambda n: "0" * n + "2"),
    st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n),
    st.sampled_from(["", "²", "٣", "1e9", "0x10", "+1", "-0", " 1", "1 ", "NaN", "inf", "1.5"]),
)
moments = st.one_of(
    st.datetimes(timezones=st.none()).map(lambda d: d.isoformat()),
    st.builds(
        lambda day, offset: f"{day.isoformat()}T23:59:59{offset}",
        st.dates(),
        st.sampled_from(["Z", "-14:00", "+14:00", "+23:59", "-23:59", "", "+99:00"]),
    ),
    st.sampled_from(["9999-12-31", "0001-01-01", "0000-00-00", "2026-02-30", "2026-13-01", "yesterday"]),
)
words = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=100, max_size=3000),
    st.sampled_from(
        ["world", "business", "nato", "adrian-croft", "turkey", "weather", '"', "'", "\\", "%", "*", "a\x00b"]
    ),
)
values = st.one_of(numbers, moments, words)


def get(client, path: str, params: dict | None = None, **extra):
    query = ("?" + urlencode(params, doseq=True)) if params else ""
    response = client.get(path + query, **extra)
    assert response.status_code < 500, f"{path}{query[:200]} answered {response.status_code}"
    return response


def segment(text: str) -> str:
    return quote(text.replace("/", "-") or "x", safe="")


@walk
@given(page=numbers, extra=st.dictionaries(words, values, max_size=2))
def test_home_and_section_lists(client, site, page, extra):
    get(client, "/", {"page": page, **extra})
    get(client, site.world.url, {"page": page})


@walk
@given(number=numbers, tail=st.sampled_from(["", "single/", "print/", "email/", "email/sent/"]), sent=numbers)
def test_story_routes(client, site, number, tail, sent):
    get(client, f"{site.nato.url}page/{segment(number)}/")
    get(client, site.nato.url + tail, {"sent": sent} if tail == "email/sent/" else None)


@walk
@given(
    fields=st.fixed_dictionaries(
        {"recipients": words, "sender_name": words, "sender_email": words, "note": words},
        optional={"website": words},
    ),
    addresses=st.lists(st.builds(lambda local, domain: f"{local}@{domain}", words, words), min_size=0, max_size=7),
)
def test_the_email_form_posted(client, site, outbox, fields, addresses):
    if addresses:
        fields = {**fields, "recipients": ", ".join(addresses)}
    response = client.post(site.nato.url + "email/", fields)
    assert response.status_code < 500


@walk
@given(
    fmt=st.sampled_from(["rss", "atom", "json"]),
    kind=st.sampled_from(["section", "author", "tag", "topic"]),
    slug=words,
    query=st.dictionaries(words, values, max_size=2),
)
def test_feeds(client, site, fmt, kind, slug, query):
    get(client, f"/feeds/{fmt}/", query)
    get(client, f"/feeds/{kind}/{segment(slug)}/{fmt}/", query)


@walk
@given(year=numbers, month=numbers, p=numbers, section=st.sampled_from(["pages", "authors"]))
def test_sitemaps(client, site, year, month, p, section):
    get(client, f"/sitemap-articles-{segment(year)}-{segment(month)}.xml", {"p": p})
    get(client, f"/sitemap-{section}.xml", {"p": p})
    get(client, "/sitemap.xml")
    get(client, "/sitemap-news.xml")


@walk
@given(
    params=st.fixed_dictionaries({}, optional={"since": moments, "section": words, "page": numbers, "x": words}),
    uri=st.one_of(words, numbers.map(lambda n: f"urn:dateline:story:{n}")),
)
def test_the_content_api(client, site, params, uri):
    get(client, "/api/ninjs/items/", params)
    get(client, "/api/ninjs/items/" + quote(uri or "x", safe=":"))


@walk
@given(
    params=st.fixed_dictionaries(
        {"q": words},
        optional={
            "section": words,
            "author": words,
            "date_from": moments,
            "date_to": moments,
            "sort": words,
            "page": numbers,
        },
    )
)
def test_search(client, site, params):
    get(client, "/search/", params)


@walk
@given(kind=st.sampled_from(["authors", "tags", "topics"]), slug=words, page=numbers)
def test_author_tag_and_topic_pages(client, site, kind, slug, page):
    get(client, f"/{kind}/{segment(slug)}/", {"page": page})
    get(client, f"/{kind}/adrian-croft/", {"page": page})
    get(client, f"/{kind}/turkey/", {"page": page})


@walk
@given(path=st.lists(words, min_size=1, max_size=4), host=st.sampled_from(["127.0.0.1", "evil.example", "", "[::1"]))
def test_any_path_and_host(client, site, path, host):
    get(client, "/" + "/".join(segment(part) for part in path) + "/", HTTP_HOST=host or "testserver")
