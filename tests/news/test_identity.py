"""The site's identity from the admin: name, logo, accent colour, footer text, note on times; on every
page at once (the cached ones purged), in feeds and meta; a colour too light to read refused."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile

from dateline.news.identity import DEFAULT_ACCENT, SiteIdentity
from tests.publishing.conftest import Reader

pytestmark = pytest.mark.django_db

SETTINGS = "/admin/settings/news/siteidentity/"


@pytest.fixture
def edit(client, editor) -> str:
    """The settings form's address (Wagtail makes the one row on the first visit and sends the editor on)."""
    response = client.get(SETTINGS)
    assert response.status_code == 302
    return response["Location"]


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    client.force_login(user)
    return user


def form(**fields):
    data = {"name": "", "logo": "", "accent": DEFAULT_ACCENT, "footer_text": "", "zone_note": ""}
    data.update(fields)
    return data


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content if hasattr(response, "content") else response.body, "html.parser")


def theme(client, page_soup) -> str:
    href = page_soup.select_one('link[href^="/theme.css"]')["href"]
    response = client.get(href)
    assert response["Content-Type"].startswith("text/css")
    return response.content.decode()


def test_without_settings_the_site_uses_its_configured_name_and_colour(client, site):
    soup = soup_of(client.get("/"))
    assert soup.select_one(".site-name").get_text(strip=True) == "Dateline"
    assert "All times are New York time (EST/EDT)." in soup.select_one(".site-footer").get_text()
    assert f"--band: {DEFAULT_ACCENT};" in theme(client, soup)


def test_an_editor_renames_the_site_and_every_page_feed_and_meta_says_so_at_once(
    client, site, edit, django_capture_on_commit_callbacks
):
    reader = Reader()
    for _ in range(2):
        cached = reader.get(site.nato.url)
    assert cached.cache == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit,
            form(
                name="The Ostrel Courier",
                accent="#5a1a2b",
                footer_text="Published by Courier & Sons <Ltd>\nPort Adley",
                zone_note="All times are US Eastern (EST/EDT).",
            ),
        )
    assert response.status_code == 302, soup_of(response).select(".error-message")
    client.logout()
    answer = reader.get(site.nato.url)
    assert answer.cache == "miss"  # purged: the old name is on no page a reader gets
    soup = soup_of(answer)
    assert soup.select_one(".site-name").get_text(strip=True) == "The Ostrel Courier"
    assert soup.title.get_text().endswith("| The Ostrel Courier")
    assert soup.select_one('meta[property="og:site_name"]')["content"] == "The Ostrel Courier"
    footer = soup.select_one(".site-footer")
    assert "All times are US Eastern (EST/EDT)." in footer.get_text()
    assert "Published by Courier & Sons <Ltd>" in footer.get_text()  # escaped once: read as typed
    assert footer.select_one(".site-footer__text br") is not None
    assert "--band: #5a1a2b;" in theme(client, soup)
    assert "The Ostrel Courier" in client.get("/feeds/rss/").content.decode()


def test_an_accent_too_light_for_white_text_is_refused_saying_why_and_keeping_the_form(client, site, edit):
    response = client.post(edit, form(name="Kept as typed", accent="#f0c000"))
    assert response.status_code == 200
    soup = soup_of(response)
    assert "contrast of 1.7 to 1" in soup.get_text() and "at least 4.5" in soup.get_text()
    assert soup.select_one('input[name="name"]')["value"] == "Kept as typed"
    assert not SiteIdentity.objects.filter(name="Kept as typed").exists()
    response = client.post(edit, form(accent="navy"))
    assert "is not a colour written as # and six hex digits" in soup_of(response).get_text()


def test_a_logo_replaces_the_name_in_the_header_and_keeps_it_for_screen_readers(client, site, edit):
    from dateline.demo.images import picture
    from dateline.news.models import NewsImage

    logo = NewsImage(title="Courier logo")
    logo.file = ImageFile(ContentFile(picture("harbour"), name="logo.jpg"), name="logo.jpg")
    logo.save()
    assert client.post(edit, form(name="The Ostrel Courier", logo=logo.pk)).status_code == 302
    client.logout()
    img = soup_of(client.get("/")).select_one(".site-name img")
    assert img["alt"] == "The Ostrel Courier"
    assert int(img["width"]) > 0 and int(img["height"]) == 48
    assert client.get(img["src"]).status_code == 200


def test_a_rename_rewrites_the_static_copy_of_every_page_and_feed_and_a_polling_reader_gets_it(
    client, site, edit, tmp_path, django_capture_on_commit_callbacks
):
    """With publish-static on, nginx serves the files: they must not go on saying the old name."""
    from django.core.management import call_command

    out = tmp_path / "public"
    call_command("publish_static", str(out), verbosity=0)
    files = [out / "index.html", out / site.nato.url.strip("/") / "index.html", out / "feeds" / "rss" / "index.xml"]
    for path in files:
        assert "Dateline" in path.read_text(), path
    etag = client.get("/feeds/rss/")["ETag"]  # a feed reader polling with it was told "unchanged" (304)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit, form(name="The Ostrel Courier")).status_code == 302
    polled = client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=etag)
    assert polled.status_code == 200 and "The Ostrel Courier" in polled.content.decode()
    for path in files:
        text = path.read_text()
        assert "The Ostrel Courier" in text, path
    home = soup_of(type("R", (), {"content": files[0].read_bytes()})())
    assert home.select_one(".site-name").get_text(strip=True) == "The Ostrel Courier"
