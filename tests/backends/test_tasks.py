"""Index work for an imported story: once each, after its transaction, and none for one that failed."""

from __future__ import annotations

import pytest
from django_tasks import task

from dateline.backends.tasks import held_tasks

RAN: list[str] = []


@task()
def remember(name: str) -> None:
    RAN.append(name)


@pytest.fixture(autouse=True)
def fresh():
    RAN.clear()


def test_outside_a_block_a_task_runs_at_once():
    remember.enqueue("now")
    assert RAN == ["now"]


def test_tasks_held_in_a_block_run_once_each_when_it_ends():
    with held_tasks():
        remember.enqueue("page 7")
        remember.enqueue("page 7")  # the second save of the same page
        remember.enqueue("revision 12")
        assert RAN == []
    assert RAN == ["page 7", "revision 12"]


def test_tasks_of_a_block_that_fails_are_dropped():
    with pytest.raises(RuntimeError), held_tasks():
        remember.enqueue("page 8")
        raise RuntimeError("the story's transaction rolled back")
    assert RAN == []
    remember.enqueue("later")
    assert RAN == ["later"]  # holding ended with the block


def test_an_inner_block_leaves_its_tasks_to_the_outer_one():
    with held_tasks():
        with held_tasks():
            remember.enqueue("inner")
        assert RAN == []
    assert RAN == ["inner"]


@pytest.mark.django_db
def test_an_ingested_story_is_in_the_search_index_and_the_reference_index(tmp_path, world):
    from wagtail.models import ReferenceIndex
    from wagtail.search.backends import get_search_backend

    from dateline.news.models import ArticlePage
    from dateline.wire.ingest import ingest_file

    item = tmp_path / "story.txt"
    item.write_text(
        "Harbour council backs new ferry pier\n\nSun Nov 29, 2026 9:05am EST\n\n"
        "PORT ADLEY (Dateline) - The harbour council voted for a new pier.\n",
        encoding="utf-8",
    )
    report = ingest_file(item)
    assert not report.errors, report.errors
    page = ArticlePage.objects.get(title="Harbour council backs new ferry pier")
    found = get_search_backend().search("ferry pier", ArticlePage)
    assert page.pk in [hit.pk for hit in found]
    assert page.agency is not None
    assert ReferenceIndex.get_references_to(page.agency).filter(object_id=str(page.pk)).exists()
