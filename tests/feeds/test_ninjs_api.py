"""The ninjs content API: documents valid against IPTC's ninjs 2.1 schema, paging, keys, errors, round trip."""

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django.utils.html import strip_tags
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from dateline.feeds import api
from dateline.feeds.models import ApiKey
from dateline.feeds.ninjs import story_document
from dateline.news.models import ArticlePage
from dateline.wire.parsers import ninjs as ninjs_parser
from tests.conftest import iptc_path
from tests.feeds.conftest import HIDDEN

pytestmark = pytest.mark.django_db

GEOJSON = Path(__file__).parent / "schemas" / "geojson.schema.json"


@pytest.fixture(scope="module")
def validator():
    """The official ninjs 2.1 schema, its remote GeoJSON reference served from a local file: nothing is fetched."""
    schema = json.loads(iptc_path("ninjs/schema/ninjs-schema_2.1.json").read_text())
    geojson = Resource.from_contents(json.loads(GEOJSON.read_text()))
    registry = Registry().with_resource("https://geojson.org/schema/GeoJSON.json", geojson)

    def refuse(uri):
        raise AssertionError(f"the schema tried to fetch {uri}")

    registry = Registry(retrieve=refuse).with_resources(registry.items())
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid(validator, document):
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def get(client, url, **headers):
    response = client.get(url, **headers)
    assert response["Content-Type"] == "application/json", response.content[:200]
    return response, json.loads(response.content)


def test_the_list_is_newest_first_and_every_item_is_valid_ninjs(client, site, validator):
    response, body = get(client, "/api/ninjs/items/")
    assert response.status_code == 200
    assert body["standard"] == {"name": "ninjs", "version": "2.1"}
    assert [item["headlines"][0]["value"] for item in body["items"]] == [
        "NATO set to approve Patriots for Turkey",
        "Ferry services resume after storm",
        "Markets close higher on trade hopes",
    ]
    for item in body["items"]:
        assert item["standard"]["version"] == "2.1"
        assert_valid(validator, item)
    assert all(h not in response.content.decode() for h in HIDDEN)


def test_one_item_by_its_agency_guid_or_its_own_urn(client, site, validator):
    _, nato = get(client, "/api/ninjs/items/" + site.nato.source_guid)
    assert nato["uri"] == "urn:newsml:example.com:20121202:nato-patriot"
    assert nato["by"] == "By Adrian Croft" and nato["located"] == "BRUSSELS" and nato["copyrightholder"] == "Reuters"
    assert nato["version"] == "2"
    assert nato["associations"][0]["descriptions"][0]["value"] == "A Patriot missile battery on exercise."
    assert nato["associations"][0]["by"] == "REUTERS/Test Photographer"
    assert nato["renditions"] == [
        {"name": "web", "href": "http://127.0.0.1:8000" + site.nato.url, "contenttype": "text/html"}
    ]
    assert_valid(validator, nato)
    _, slashed = get(client, "/api/ninjs/items/" + quote(site.staff.source_guid))
    assert slashed["uri"] == "tag:example.com,2026:staff-1"

    own = ArticlePage(title="Written in the newsroom", slug="written-in-the-newsroom", summary="By our staff.")
    site.world.add_child(instance=own)
    own.save_revision().publish()
    _, document = get(client, f"/api/ninjs/items/urn:dateline:story:{own.pk}")
    assert document["uri"] == f"urn:dateline:story:{own.pk}"
    assert_valid(validator, document)


def test_paging_with_next_links(client, site, monkeypatch):
    monkeypatch.setattr(api, "PAGE_SIZE", 2)
    _, first = get(client, "/api/ninjs/items/?section=world")
    assert (first["page"], first["pages"], first["count"], first["previous"]) == (1, 1, 2, None)
    _, first = get(client, "/api/ninjs/items/")
    assert first["next"] == "http://127.0.0.1:8000/api/ninjs/items/?page=2" and first["pages"] == 2
    _, second = get(client, first["next"].removeprefix("http://127.0.0.1:8000"))
    assert [i["headlines"][0]["value"] for i in second["items"]] == ["Markets close higher on trade hopes"]
    assert second["next"] is None and second["previous"] == "http://127.0.0.1:8000/api/ninjs/items/?page=1"


