"""A story put live in one write (news/creation.py) is the same to everyone as one Wagtail publishes
with add_child, save_revision and publish: readers, editors, the history, the tree, the indexes."""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.models import Page, PageLogEntry, ReferenceIndex
from wagtail.rich_text import RichText
from wagtail.search.backends import get_search_backend

from dateline.backends.tasks import held_tasks
from dateline.news import creation
from dateline.news.models import ArticleAuthor, ArticlePage, Author

pytestmark = pytest.mark.django_db


def story(slug: str, author: Author) -> ArticlePage:
    page = ArticlePage(
        title=f"Ferry pier vote {slug}",
        slug=slug,
        summary="The harbour council backed a new pier.",
        dateline="PORT ADLEY",
        body=[("paragraph", RichText("<p>The harbour council voted for a new ferry pier on Tuesday.</p>"))],
    )
    page.article_authors = [ArticleAuthor(author=author, sort_order=0)]
    page.tags.set(["harbour", "ferries"])
    return page


@pytest.fixture
def pair(world):
    """The same story twice: once the way Wagtail publishes, once the way the importer does."""
    author = Author.objects.create(name="Ines Okafor")
    with held_tasks():
        theirs = story("wagtail-way", author)
        world.add_child(instance=theirs)
        theirs.save_revision(log_action=True).publish()
    ours = story("one-write", author)
    creation.add_live(world, ours)  # the section as read before (its numchild is out of date): as the importer does
    return ArticlePage.objects.get(pk=theirs.pk), ArticlePage.objects.get(pk=ours.pk), author


def test_the_page_is_live_with_its_revision_as_latest_and_live(pair):
    theirs, ours, _ = pair
    for page in (theirs, ours):
        assert page.live and not page.has_unpublished_changes and not page.expired
        assert page.live_revision_id == page.latest_revision_id is not None
        assert page.first_published_at and page.last_published_at and page.published_at
        assert page.draft_title == page.title
    assert ours.depth == theirs.depth and ours.locale_id == theirs.locale_id
    assert ours.section_page_id == theirs.section_page_id
    assert ours.url_path == theirs.url_path.replace("wagtail-way", "one-write")


def test_the_revision_restores_the_same_story(pair):
    theirs, ours, _ = pair
    a, b = theirs.live_revision.as_object(), ours.live_revision.as_object()
    assert b.pk == ours.pk and b.title == ours.title
    assert b.body.raw_data[0]["value"] == a.body.raw_data[0]["value"]
    assert [link.author.name for link in b.article_authors.all()] == ["Ines Okafor"]
    assert sorted(tag.name for tag in b.tags.all()) == sorted(tag.name for tag in a.tags.all())
    assert ours.live_revision.content["article_authors"][0]["page"] == ours.pk  # child rows with their ids
    assert ours.live_revision.content["article_authors"][0]["pk"] is not None


def test_the_history_says_created_edited_published(pair):
    theirs, ours, _ = pair

    def actions(page):
        return sorted(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))

    assert actions(ours) == actions(theirs) == ["wagtail.create", "wagtail.edit", "wagtail.publish"]
    published = PageLogEntry.objects.get(page=ours, action="wagtail.publish")
    assert published.revision_id == ours.live_revision_id and published.label == ours.title


def test_the_tree_stays_sound(pair, world):
    theirs, ours, _ = pair
    assert all(not problems for problems in Page.find_problems())
    section = Page.objects.get(pk=world.pk)
    assert section.numchild == 2
    assert list(section.get_children().values_list("pk", flat=True)) == [theirs.pk, ours.pk]
    assert ours.get_parent().pk == world.pk


def test_a_reader_sees_it_and_search_and_the_reference_index_find_it(pair, client: Client):
    theirs, ours, author = pair
    answer = client.get(ours.url)
    assert answer.status_code == 200 and b"Ferry pier vote one-write" in answer.content
    assert b"Ines Okafor" in answer.content
    found = {hit.pk for hit in get_search_backend().search("Okafor", ArticlePage)}
    assert {theirs.pk, ours.pk} <= found
    uses = ReferenceIndex.get_references_to(author).values_list("object_id", flat=True)
    assert {str(theirs.pk), str(ours.pk)} <= set(uses)


def test_stories_in_a_row_take_the_next_places_in_the_section(world):
    author = Author.objects.create(name="Ines Okafor")
    pages = []
    for n in range(3):
        page = story(f"story-{n}", author)
        creation.add_live(world, page)
        pages.append(page)
    paths = [ArticlePage.objects.get(pk=page.pk).path for page in pages]
    assert paths == sorted(paths) and len(set(paths)) == 3
    assert Page.objects.get(pk=world.pk).numchild == 3
    assert all(not problems for problems in Page.find_problems())


def test_free_slugs_are_the_ones_wagtail_would_give(world):
    """The slug, then slug-1, slug-2...: past the few asked at once too, and never the same twice in one list."""
    from wagtail.coreutils import find_available_slug

    author = Author.objects.create(name="Ines Okafor")
    for n in range(5):
        page = story(find_available_slug(world, "pier-vote"), author)
        page.title = "Pier vote"
        world.add_child(instance=page)
    assert creation.free_slugs(world, ["pier-vote", "pier-vote", "ferry-strike"]) == [
        "pier-vote-5",
        "pier-vote-6",
        "ferry-strike",
    ]
    assert creation.free_slugs(world, ["pier-vote"]) == [find_available_slug(world, "pier-vote")]
