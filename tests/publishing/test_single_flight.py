"""After a purge: one render per page at a time, a stale copy for at most two seconds, none of a killed story;
and the pages of a list after the first, cached and purged like the first."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from dateline.news.models import ArticlePage
from dateline.publishing import pagecache
from dateline.publishing.pagecache import page_cache, page_key, purge, stale_key, take_render_lock

from .conftest import Reader
from .test_pagecache import publish_edit

WAIT = 10  # seconds: the bound on any condition a test waits for


@pytest.fixture
def short_lists(monkeypatch):
    """Lists of one story a page, so the small site's sections have a page 2."""
    from dateline.news import pages

    monkeypatch.setattr(pages.paginate, "__defaults__", (1,))


def test_pages_of_a_list_after_the_first_are_cached_and_purged_with_it(
    reader, site, short_lists, django_capture_on_commit_callbacks
):
    second = f"{site.world.url}?page=2"
    first = reader.get(second)
    assert (first.status, first.cache) == (200, "miss")
    again = reader.get(second)
    assert again.cache == "hit" and again.body == first.body
    # Cached here only: a CDN's purge names the list's address, never each of its pages.
    assert again.headers["cache-control"] == "no-cache" and again.headers["etag"]
    publish_edit(site.staff, django_capture_on_commit_callbacks, title="Ferries run again after the storm")
    again = reader.get(second)
    assert again.cache == "miss"  # purged with /world/, though the purge named only /world/
    assert reader.get(second).cache == "hit"


def test_a_story_far_down_a_list_is_purged_from_the_page_it_is_on(
    reader, site, short_lists, django_capture_on_commit_callbacks
):
    """Editing an old story purges its section's later pages too, though the first page does not show it."""
    from dateline.news.pages import LIST_PAGE_SIZE, section_articles
    from dateline.wire.importer import import_story
    from tests.feeds.conftest import story

    for n in range(LIST_PAGE_SIZE + 1):  # newer stories push the old ones past a first page of any size
        import_story(story(f"urn:test:newer-{n}", f"Newer story {n}", 0), section="world")
    oldest = section_articles(site.world).last()
    last_page = f"{site.world.url}?page={section_articles(site.world).count()}"
    assert oldest.title in reader.get(last_page).text
    assert reader.get(last_page).cache == "hit"
    publish_edit(oldest, django_capture_on_commit_callbacks, title="An old story, corrected")
    answer = reader.get(last_page)
    assert answer.cache == "miss" and "An old story, corrected" in answer.text


def test_other_query_strings_and_pages_past_the_end_are_never_cached(reader, site, short_lists):
    for path in (
        f"{site.world.url}?page=02",
        f"{site.world.url}?page=2&x=1",
        f"{site.world.url}?page=9",  # past the end: a 404
        f"{site.nato.url}?page=2",  # a story reads no ?page=: not a list, not a second copy of it
    ):
        reader.get(path)
        assert reader.get(path).cache != "hit", path


def test_readers_get_the_replaced_copy_while_another_process_renders(reader, site, django_capture_on_commit_callbacks):
    old = reader.get(site.nato.url)
    publish_edit(site.nato, django_capture_on_commit_callbacks, title="A headline changed by an editor")
    cache = page_cache()
    assert take_render_lock(cache, page_key(site.nato.url), WAIT)  # another process is rendering it
    stale = reader.get(site.nato.url)
    assert (stale.cache, stale.body) == ("stale", old.body)
    pagecache.release_render_lock(cache, page_key(site.nato.url))
    fresh = reader.get(site.nato.url)
    assert fresh.cache == "miss" and "A headline changed by an editor" in fresh.text


def test_a_stale_copy_older_than_the_limit_is_never_given(site, settings):
    settings.DATELINE_RENDER_WAIT_SECONDS = 1  # the renderer below never finishes: wait 1 s for it
    reader = Reader()
    old = reader.get(site.nato.url)
    purge([site.nato.url])
    cache = page_cache()
    key = page_key(site.nato.url)
    purged_at, entry = cache.get(stale_key(key))
    cache.set(stale_key(key), (purged_at - 2.5, entry))  # purged 2.5 s ago: past DATELINE_STALE_SECONDS
    assert take_render_lock(cache, key, WAIT)
    answer = reader.get(site.nato.url)  # waits for the render, which never comes, then renders itself
    assert (answer.status, answer.cache) == (200, "miss") and answer.body == old.body