def test_since_and_section_filters(client, site):
    since = timezone.now().isoformat()  # after the site was built
    site.markets.save_revision().publish()  # republished since
    _, recent = get(client, "/api/ninjs/items/?since=" + quote(since))
    assert [i["uri"] for i in recent["items"]] == ["urn:test:markets"]
    _, business = get(client, "/api/ninjs/items/?section=business")
    assert [i["uri"] for i in business["items"]] == ["urn:test:markets"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("since=yesterday", "since='yesterday' is not an ISO 8601 date and time"),
        ("since=2026-11-27T09:00:00", "has no time zone"),
        ("section=sport", "section='sport' is not a section (sections: world, business)"),
        ("page=0", "page='0' is not a page number"),
        ("page=two", "page='two' is not a page number"),
        ("limit=5", "unknown parameter(s): limit"),
    ],
)
def test_bad_parameters_are_400_with_a_json_reason(client, site, query, message):
    response, body = get(client, "/api/ninjs/items/?" + query)
    assert response.status_code == 400 and message in body["error"]


def test_unknown_stories_and_pages_are_404(client, site):
    for url in (
        "/api/ninjs/items/urn:nothing:here",
        "/api/ninjs/items/urn:dateline:story:999999",
        "/api/ninjs/items/urn:test:embargo",
        "/api/ninjs/items/urn:test:withdrawn",
        "/api/ninjs/items/?page=7",
    ):
        response, body = get(client, url)
        assert response.status_code == 404 and body["error"], url


def test_conditional_get_on_the_list(client, site):
    first = client.get("/api/ninjs/items/")
    assert client.get("/api/ninjs/items/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/api/ninjs/items/?page=1", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


@override_settings(DATELINE_API_KEY_REQUIRED=True)
def test_a_key_from_the_admin_is_required_when_the_setting_says_so(client, site):
    response, body = get(client, "/api/ninjs/items/")
    assert response.status_code == 401 and "API key is required" in body["error"]
    response, body = get(client, "/api/ninjs/items/", HTTP_X_API_KEY="not-a-key")
    assert response.status_code == 401 and body["error"] == "the API key is not valid"
    key = ApiKey.objects.create(name="Partner paper")
    assert len(key.key) >= 40
    assert get(client, "/api/ninjs/items/", HTTP_X_API_KEY=key.key)[0].status_code == 200
    assert get(client, "/api/ninjs/items/", HTTP_AUTHORIZATION=f"Bearer {key.key}")[0].status_code == 200
    assert ApiKey.objects.get(pk=key.pk).last_used_at is not None
    ApiKey.objects.filter(pk=key.pk).update(active=False)  # revoked in the admin
    assert get(client, "/api/ninjs/items/", HTTP_X_API_KEY=key.key)[0].status_code == 401


def test_only_get_is_allowed(client, site):
    assert client.post("/api/ninjs/items/").status_code == 405


def test_every_demo_story_validates(client, validator):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    stories = ArticlePage.objects.live()
    assert stories.count() >= 13
    for page in stories:
        assert_valid(validator, story_document(page))


def test_round_trip_through_the_ninjs_parser(client, site):
    """What the API exports, Dateline's own ninjs parser reads back the same."""
    for page in (site.nato, site.staff, site.markets):
        page = ArticlePage.objects.get(pk=page.pk)
        _, document = get(client, "/api/ninjs/items/" + quote(page.source_guid))
        story = ninjs_parser.parse_document(document)
        assert story.headline == page.title
        assert story.byline == page.byline
        assert story.dateline == page.dateline and story.agency == (page.agency.name if page.agency else "")
        assert story.published == page.published_at
        assert story.updated == page.updated_at
        paragraphs = [strip_tags(block.value.source) for block in page.body if block.block_type == "paragraph"]
        assert [strip_tags(p) for p in story.paragraphs] == paragraphs
        assert [p.caption for p in story.photos] == ([page.lead_caption] if page.lead_caption else [])
        assert [p.credit for p in story.photos] == ([page.lead_credit] if page.lead_credit else [])
        assert isinstance(story.published, datetime)
