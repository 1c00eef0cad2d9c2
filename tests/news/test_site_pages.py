"""Home, section and error pages."""

from datetime import UTC

import pytest
from bs4 import BeautifulSoup

from dateline.news.formatting import format_timestamp

pytestmark = pytest.mark.django_db


def test_home_page_leads_with_the_newest_story(client, seed_page):
    response = client.get("/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    lead = soup.select_one(".lead-story .teaser__headline a")
    assert lead.get_text() == seed_page.title
    assert lead["href"] == seed_page.url
    assert [a.get_text() for a in soup.select(".section-nav a")] == ["World"]


def test_section_page_lists_its_stories(client, seed_page):
    response = client.get("/world/")
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text() == "World"
    assert [a["href"] for a in soup.select(".story-list a")] == [seed_page.url]
    assert soup.select_one('.section-nav a[aria-current="page"]').get_text() == "World"


def test_section_page_out_of_range_is_404(client, seed_page):
    assert client.get("/world/?page=9").status_code == 404


def test_404_in_the_site_style(client, world):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text() == "Page not found"
    assert soup.select_one(".site-header") is not None


def test_500_page_renders_without_context():
    from django.test import RequestFactory

    from dateline.news.views import server_error

    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@pytest.mark.parametrize(
    "iso, zone, expected",
    [
        ("2012-12-02T15:12:00+00:00", "America/New_York", "Sun Dec 2, 2012 10:12am EST"),
        ("2012-07-02T15:12:00+00:00", "America/New_York", "Mon Jul 2, 2012 11:12am EDT"),
        ("2012-07-02T00:05:00+00:00", "Europe/London", "Mon Jul 2, 2012 1:05am BST"),
        ("2012-12-31T12:00:00+00:00", "UTC", "Mon Dec 31, 2012 12:00pm UTC"),
    ],
)
def test_time_stamp_format(iso, zone, expected):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    assert format_timestamp(datetime.fromisoformat(iso), ZoneInfo(zone)) == expected


def test_updated_time_is_shown(client, seed_page):
    from datetime import datetime

    seed_page.updated_at = datetime(2012, 12, 2, 18, 30, tzinfo=UTC)
    seed_page.save_revision().publish()
    soup = BeautifulSoup(client.get(seed_page.url).content, "html.parser")
    assert "Updated Sun Dec 2, 2012 1:30pm EST" in " ".join(soup.select_one(".story__time").get_text().split())


def test_the_footer_says_in_words_which_clock_the_times_follow(client, world, settings):
    from dateline.news.templatetags.news_tags import zone_note

    settings.TIME_ZONE = "America/New_York"
    footer = BeautifulSoup(client.get("/").content, "html.parser").footer.get_text(" ")
    assert "All times are New York time (EST/EDT)." in footer
    assert "America/New York" not in footer
    assert zone_note("Europe/London") == "All times are London time (GMT/BST)."
    assert zone_note("Asia/Kolkata") == "All times are Kolkata time (IST)."
    assert zone_note("Europe/Istanbul") == "All times are Istanbul time (UTC+03)."
    assert zone_note("UTC") == "All times are UTC."


def test_the_site_has_icons_and_favicon_ico_is_not_a_404(client, world):
    from io import BytesIO

    from PIL import Image

    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/vnd.microsoft.icon"
    assert Image.open(BytesIO(icon.content)).format == "ICO"
    head = BeautifulSoup(client.get("/").content, "html.parser").head
    assert head.select_one('link[rel="icon"][href="/favicon.ico"]')
    for selector in ('link[rel="icon"][type="image/svg+xml"]', 'link[rel="apple-touch-icon"]'):
        assert client.get(head.select_one(selector)["href"]).status_code == 200, selector