def test_a_killed_story_leaves_no_stale_copy(site, settings, django_capture_on_commit_callbacks):
    settings.DATELINE_RENDER_WAIT_SECONDS = 1
    reader = Reader()
    paths = [site.nato.url, site.world.url, "/"]
    for path in paths:
        assert reader.get(path).status == 200
    cache = page_cache()
    for path in paths:  # other processes are rendering them when the kill lands
        assert take_render_lock(cache, page_key(path), WAIT)
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=site.nato.pk).unpublish()
    assert cache.get(stale_key(page_key(site.nato.url))) is None
    assert reader.get(site.nato.url).status == 404
    for path in paths[1:]:
        answer = reader.get(path)
        assert answer.cache != "stale" and "NATO set to approve Patriots" not in answer.text, path


def test_two_readers_of_a_missing_page_make_one_render(site, monkeypatch):
    """The second reader waits for the first one's render (no stale copy exists yet) instead of rendering too."""
    reader = Reader()
    renders, rendering, second_waiting = [], threading.Event(), threading.Event()
    real_serve, real_lock = ArticlePage.serve, pagecache.take_render_lock

    def counted_serve(self, request, *args, **kwargs):
        renders.append(self.pk)
        rendering.set()
        assert second_waiting.wait(WAIT), "the second reader never reached the render lock"
        return real_serve(self, request, *args, **kwargs)

    def watched_lock(cache, key, seconds):
        taken = real_lock(cache, key, seconds)
        if not taken:
            second_waiting.set()
        return taken

    monkeypatch.setattr(ArticlePage, "serve", counted_serve)
    monkeypatch.setattr(pagecache, "take_render_lock", watched_lock)
    second: dict = {}

    def second_reader():
        assert rendering.wait(WAIT)
        second["answer"] = reader.get(site.nato.url)  # answered from the cache: no database in this thread

    thread = threading.Thread(target=second_reader)
    thread.start()
    first = reader.get(site.nato.url)
    thread.join(WAIT)
    assert not thread.is_alive()
    assert (first.cache, second["answer"].cache) == ("miss", "hit")
    assert second["answer"].body == first.body and renders == [site.nato.pk]


CHILD = """
import sys
from django.conf import settings
settings.configure()
from django.core.cache.backends.filebased import FileBasedCache
from dateline.publishing.pagecache import take_render_lock, release_render_lock
cache = FileBasedCache(sys.argv[1], {})
print("taken" if take_render_lock(cache, "page:x", 30) else "refused", flush=True)
sys.stdin.readline()
release_render_lock(cache, "page:x")
"""


def test_the_render_lock_holds_across_processes(tmp_path):
    """With the file cache, two server processes: the second is refused until the first lets go."""

    def process():
        return subprocess.Popen(
            [sys.executable, "-c", CHILD, str(tmp_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    first, second = process(), None
    try:
        assert first.stdout.readline().strip() == "taken"
        second = process()
        assert second.stdout.readline().strip() == "refused"
        second.communicate("\n", timeout=WAIT)
        first.communicate("\n", timeout=WAIT)
        third = process()
        assert third.stdout.readline().strip() == "taken"
        third.communicate("\n", timeout=WAIT)
    finally:
        for child in (first, second):
            if child is not None and child.poll() is None:
                child.kill()


def test_a_dead_renderers_lock_is_taken_over(tmp_path):
    from django.core.cache.backends.filebased import FileBasedCache

    cache = FileBasedCache(str(tmp_path), {})
    assert take_render_lock(cache, "page:y", 30)
    assert not take_render_lock(cache, "page:y", 30)
    lock = next(tmp_path.glob("*.lock"))
    old = time.time() - 60
    import os

    os.utime(lock, (old, old))  # its renderer died a minute ago
    assert take_render_lock(cache, "page:y", 30)


def test_the_replaced_copy_is_read_from_the_shared_cache_once_and_never_given_after_a_kill(
    reader, site, settings, django_capture_on_commit_callbacks
):
    """While another process renders a purged page, a process gives its readers the replaced copy from
    its own memory after the first read; a kill moves the purge generation, and the copy is gone."""
    settings.DATELINE_RENDER_WAIT_SECONDS = 1
    old = reader.get(site.nato.url)
    publish_edit(site.nato, django_capture_on_commit_callbacks, title="A headline changed by an editor")
    cache = page_cache()
    key = page_key(site.nato.url)
    assert take_render_lock(cache, key, WAIT)  # another process is rendering it
    assert (reader.get(site.nato.url).cache, reader.get(site.nato.url).body) == ("stale", old.body)
    cache.delete(stale_key(key))  # what the shared cache holds no longer matters to this process
    again = reader.get(site.nato.url)
    assert (again.cache, again.body) == ("stale", old.body)

    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=site.nato.pk).unpublish()  # a kill, while the render is still under way
    after = reader.get(site.nato.url)
    assert after.cache != "stale" and after.status == 404
    pagecache.release_render_lock(cache, key)
