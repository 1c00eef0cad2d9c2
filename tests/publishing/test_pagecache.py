"""The full-page cache: what readers and editors get, and exactly what a publish purges."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from dateline.publishing import refresh
from dateline.publishing.pagecache import page_cache, page_key, purge
from dateline.topics.models import Topic

NEW_HEADLINE = "NATO approves Patriot batteries for the Turkish border"


def publish_edit(page, capture, **changes):
    """What an editor's "Publish" does: a new revision made live, the commit's callbacks run."""
    draft = page.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    revision = draft.save_revision()
    with capture(execute=True):
        revision.publish()
    return type(page).objects.get(pk=page.pk)


def story_urls(page, pages: int = 1) -> list[str]:
    return [page.url, *(f"{page.url}page/{n}/" for n in range(2, pages + 1)), f"{page.url}single/", f"{page.url}print/"]


def test_anonymous_readers_get_the_cached_page_with_cdn_headers(reader, site):
    first = reader.get(site.nato.url)
    again = reader.get(site.nato.url)
    assert (first.status, first.cache, again.cache) == (200, "miss", "hit")
    assert again.body == first.body and "NATO set to approve Patriots for Turkey" in again.text
    control = again.headers["cache-control"]
    assert control.startswith("public") and "s-maxage=300" in control and "stale-while-revalidate=60" in control
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["last-modified"] and again.headers["content-length"] == str(len(again.body))
    # Security headers are kept with the cached page.
    assert "script-src 'self'" in again.headers["content-security-policy"]


def test_conditional_requests_get_304(reader, site):
    first = reader.get(site.nato.url)
    by_etag = reader.get(site.nato.url, if_none_match=first.headers["etag"])
    by_date = reader.get(site.nato.url, if_modified_since=first.headers["last-modified"])
    other = reader.get(site.nato.url, if_none_match='"something-else"')
    assert (by_etag.status, by_etag.body) == (304, b"")
    assert by_date.status == 304 and by_etag.headers["etag"] == first.headers["etag"]
    assert other.status == 200 and other.body == first.body


def test_head_answers_from_the_cache_without_a_body(reader, site):
    reader.get(site.nato.url)
    head = reader.get(site.nato.url, method="HEAD")
    assert (head.status, head.cache, head.body) == (200, "hit", b"")


def test_editors_never_see_a_cached_page_and_never_fill_the_cache(reader, site, client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "a long pass phrase")
    client.force_login(editor)
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    as_editor = reader.get(site.staff.url, cookies=cookie)  # nothing cached yet: must not be stored
    assert as_editor.status == 200 and as_editor.cache is None
    assert as_editor.headers["cache-control"] == "private, no-cache"
    assert reader.get(site.staff.url).cache == "miss"  # the editor's answer was not kept
    assert reader.get(site.staff.url).cache == "hit"
    again = reader.get(site.staff.url, cookies=cookie)  # cached for readers, fresh for the editor
    assert again.cache is None and "userbar" in again.text.lower()
    assert "userbar" not in reader.get(site.staff.url).text.lower()


def test_a_session_cookie_written_with_a_space_is_still_an_editor(reader, site, client, django_user_model):
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "a long pass phrase")
    client.force_login(editor)
    key = client.cookies["sessionid"].value
    for cookie in (f"sessionid ={key}", f"theme=dark;  sessionid = {key}", f"csrftoken=x; sessionid={key}"):
        as_editor = reader.get(site.staff.url, cookies=cookie)
        assert as_editor.cache is None and "userbar" in as_editor.text.lower(), cookie
    anonymous = reader.get(site.staff.url)
    assert anonymous.cache == "miss" and "userbar" not in anonymous.text.lower()
    # A reader's other cookies (the e-mail form's CSRF token) keep them on the cache.
    assert reader.get(site.staff.url, cookies="csrftoken=abc").cache == "hit"


def test_plain_http_is_redirected_to_https_even_when_the_page_is_cached(site, settings):
    from tests.publishing.conftest import Reader

    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    reader = Reader()  # its middleware reads the settings above
    secure = reader.get(site.nato.url, x_forwarded_proto="https")
    assert secure.status == 200 and reader.get(site.nato.url, x_forwarded_proto="https").cache == "hit"
    plain = reader.get(site.nato.url)
    assert plain.status == 301 and plain.headers["location"] == f"https://127.0.0.1:8000{site.nato.url}"
    assert reader.get(site.nato.url, x_forwarded_proto="http").status == 301


def test_query_strings_forms_search_and_posts_are_never_cached(reader, site):
    for path in (
        f"{site.world.url}?page=1",
        f"{site.nato.url}email/",
        "/search/",
        "/search/?q=nato",
        "/api/ninjs/items/",
    ):
        reader.get(path)
        assert reader.get(path).cache is None, path
    assert reader.get(site.nato.url, method="POST").cache is None
    assert reader.get(site.nato.url).cache == "miss"


def test_missing_pages_and_bad_hosts_are_not_cached(reader, site):
    assert reader.get("/world/no-such-story/").status == 404
    assert reader.get("/world/no-such-story/").cache is None
    reader.get(site.nato.url)
    bad = reader.get(site.nato.url, host="evil.example")
    assert bad.status == 400 and bad.cache is None


def test_a_render_that_overlaps_a_purge_is_not_stored(reader, site, monkeypatch):
    from dateline.news.pages import ArticlePage

    real = ArticlePage.serve

    def serve_during_a_publish(self, request, *args, **kwargs):
        response = real(self, request, *args, **kwargs)
        purge([self.url])  # an editor's publish lands while this reader's page renders
        return response

    monkeypatch.setattr(ArticlePage, "serve", serve_during_a_publish)
    assert reader.get(site.nato.url).cache == "miss"
    monkeypatch.setattr(ArticlePage, "serve", real)
    assert reader.get(site.nato.url).cache == "miss"  # the overlapped render was not kept
    assert reader.get(site.nato.url).cache == "hit"


def test_a_copy_read_before_a_purge_is_never_kept_in_memory_after_it(site, monkeypatch):
    """Two threads of one server: A reads the article from the shared cache just before a purge; the
    purge lands and B, asking for another page, moves the process's memory on to the new purge
    generation; then A keeps its copy in that memory. Readers after the purge must not get it."""
    from tests.publishing.conftest import Reader

    warm = Reader()
    warm.get(site.nato.url)
    old = warm.get(site.nato.url)
    assert old.cache == "hit"
    server = Reader()  # a fresh process: nothing in its memory yet, the shared cache has the page
    cache = page_cache()
    real_get = type(cache).get
    done = []

    def get_then_purge(self, key, *args, **kwargs):
        value = real_get(self, key, *args, **kwargs)
        if not done and key == page_key(site.nato.url) and value is not None:
            done.append(True)
            purge([site.nato.url])  # an editor's publish lands now
            server.get(site.world.url)  # thread B: a request after the purge
        return value

    monkeypatch.setattr(type(cache), "get", get_then_purge)
    assert server.get(site.nato.url).cache == "hit"  # thread A: began before the purge
    monkeypatch.setattr(type(cache), "get", real_get)
    assert done
    assert server.get(site.nato.url).cache == "miss"  # rendered again, not A's copy from memory


def test_a_render_stored_just_as_a_purge_runs_is_taken_back(reader, site, monkeypatch):
    """The render checked that no purge had run, then a purge ran whole (generation moved, page
    deleted), then the render stored its copy: the copy is taken back, not served until it expires."""
    cache = page_cache()
    real_set = type(cache).set

    def set_after_a_purge(self, key, value, *args, **kwargs):
        if key == page_key(site.nato.url):
            purge([site.nato.url])  # an editor's publish lands between the check and the store
        return real_set(self, key, value, *args, **kwargs)

    monkeypatch.setattr(type(cache), "set", set_after_a_purge)
    assert reader.get(site.nato.url).cache == "miss"
    monkeypatch.setattr(type(cache), "set", real_set)
    assert reader.get(site.nato.url).cache == "miss"  # the copy rendered before the purge is gone
    assert reader.get(site.nato.url).cache == "hit"


def test_a_reader_during_a_purge_never_keeps_the_old_copy_as_current(site, monkeypatch):
    """While a publish's purge runs, another process's reader sees the purge generation move. If it
    could still find the old copy in the shared cache then, it would keep it in memory under the new
    generation and serve it as a hit until the next purge (bench-speed saw a publish not served for
    60 s). The purge deletes before it moves the generation, so the reader renders the new page."""
    from dateline.publishing import pagecache
    from tests.publishing.conftest import Reader

    other = Reader()  # a second server process
    other.get(site.nato.url)
    assert other.get(site.nato.url).cache == "hit"
    cache = page_cache()
    interleaved = []

    def reader_arrives():
        if not interleaved:
            interleaved.append(other.get(site.nato.url))  # the other server's next reader, mid-purge

    if pagecache._generation_file() is not None:
        real_bump = pagecache._bump_file

        def bump(marker):
            real_bump(marker)
            reader_arrives()

        monkeypatch.setattr(pagecache, "_bump_file", bump)
    else:
        real_incr = type(cache).incr

        def incr(self, key, *args, **kwargs):
            result = real_incr(self, key, *args, **kwargs)
            if key == pagecache.PURGE_GENERATION_KEY:
                reader_arrives()
            return result

        monkeypatch.setattr(type(cache), "incr", incr)
    purge([site.nato.url])
    monkeypatch.undo()
    assert interleaved and interleaved[0].cache != "hit"
    assert other.get(site.nato.url).cache == "hit"  # the copy rendered after the purge


def test_a_copy_read_while_its_page_is_being_rendered_is_not_kept_in_memory(reader, site, settings):
    """A render that overlapped a purge may store its copy and take it back a moment later; a reader
    who finds it in between (the render lock is still held) serves it once but does not keep it."""
    from dateline.publishing.pagecache import take_render_lock
    from tests.publishing.conftest import Reader

    reader.get(site.nato.url)
    settings.DATELINE_RENDER_WAIT_SECONDS = 1  # its second request waits this long for the held lock
    other = Reader()
    cache = page_cache()
    assert take_render_lock(cache, page_key(site.nato.url), 30)
    try:
        assert other.get(site.nato.url).cache == "hit"  # from the shared cache
        cache.delete(page_key(site.nato.url))  # the renderer takes its copy back
        assert other.get(site.nato.url).cache != "hit"  # it was not kept in the other process's memory
    finally:
        from dateline.publishing.pagecache import release_render_lock

        release_render_lock(cache, page_key(site.nato.url))


@pytest.fixture
def pages_of(site, settings):
    """The NATO story runs to two pages; a topic will pick it up once its text names Patriot missiles."""
    settings.DATELINE_PAGE_WORDS = 8
    Topic.objects.create(name="Patriot missiles", kind="subject", aliases="Patriot batteries")
    return site


def listing_urls(site) -> list[str]:
    return [
        "/",
        site.world.url,
        "/authors/adrian-croft/",
        "/tags/nato/",
        "/tags/turkey/",
        "/topics/patriot-missiles/",
        *(
            f"/feeds/{scope}{fmt}/"
            for scope in ("", "section/world/", "author/adrian-croft/", "tag/nato/", "topic/patriot-missiles/")
            for fmt in ("rss", "atom", "json")
        ),
    ]


def unrelated_urls(site) -> list[str]:
    return [
        *story_urls(site.staff),
        *story_urls(site.markets),
        site.business.url,
        "/tags/weather/",
        "/feeds/section/business/rss/",
        "/feeds/tag/weather/atom/",
        "/sitemap-pages.xml",
        "/robots.txt",
    ]


def test_an_edit_is_on_every_page_that_shows_the_story_at_the_next_request(
    reader, pages_of, django_capture_on_commit_callbacks
):
    site = pages_of
    own, lists = story_urls(site.nato, pages=2), listing_urls(site)
    sitemaps = [
        "/sitemap.xml",
        f"/sitemap-articles-{timezone.localtime(site.nato.published_at):%Y-%m}.xml",
        "/sitemap-news.xml",
    ]
    before = {path: reader.get(path) for path in own + lists + sitemaps + unrelated_urls(site)}
    assert all(answer.status == 200 for answer in before.values()), {p: a.status for p, a in before.items()}
    assert all(reader.get(path).cache == "hit" for path in before)

    publish_edit(
        site.nato,
        django_capture_on_commit_callbacks,
        title=NEW_HEADLINE,
        summary="Allies agree to send Patriot batteries to Turkey.",
    )

    for path in own + lists:
        answer = reader.get(path)
        assert answer.cache == "miss", f"{path} was not purged"
        assert NEW_HEADLINE in answer.text, f"{path} does not show the edit"
    for path in sitemaps:  # their change times are dates; the news sitemap carries the headline
        assert reader.get(path).cache == "miss", f"{path} was not purged"
    assert NEW_HEADLINE in reader.get("/sitemap-news.xml").text
    for path in unrelated_urls(site):
        assert reader.get(path).cache == "hit", f"{path} was purged but does not show the story"


def test_unpublishing_takes_the_story_off_its_pages_and_lists(reader, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        refresh.story(site.nato.pk)  # as at its last publish
    for path in (site.nato.url, f"{site.nato.url}print/", "/", site.world.url, "/feeds/rss/"):
        assert reader.get(path).status == 200
    with django_capture_on_commit_callbacks(execute=True):
        site.nato.unpublish()
    assert reader.get(site.nato.url).status == 404
    assert reader.get(f"{site.nato.url}print/").status == 404
    for path in ("/", site.world.url, "/feeds/rss/", "/authors/adrian-croft/"):
        answer = reader.get(path)
        assert answer.cache == "miss" and "NATO set to approve" not in answer.text, path


def test_a_story_moved_to_another_section_leaves_the_old_one(reader, site, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        refresh.story(site.staff.pk)
    old_url = site.staff.url
    assert "Ferry services resume" in reader.get(site.world.url).text
    with django_capture_on_commit_callbacks(execute=True):
        business = type(site.business).objects.get(pk=site.business.pk)
        type(site.staff).objects.get(pk=site.staff.pk).move(business, pos="last-child")  # as the admin's Move does
    assert "Ferry services resume" not in reader.get(site.world.url).text
    moved = reader.get(old_url)  # the old address now sends readers on (Wagtail's automatic redirect)
    assert moved.status == 301 and moved.headers["location"].startswith(site.business.url)
    assert "Ferry services resume" in reader.get(site.business.url).text


def test_a_scheduled_story_appears_when_it_goes_live(reader, site, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.core.management import call_command

    from dateline.news.models import ArticlePage

    draft = ArticlePage.objects.get(slug="draft-on-the-harbour")
    assert "Draft on the harbour" not in reader.get("/").text
    draft.go_live_at = timezone.now() + timedelta(seconds=1)
    revision = draft.save_revision(approved_go_live_at=draft.go_live_at)
    with django_capture_on_commit_callbacks(execute=True):
        revision.publish()  # scheduled: nothing shows yet
    assert reader.get("/").cache == "hit"
    while timezone.now() <= draft.go_live_at:  # wait for the scheduled moment itself, not a guess of it
        time.sleep(0.05)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    home = reader.get("/")
    assert home.cache == "miss" and "Draft on the harbour" in home.text


def test_caching_off_still_sends_cdn_headers(reader, site, settings):
    settings.DATELINE_PAGE_CACHE = False
    from tests.publishing.conftest import Reader

    uncached = Reader()
    first, second = uncached.get(site.nato.url), uncached.get(site.nato.url)
    assert (first.cache, second.cache) == ("off", "off")
    assert "s-maxage" in second.headers["cache-control"] and second.headers["etag"] == first.headers["etag"]
    assert page_cache().get(page_key(site.nato.url)) is None  # nothing was stored


def test_deleting_a_live_story_clears_its_pages_and_lists(reader, site, django_capture_on_commit_callbacks):
    from dateline.news.models import ArticlePage

    for path in (site.staff.url, f"{site.staff.url}print/", "/", site.world.url):
        reader.get(path)
        assert reader.get(path).cache == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        refresh.story(site.staff.pk)  # as at its last publish
        ArticlePage.objects.get(pk=site.staff.pk).delete()
    assert reader.get(site.staff.url).status == 404
    assert reader.get(f"{site.staff.url}print/").status == 404
    for path in ("/", site.world.url):
        answer = reader.get(path)
        assert answer.cache == "miss" and "Ferry services resume" not in answer.text, path
    assert reader.get(site.markets.url).cache == "miss"  # never requested: nothing else was touched
    assert reader.get(site.markets.url).cache == "hit"


def _owe_a_purge(reader, site, django_capture_on_commit_callbacks):
    """An editor's publish committed, then the process killed before its purge: the old page is still served."""
    from dateline.publishing.models import Footprint

    reader.get(site.nato.url)
    assert reader.get(site.nato.url).cache == "hit"
    draft = site.nato.get_latest_revision_as_object()
    draft.title = NEW_HEADLINE
    with django_capture_on_commit_callbacks(execute=False):  # committed, then killed before the purge
        draft.save_revision().publish()
    assert Footprint.objects.get(pk=site.nato.pk).pending
    stale = reader.get(site.nato.url)
    assert stale.cache == "hit" and NEW_HEADLINE not in stale.text
    Footprint.objects.filter(pk=site.nato.pk).update(updated_at=timezone.now() - timedelta(seconds=5))


def _owed_purge_was_paid(reader, site):
    from dateline.publishing.models import Footprint

    fresh = reader.get(site.nato.url)
    assert fresh.cache == "miss" and NEW_HEADLINE in fresh.text
    assert not Footprint.objects.get(pk=site.nato.pk).pending


def test_a_purge_owed_by_a_killed_process_runs_at_the_next_ingest(
    reader, site, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    _owe_a_purge(reader, site, django_capture_on_commit_callbacks)
    (tmp_path / "empty").mkdir()
    call_command("ingest", "--watch", str(tmp_path / "empty"), "--polls", "1", "--interval", "0", verbosity=0)
    _owed_purge_was_paid(reader, site)


def test_a_purge_owed_by_a_killed_process_runs_at_the_next_scheduler_tick(
    reader, site, django_capture_on_commit_callbacks
):
    """`publish_scheduled` (cron, or `dateline serve --scheduler`) pays it too, with no ingest running."""
    from django.core.management import call_command

    _owe_a_purge(reader, site, django_capture_on_commit_callbacks)
    call_command("publish_scheduled", verbosity=0)
    _owed_purge_was_paid(reader, site)
