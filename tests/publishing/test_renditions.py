"""A story's pictures are resized when it is published, not by the first reader of each page that
shows them (issue 17: no per-request work that a publish could do once)."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile

from dateline.news.models import ArticlePage, NewsImage, NewsRendition
from dateline.newsletters.editions import THUMBNAIL

pytestmark = pytest.mark.django_db


def _image(name: str) -> NewsImage:
    from dateline.demo.images import landscape

    image = NewsImage(title=name.title(), caption=f"The {name} at dawn.", credit="Dateline Photo/Test")
    image.file = ImageFile(ContentFile(landscape(name), name=f"{name}.jpg"), name=f"{name}.jpg")
    image.save()
    return image


def _story(world, lead: NewsImage | None, inline: NewsImage | None, slug: str) -> ArticlePage:
    body = [{"type": "paragraph", "value": "<p>The first sailing left at six.</p>"}]
    if inline is not None:
        body.append({"type": "photo", "value": {"image": inline.pk, "caption": "", "credit": "", "source_url": ""}})
    story = ArticlePage(
        title="Ferry service resumes after the storm", slug=slug, lead_image=lead, body=json.dumps(body)
    )
    world.add_child(instance=story)
    return story


def _publish(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    story.refresh_from_db()


def test_every_picture_a_reader_is_sent_was_made_when_the_story_was_published(
    world, client, settings, django_capture_on_commit_callbacks
):
    settings.DATELINE_PAGE_CACHE = False  # every request below renders
    lead, inline = _image("harbour"), _image("ferry")
    story = _story(world, lead, inline, "ferry-service-resumes")
    assert NewsRendition.objects.count() == 0

    _publish(story, django_capture_on_commit_callbacks)
    made = NewsRendition.objects.count()
    # lead: 3 front sizes, 2 thumbnails, 3 photo widths, each in WebP and JPEG; the feed's and the newsletter's
    assert lead.renditions.count() == 18
    assert inline.renditions.count() == 7  # a photo in the body: 3 widths, WebP and JPEG; the feeds' picture

    pages = {}
    for url in (story.url, "/", world.url, "/search/?q=ferry", "/feeds/rss/", f"/feeds/section/{world.slug}/rss/"):
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    late = NewsRendition.objects.order_by("pk")[made:]
    assert not late, f"a reader's request resized a picture: {[(r.image.title, r.filter_spec) for r in late]}"
    # ...and the pages do show those pictures
    assert lead.renditions.get(filter_spec="format-webp|width-800").url in pages[story.url]
    assert inline.renditions.get(filter_spec="format-jpeg|width-1200").url in pages[story.url]
    assert lead.renditions.get(filter_spec="format-webp|fill-640x360").url in pages["/"]
    assert lead.renditions.get(filter_spec="format-jpeg|fill-240x160").url in pages["/search/?q=ferry"]
    assert lead.renditions.get(filter_spec="max-1200x900").url in pages["/feeds/rss/"]
    assert lead.renditions.filter(filter_spec=THUMBNAIL).exists()


def test_a_new_revision_makes_only_the_pictures_it_adds(world, django_capture_on_commit_callbacks):
    lead = _image("harbour")
    story = _story(world, lead, None, "ferry-service-resumes")
    _publish(story, django_capture_on_commit_callbacks)
    assert NewsRendition.objects.count() == 18

    draft = story.get_latest_revision_as_object()
    draft.title = "Ferry service resumes after the storm, with two extra sailings"
    _publish(draft, django_capture_on_commit_callbacks)
    assert NewsRendition.objects.count() == 18

    inline = _image("ferry")
    draft = story.get_latest_revision_as_object()
    draft.body = json.dumps(
        [{"type": "photo", "value": {"image": inline.pk, "caption": "", "credit": "", "source_url": ""}}]
    )
    _publish(draft, django_capture_on_commit_callbacks)
    assert inline.renditions.count() == 7 and NewsRendition.objects.count() == 25


def test_a_picture_that_cannot_be_read_does_not_stop_the_publish(world, django_capture_on_commit_callbacks, caplog):
    lead = _image("harbour")
    lead.file.storage.delete(lead.file.name)  # the file is gone from storage
    story = _story(world, lead, None, "ferry-service-resumes")
    _publish(story, django_capture_on_commit_callbacks)
    assert story.live
    assert "could not resize picture" in caplog.text
