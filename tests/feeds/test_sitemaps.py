"""Sitemaps, checked against the sitemap protocol's schemas and Google News' rules, and robots.txt."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from lxml import etree

from dateline.feeds import sitemaps
from dateline.news.generation import bump_generation
from tests.feeds.conftest import HIDDEN

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "news": "http://www.google.com/schemas/sitemap-news/0.9"}


def valid(client, url, schema):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    xsd = etree.XMLSchema(etree.parse(str(SCHEMAS / schema)))
    assert xsd.validate(document), (url, xsd.error_log)
    return document


def locs(document):
    return [loc.text for loc in document.findall(".//s:loc", NS)]


def path_of(url):
    return url.removeprefix("http://127.0.0.1:8000")


def test_the_index_names_every_sitemap_and_each_validates(client, site):
    index = valid(client, "/sitemap.xml", "siteindex.xsd")
    names = [path_of(loc) for loc in locs(index)]
    month = f"{timezone.localtime():%Y-%m}"
    assert names[:3] == ["/sitemap-pages.xml", "/sitemap-authors.xml", f"/sitemap-articles-{month}.xml"]
    assert names[-1] == "/sitemap-news.xml"
    for name in names:
        valid(client, name, "sitemap.xsd")


def test_article_sitemaps_list_live_stories_with_lastmod(client, site):
    documents = [
        valid(client, path_of(loc), "sitemap.xsd")
        for loc in locs(valid(client, "/sitemap.xml", "siteindex.xsd"))
        if "articles" in loc
    ]
    urls = [url for document in documents for url in document.findall("s:url", NS)]
    listed = {path_of(url.find("s:loc", NS).text) for url in urls}
    assert listed == {site.nato.url, site.staff.url, site.markets.url}
    assert all(url.find("s:lastmod", NS) is not None for url in urls)


def test_pages_and_authors_sitemaps(client, site):
    pages = {path_of(loc) for loc in locs(valid(client, "/sitemap-pages.xml", "sitemap.xsd"))}
    assert pages == {"/", "/world/", "/business/"}
    authors = [path_of(loc) for loc in locs(valid(client, "/sitemap-authors.xml", "sitemap.xsd"))]
    assert authors == ["/authors/adrian-croft/"]
    assert client.get(authors[0]).status_code == 200


def test_month_sitemaps_are_paged(client, site, monkeypatch):
    monkeypatch.setattr(sitemaps, "SITEMAP_LIMIT", 2)
    monkeypatch.setattr(sitemaps.SiteUrlSitemap, "limit", 2)
    bump_generation()
    names = [path_of(loc) for loc in locs(valid(client, "/sitemap.xml", "siteindex.xsd")) if "articles" in loc]
    counts = [len(locs(valid(client, name, "sitemap.xsd"))) for name in names]
    assert sum(counts) == 3 and max(counts) <= 2 and any("?p=2" in name for name in names)
    assert client.get(names[0].split("?")[0] + "?p=9").status_code == 404


def test_the_index_follows_publishing(client, site):
    before = client.get("/sitemap.xml")
    site.markets.unpublish()
    after = client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert client.get("/sitemap.xml", HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304


@override_settings(DATELINE_NEWS_NAME="The Dateline Times", DATELINE_NEWS_LANGUAGE="en")
def test_the_news_sitemap_follows_googles_rules(client, site):
    document = valid(client, "/sitemap-news.xml", "sitemap.xsd")
    entries = document.findall("s:url", NS)
    assert [path_of(e.find("s:loc", NS).text) for e in entries] == [
        site.nato.url,
        site.staff.url,
    ]  # not the 3-day-old one
    now = timezone.now()
    for entry in entries:
        news = entry.find("news:news", NS)
        assert news.find("news:publication/news:name", NS).text == "The Dateline Times"
        assert news.find("news:publication/news:language", NS).text == "en"
        published = datetime.fromisoformat(news.find("news:publication_date", NS).text)
        assert now - timedelta(hours=48) <= published <= now
        assert news.find("news:title", NS).text
    assert len(entries) <= 1000


def test_the_news_sitemap_stops_at_its_limit(client, site, monkeypatch):
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 1)
    entries = valid(client, "/sitemap-news.xml", "sitemap.xsd").findall("s:url", NS)
    assert [path_of(e.find("s:loc", NS).text) for e in entries] == [site.nato.url]  # the newest


def test_hidden_stories_are_in_no_sitemap(client, site):
    for name in ["/sitemap-news.xml", f"/sitemap-articles-{timezone.localtime():%Y-%m}.xml"]:
        body = client.get(name).content.decode()
        for slug in ("embargoed-budget-leaks", "withdrawn-report-on-talks", "draft-on-the-harbour"):
            assert slug not in body
    assert all(headline not in client.get("/sitemap-news.xml").content.decode() for headline in HIDDEN)


def test_unknown_sitemaps_are_404(client, site):
    assert client.get("/sitemap-articles-2026-13.xml").status_code == 404
    assert client.get("/sitemap-articles-1999-01.xml?p=x").status_code == 404


def test_robots_txt_names_the_index(client, site):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines and "Disallow: /*/email/" in lines
