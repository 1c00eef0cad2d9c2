"""A story's size is capped, whoever writes it: an agency file or an editor."""

import json

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from dateline.news.models import ArticlePage
from tests.wire.test_ingest import run

pytestmark = pytest.mark.django_db


def ninjs(guid, paragraphs):
    return json.dumps(
        {
            "uri": guid,
            "type": "text",
            "headline": "A story far too long",
            "versioncreated": "2026-11-29T09:00:00Z",
            "body_html": "".join(f"<p>{text}</p>" for text in paragraphs),
        }
    )


def test_an_agency_item_with_a_huge_paragraph_is_refused_saying_why_and_the_batch_goes_on(tmp_path, world):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "huge.json").write_text(ninjs("urn:t:huge", ["words " * 3_300_000]))  # one 19 MB paragraph
    (folder / "fine.json").write_text(ninjs("urn:t:fine", ["A normal paragraph."]))
    out, err, error = run(str(folder))
    assert error is not None  # a non-zero exit
    assert "huge.json" in err and "paragraph 1 is 19,336 KB; a paragraph may be at most 20 KB" in err
    assert not ArticlePage.objects.filter(source_guid="urn:t:huge").exists()
    assert ArticlePage.objects.filter(source_guid="urn:t:fine").exists()


def test_a_story_over_the_total_cap_is_refused(tmp_path, world, settings):
    settings.DATELINE_STORY_MAX_KB = 50
    (tmp_path / "long.json").write_text(ninjs("urn:t:long", ["x" * 10_000] * 6))
    _, err, error = run(str(tmp_path / "long.json"))
    assert error is not None and "the story's text is 59 KB; a story may be at most 50 KB" in err
    assert not ArticlePage.objects.filter(source_guid="urn:t:long").exists()


def test_the_editor_refuses_a_huge_paragraph_on_the_field(client, world, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("chief", "c@example.org", "a-long-password-1"))
    page = ArticlePage(title="Long", slug="long", live=False)
    world.add_child(instance=page)
    page.save_revision()
    data = nested_form_data(
        {
            "title": "Long",
            "slug": "long",
            "article_authors": inline_formset([]),
            "corrections": inline_formset([]),
            "topic_choices": inline_formset([]),
            "body": streamfield([("paragraph", rich_text("<p>" + "y" * 30_000 + "</p>"))]),
        }
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 200  # the form again, with the reason on the field
    assert "Paragraph 1 is 29 KB; a paragraph may be at most 20 KB" in response.content.decode()
