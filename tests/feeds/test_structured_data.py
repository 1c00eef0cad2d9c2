"""schema.org NewsArticle JSON-LD, Open Graph and Twitter cards on every article."""

import json
from datetime import datetime

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def head(client, url):
    return BeautifulSoup(client.get(url).content, "html.parser")


def json_ld(soup):
    (script,) = soup.select('script[type="application/ld+json"]')
    return json.loads(script.string)


def meta(soup, key):
    tag = soup.find("meta", attrs={"property": key}) or soup.find("meta", attrs={"name": key})
    return tag["content"] if tag else None


def test_news_article_json_ld(client, site):
    data = json_ld(head(client, site.nato.url))
    canonical = "http://127.0.0.1:8000" + site.nato.url
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "NATO set to approve Patriots for Turkey"
    assert datetime.fromisoformat(data["datePublished"]) == site.nato.published_at
    assert datetime.fromisoformat(data["dateModified"]) == site.nato.updated_at
    assert data["author"] == [
        {"@type": "Person", "name": "Adrian Croft", "url": "http://127.0.0.1:8000/authors/adrian-croft/"}
    ]
    publisher = data["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"] == "Dateline"
    assert publisher["logo"]["@type"] == "ImageObject"
    logo = client.get(publisher["logo"]["url"].removeprefix("http://127.0.0.1:8000"))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert data["image"][0]["url"].startswith("http://127.0.0.1:8000/media/images/patriot")
    assert data["dateline"] == "BRUSSELS (Reuters)"
    assert data["articleSection"] == "World"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": canonical}
    assert data["isAccessibleForFree"] is True
    assert data["description"] == "Summary of nato set to approve patriots for turkey."


def test_a_story_without_named_authors_credits_an_organisation(client, site):
    data = json_ld(head(client, site.staff.url))
    assert data["author"] == [{"@type": "Organization", "name": "Staff"}]
    assert "image" not in data and "dateline" not in data


def test_json_ld_cannot_close_its_script(client, site):
    site.staff.title = "Storm </script><script>alert(1)</script> & more"
    site.staff.save_revision().publish()
    html = client.get(site.staff.url).content.decode()
    block = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in block and json.loads(block)["headline"].startswith("Storm </script>")


def test_open_graph_and_twitter_cards(client, site):
    soup = head(client, site.nato.url)
    assert meta(soup, "og:type") == "article"
    assert meta(soup, "og:title") == "NATO set to approve Patriots for Turkey"
    assert meta(soup, "og:url") == "http://127.0.0.1:8000" + site.nato.url
    assert meta(soup, "og:site_name") == "Dateline"
    assert meta(soup, "og:image").startswith("http://127.0.0.1:8000/media/images/patriot")
    assert meta(soup, "og:image:alt") == "A Patriot missile battery on exercise."
    assert meta(soup, "article:section") == "World"
    assert [t["content"] for t in soup.find_all("meta", attrs={"property": "article:tag"})] == ["NATO", "Turkey"]
    assert meta(soup, "twitter:card") == "summary_large_image"
    assert meta(soup, "twitter:image") == meta(soup, "og:image")
    assert soup.find("link", rel="canonical")["href"] == "http://127.0.0.1:8000" + site.nato.url
    assert meta(head(client, site.staff.url), "twitter:card") == "summary"


def test_the_print_view_points_to_the_article(client, site):
    soup = head(client, site.nato.url + "print/")
    assert soup.find("link", rel="canonical")["href"] == "http://127.0.0.1:8000" + site.nato.url
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
