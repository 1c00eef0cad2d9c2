"""Editors in Wagtail's admin: create, preview, schedule and publish an article with a page
break and a photo."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from dateline.news.models import ArticlePage, NewsImage

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-1")
    client.force_login(user)
    return user


@pytest.fixture
def picture(db):
    from dateline.demo.images import landscape

    image = NewsImage(title="Harbour", caption="Boats in the harbour at dawn.", credit="Dateline Photo/Test")
    image.file = ImageFile(ContentFile(landscape("harbour"), name="harbour.jpg"), name="harbour.jpg")
    image.save()
    return image


def article_form(world, picture, **extra):
    data = {
        "title": "Council opens new library",
        "slug": "council-opens-new-library",
        "summary": "The library has 40,000 books.",
        "dateline": "PORT ADLEY",
        "byline_text": "By Staff",
        "article_authors": inline_formset([]),
        "corrections": inline_formset([]),
        "topic_choices": inline_formset([]),
        "body": streamfield(
            [
                ("paragraph", rich_text("<p>First page text.</p>")),
                ("page_break", ""),
                ("paragraph", rich_text("<p>Second page text.</p>")),
                ("photo", {"image": picture.pk, "caption": "", "credit": ""}),
            ]
        ),
        "tags": "libraries, port adley",
        "lead_caption": "",
        "lead_credit": "",
    }
    data.update(extra)
    return nested_form_data(data)


def add_url(world):
    return f"/admin/pages/add/news/articlepage/{world.pk}/"


def test_editor_publishes_an_article_with_a_page_break_and_a_photo(client, editor, world, picture):
    response = client.post(add_url(world), {**article_form(world, picture), "action-publish": "action-publish"})
    assert response.status_code == 302, BeautifulSoup(response.content, "html.parser").select(".error-message")
    page = ArticlePage.objects.get(slug="council-opens-new-library")
    assert page.live and page.published_at is not None

    first = BeautifulSoup(client.get(page.url).content, "html.parser")
    assert first.select_one("#story").get_text(" ", strip=True) == "PORT ADLEY - First page text."
    assert first.find("a", string="Continued...")["href"] == page.url + "page/2/"
    second = BeautifulSoup(client.get(page.url + "page/2/").content, "html.parser")
    assert "Second page text." in second.select_one("#story").get_text()
    figure = second.select_one("#story figure.photo")
    assert figure.select_one("img") is not None
    assert figure.select_one(".photo__caption").get_text() == "Boats in the harbour at dawn."
    assert figure.select_one(".photo__credit").get_text() == "Dateline Photo/Test"


def test_editor_saves_a_draft_that_readers_cannot_see(client, editor, world, picture):
    response = client.post(add_url(world), article_form(world, picture))
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug="council-opens-new-library")
    assert not page.live
    client.logout()
    assert client.get("/world/council-opens-new-library/").status_code == 404


def test_editor_previews_before_publishing(client, editor, world, picture):
    preview_url = add_url(world) + "preview/"
    response = client.post(preview_url, article_form(world, picture))
    assert response.status_code == 200 and response.json()["is_valid"]
    preview = client.get(preview_url)
    assert preview.status_code == 200
    soup = BeautifulSoup(preview.content, "html.parser")
    assert soup.select_one("h1.story__headline").get_text() == "Council opens new library"
    assert not ArticlePage.objects.filter(slug="council-opens-new-library").exists()


def test_editor_schedules_an_article(client, editor, world, picture):
    go_live = timezone.localtime() + timedelta(hours=2)
    form = article_form(world, picture, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
    response = client.post(add_url(world), {**form, "action-publish": "action-publish"})
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug="council-opens-new-library")
    assert not page.live
    client.logout()
    assert client.get(page.url or "/world/council-opens-new-library/").status_code == 404

    # Two hours later, the scheduler publishes it.
    revision = page.revisions.order_by("-created_at").first()
    assert revision.approved_go_live_at is not None
    past = timezone.now() - timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live
    assert client.get("/world/council-opens-new-library/").status_code == 200


def test_revisions_are_kept(client, editor, world, picture):
    client.post(add_url(world), {**article_form(world, picture), "action-publish": "action-publish"})
    page = ArticlePage.objects.get(slug="council-opens-new-library")
    edit = article_form(world, picture, title="Council opens new central library")
    response = client.post(f"/admin/pages/{page.pk}/edit/", {**edit, "action-publish": "action-publish"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "Council opens new central library"
    assert page.revisions.count() == 2


def _png(width, height):
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("1", (width, height)).save(buffer, "PNG", optimize=True)  # tiny file, huge picture
    return buffer.getvalue()


def test_uploads_are_capped_in_pixels_and_type(client, editor, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 1_000_000
    bomb = SimpleUploadedFile("bomb.png", _png(4000, 4000), content_type="image/png")
    response = client.post("/admin/images/add/", {"title": "Bomb", "file": bomb, "caption": "", "credit": ""})
    assert response.status_code == 200 and NewsImage.objects.count() == 0
    errors = " ".join(e.text for e in BeautifulSoup(response.content, "html.parser").select(".error-message"))
    assert "too many pixels" in errors, errors  # the editor is told why
    text = SimpleUploadedFile("notes.txt", b"not a picture", content_type="text/plain")
    response = client.post("/admin/images/add/", {"title": "Notes", "file": text, "caption": "", "credit": ""})
    assert response.status_code == 200 and NewsImage.objects.count() == 0
    errors = " ".join(e.text for e in BeautifulSoup(response.content, "html.parser").select(".error-message"))
    assert "Upload a valid image" in errors or "txt" in errors, errors  # refused, saying why
    fine = SimpleUploadedFile("fine.png", _png(400, 300), content_type="image/png")
    response = client.post(
        "/admin/images/add/", {"title": "Fine", "file": fine, "caption": "A field.", "credit": "Staff"}
    )
    assert response.status_code == 302 and NewsImage.objects.get().caption == "A field."
