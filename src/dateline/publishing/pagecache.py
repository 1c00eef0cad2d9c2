"""The full-page cache: anonymous GETs of public pages answered from the shared cache, before Django.

It wraps the WSGI application, so a hit costs one cache read and no middleware, URL routing or
template. What is cached is exactly what Django answered an anonymous reader (status 200, no
cookie set, not private), keyed by path. The query strings cached are a list's page number
(``?page=2``, as the list pager writes it) and a live story's poll for updates (``?after=ID``,
news/live.py): those entries are kept under the address's own version, which every purge of the
address deletes, so a purge of /world/ forgets all its pages and one of a live story's
``updates/`` every poll's answer. Any other query string is never cached.
Editors (anyone with a session cookie) and requests with credentials always reach Django, and
their answers are never stored, so they never see a cached page and never put one in the cache.

Entries live until a publish purges them (see ``purge``) or ``DATELINE_PAGE_CACHE_SECONDS``
passes. A render that overlapped a purge is not stored: the purge generation is read before and
after it, so a page rendered from data a publish has just changed cannot outlive the purge.

One render at a time: on a miss, the process that takes the page's render lock (an atomic add in
Redis, a lock file beside the file cache) renders it; readers arriving meanwhile are given the copy a publish's purge
replaced, for at most ``DATELINE_STALE_SECONDS`` after that purge, or wait for the render. A
hard purge (a story killed, withdrawn or deleted) keeps no copy: nobody is ever given one.

Each server process also keeps the pages it served last in its own memory, valid for as long as
the shared purge generation (one small read a request) has not moved: any purge, from any
process, empties every process's copy at its next request, and the shared cache refills it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host
from django.utils.http import http_date, parse_http_date_safe

from dateline.inputs import AFTER_ID, PAGE_NUMBER
from dateline.news.middleware import PAGED_HEADER

from .routes import is_public_path

PURGE_GENERATION_KEY = "purge-generation"
HEADER = "X-Dateline-Cache"


def page_cache():
    return caches["pages"]


def page_key(path: str) -> str:
    return "page:" + hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()


def list_version_key(path: str) -> str:
    return "list-version:" + page_key(path)


def stale_key(key: str) -> str:
    return "stale:" + key


def lock_key(key: str) -> str:
    return "render:" + key


def _lock_file(folder: str, key: str) -> str:
    """With the file cache, the render lock of ``key`` is this file."""
    return os.path.join(folder, lock_key(key).replace(":", "-") + ".lock")


def take_render_lock(cache, key: str, seconds: float) -> bool:
    """True when this process may render ``key``: nobody else is rendering it (for ``seconds`` at most).

    In Redis an atomic add; with the file cache a lock file created exclusively, taken over once
    ``seconds`` old (its renderer died). The file cache's own ``add`` is a read, then a write: two
    processes could both take it.
    """
    folder = getattr(cache, "_dir", None)
    if not isinstance(cache, FileBasedCache) or folder is None:
        return bool(cache.add(lock_key(key), os.getpid(), timeout=max(int(seconds), 1)))
    lock = _lock_file(folder, key)
    for _ in range(2):
        try:
            os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            return True
        except FileExistsError:
            try:
                if time.time() - os.stat(lock).st_mtime <= seconds:
                    return False
                os.unlink(lock)  # left by a renderer that died: take it over
            except FileNotFoundError:
                pass
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
    return False


def render_under_way(cache, key: str) -> bool:
    """Someone holds the render lock of ``key`` (``take_render_lock``)."""
    folder = getattr(cache, "_dir", None)
    if not isinstance(cache, FileBasedCache) or folder is None:
        return cache.get(lock_key(key)) is not None
    return os.path.exists(_lock_file(folder, key))


def release_render_lock(cache, key: str) -> None:
    folder = getattr(cache, "_dir", None)
    if not isinstance(cache, FileBasedCache) or folder is None:
        cache.delete(lock_key(key))
        return
    try:
        os.unlink(_lock_file(folder, key))
    except FileNotFoundError:
        pass


def list_page(query: str) -> int | None:
    """The page number of a list's ``?page=N`` (one spelling of it), or None for any other query."""
    name, _, value = query.partition("=")
    if name == "page" and PAGE_NUMBER.fullmatch(value) and value != "1":
        return int(value)
    return None


def _local_key(path: str, query: str) -> str:
    """A process's own copy of a page is kept under its address as asked (path, and query if cacheable)."""
    return f"{path}?{query}" if query else path


def query_variant(query: str) -> str | None:
    """How a cacheable query string is keyed: ``?page=2`` "p2", ``?after=41`` "a41"; None for any other."""
    number = list_page(query)
    if number is not None:
        return f"p{number}"
    name, _, value = query.partition("=")
    if name == "after" and AFTER_ID.fullmatch(value):
        return f"a{value}"
    return None


@functools.cache
def _generation_file() -> str | None:
    """With the file cache, the purge generation is a file beside it: a stat() reads it."""
    cache = page_cache()
    if isinstance(cache, FileBasedCache):
        return os.path.join(cache._dir, "purge-generation")  # type: ignore[attr-defined]
    return None


def purge_generation():
    """Changes whenever anything is purged, in any process (a file's identity, or a counter in Redis)."""
    marker = _generation_file()
    if marker is None:
        return page_cache().get_or_set(PURGE_GENERATION_KEY, time.time_ns(), timeout=None)
    try:
        stat = os.stat(marker)
        return stat.st_ino, stat.st_mtime_ns, stat.st_size
    except FileNotFoundError:
        _bump_file(marker)
        return purge_generation()


def _bump_file(marker: str) -> None:
    folder = os.path.dirname(marker)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".generation-")
    with os.fdopen(handle, "w") as out:
        out.write(str(time.time_ns()))  # a new file each time: a new inode, even within one clock tick
    os.replace(temporary, marker)


def purge(paths: Iterable[str], hard: bool = False) -> None:
    """Forget the cached answers for these paths (and every page of a list at one of them).

    Renders under way when this runs are not stored. A soft purge (a story published or changed)
    keeps each answer as a stale copy for ``DATELINE_STALE_SECONDS``, for the readers who arrive
    while one process renders the page again; a ``hard`` one (a story killed, withdrawn, deleted)
    keeps nothing, and removes the stale copies an earlier purge left.
    """
    paths = list(paths)
    cache = page_cache()
    keys = [page_key(path) for path in paths]
    # Every page of a list at these addresses goes with its version: the next one stored makes a new one.
    versions = [list_version_key(path) for path in paths]
    if hard or settings.DATELINE_STALE_SECONDS <= 0:
        cache.delete_many([*keys, *versions, *(stale_key(key) for key in keys)])
    else:
        now = time.time()
        replaced = cache.get_many(keys)
        if replaced:
            stale = {stale_key(key): (now, entry) for key, entry in replaced.items()}
            cache.set_many(stale, timeout=settings.DATELINE_STALE_SECONDS + 1)
        cache.delete_many([*keys, *versions])
    # The generation moves only once the copies are gone: a reader that sees the new generation
    # must not find an old copy in the shared cache and keep it in its process's memory as current
    # (it would be served there until the next purge). Renders that began before this are not
    # stored, or are taken back, because they read the generation before and after (PageCache).
    marker = _generation_file()
    if marker is not None:
        _bump_file(marker)
    else:
        try:
            cache.incr(PURGE_GENERATION_KEY)
        except ValueError:
            cache.set(PURGE_GENERATION_KEY, time.time_ns(), timeout=None)


def public_cache_control(browser_max_age: int | None = None) -> str:
    """What a cached answer tells browsers and CDNs; BROWSER_MAX_AGE, when the page asks for less
    than DATELINE_BROWSER_MAX_AGE (a running live story asks for 0)."""
    if browser_max_age is None or browser_max_age > settings.DATELINE_BROWSER_MAX_AGE:
        browser_max_age = settings.DATELINE_BROWSER_MAX_AGE
    return (
        f"public, max-age={browser_max_age}, s-maxage={settings.DATELINE_CDN_MAX_AGE}, "
        f"stale-while-revalidate={settings.DATELINE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.DATELINE_STALE_IF_ERROR}"
    )


_MAX_AGE = re.compile(r"(?<![-\w])max-age=(\d{1,9})")


def _path(environ) -> str:
    raw = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    return raw.encode("latin-1", "replace").decode("utf-8", "surrogateescape")


def _not_modified(environ, etag: str, last_modified: str | None) -> bool:
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in match.split(",")]
        return "*" in tags or etag in tags
    if "HTTP_IF_MODIFIED_SINCE" not in environ:
        return False
    since = parse_http_date_safe(environ["HTTP_IF_MODIFIED_SINCE"])
    modified = parse_http_date_safe(last_modified or "")
    return since is not None and modified is not None and modified <= since


def _is_secure(environ) -> bool:
    """As Django's ``request.is_secure()``: the scheme, or the header a trusted proxy sets."""
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    if proxy_header:
        name, secure_value = proxy_header
        value = environ.get(name)
        if value is not None:
            return value.split(",")[0].strip() == secure_value
    return environ.get("wsgi.url_scheme") == "https"


class PageCache:
    """WSGI middleware: ``application = PageCache(get_wsgi_application())``."""

    def __init__(self, app):
        self.app = app
        self.enabled = settings.DATELINE_PAGE_CACHE
        self.timeout = settings.DATELINE_PAGE_CACHE_SECONDS
        self.session_cookie = settings.SESSION_COOKIE_NAME
        self.cache_control = public_cache_control()
        # path (or ("stale", key)) -> (the purge generation it was read under, entry)
        self.local: dict[str | tuple[str, str], tuple] = {}
        self.local_generation = None
        self.local_limit = settings.DATELINE_PAGE_CACHE_LOCAL_ENTRIES
        self.local_lock = threading.Lock()  # a worker serves several requests at once (threads)
        self.hosts: dict[str, bool] = {}
        self.stale_seconds = min(settings.DATELINE_STALE_SECONDS, 2)
        self.render_wait = max(settings.DATELINE_RENDER_WAIT_SECONDS, 1)

    def _valid_host(self, host: str) -> bool:
        known = self.hosts.get(host)
        if known is None:
            domain, _ = split_domain_port(host)
            known = bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)
            if len(self.hosts) < 256:
                self.hosts[host] = known
        return known

    def _stale_copy(self, cache, key: str, generation):
        """The (purged at, entry) a soft purge left of KEY, for the readers who arrive while one
        process renders the page again: read from the shared cache once a process and generation,
        then from memory. In a surge every purge is followed by a render, and each reader of the page
        meanwhile used to read and unpickle the copy again (make bench-surge: 0.70 of the quiet rate
        at five stories a second, 0.80 this way). A hard purge (a kill) moves the generation, so a
        copy held here is never given after it; the caller's time limit applies as before."""
        held = self.local.get(("stale", key))
        if held is not None and held[0] == generation:
            return held[1]
        stale = cache.get(stale_key(key))
        if stale is not None:
            self._remember(("stale", key), stale, generation)
        return stale

    def _remember(self, path: str | tuple[str, str], entry: tuple, generation) -> None:
        """Keep ``entry``, read or rendered by a request that began at purge ``generation``, in memory.

        Each copy carries the generation it was read under and is served only to requests of that
        same generation: a thread that read a page just before a purge may put it here after another
        thread has moved on, and it must never reach a reader after the purge."""
        with self.local_lock:
            if len(self.local) >= self.local_limit:
                self.local.pop(next(iter(self.local)))  # the oldest first
            self.local[path] = (generation, entry)

    # What may be looked up: anonymous GET or HEAD of a public path, no query string, a valid host,
    # and (when the site redirects plain HTTP to HTTPS) a secure request: Django answers the rest.
    def _cacheable_request(self, environ, path: str) -> bool:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return False
        query = environ.get("QUERY_STRING")
        if query and query_variant(query) is None:
            return False
        if "HTTP_AUTHORIZATION" in environ:
            return False
        cookies = environ.get("HTTP_COOKIE")
        # Parsed as Django parses it ("sessionid =KEY" is a session too), never a substring test.
        if cookies and self.session_cookie in parse_cookie(cookies):
            return False
        if settings.SECURE_SSL_REDIRECT and not _is_secure(environ):
            return False
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        return self._valid_host(host) and is_public_path(path)

    def _key(self, cache, path: str, query: str, create: bool = False) -> tuple[str | None, str]:
        """(the entry's key, the key of this process's copy) for the path and its list page, if any.

        A list's later pages are kept under its version, which a purge of its address deletes;
        with none (purged, or never stored) there is no entry to find, and a store (``create``)
        starts a new version.
        """
        variant = query_variant(query) if query else None
        if variant is None:
            return page_key(path), path
        version = cache.get(list_version_key(path))
        if version is None and create:
            cache.add(list_version_key(path), time.time_ns(), timeout=None)
            version = cache.get(list_version_key(path))
        entry_key = None if version is None else f"{page_key(path)}:{variant}:v{version}"
        return entry_key, _local_key(path, query)

    def __call__(self, environ, start_response):
        path = _path(environ)
        if not self._cacheable_request(environ, path):
            return self._pass(environ, start_response, path)
        cache = page_cache()
        if not self.enabled:
            entry, _ = self._render(environ)
            return self._finish(environ, start_response, entry, "off")
        generation = purge_generation()
        if generation != self.local_generation:
            with self.local_lock:
                self.local = {}
                self.local_generation = generation
        query = environ.get("QUERY_STRING", "")
        # This process's copy first: it is valid for this purge generation, which any purge moves,
        # so a list's page or a poll needs no read of its address's version from the shared cache.
        remembered = self.local.get(_local_key(path, query))
        entry = remembered[1] if remembered is not None and remembered[0] == generation else None
        if entry is not None:
            return self._answer(environ, start_response, entry, "hit")
        key, local_key = self._key(cache, path, query)
        if key is not None:
            entry = cache.get(key)
            # Kept in memory unless a render of it is under way: a render that overlapped a purge
            # may have stored a copy it is about to take back (see the store below).
            if entry is not None and not render_under_way(cache, key):
                self._remember(local_key, entry, generation)
        if entry is not None:
            return self._answer(environ, start_response, entry, "hit")

        # A miss: one process renders; the others are given the stale copy, or wait for the render.
        if key is None:  # a list's later page with no version yet: this render starts one
            key, local_key = self._key(cache, path, query, create=True)
            assert key is not None
        waited_for = time.monotonic() + self.render_wait
        while not take_render_lock(cache, key, self.render_wait):
            stale = self._stale_copy(cache, key, generation)
            if stale is not None and time.time() - stale[0] <= self.stale_seconds:
                return self._answer(environ, start_response, stale[1], "stale")
            time.sleep(0.005)
            entry = cache.get(key)
            if entry is not None:
                return self._answer(environ, start_response, entry, "hit")
            if time.monotonic() > waited_for:  # the renderer is stuck or gone: render here
                break
        try:
            entry, storable = self._render(environ)
            if local_key != path:  # a list's page: stored only when Django paged a list for it
                storable = storable and self._paged(entry)
                if storable:  # and never kept by a CDN: its purges name the list's address, not each page
                    entry = self._for_this_server_only(entry)
            if storable and environ["REQUEST_METHOD"] == "GET" and purge_generation() == generation:
                cache.set(key, entry, timeout=self.timeout)
                # A purge moves the generation, then deletes: if it began between the check above
                # and this store, its delete may have come first, so the copy is taken back here.
                if purge_generation() != generation:
                    cache.delete(key)
                else:
                    self._remember(local_key, entry, generation)
        finally:
            release_render_lock(cache, key)
        return self._finish(environ, start_response, entry, "miss")

    def _render(self, environ) -> tuple[tuple, bool]:
        """(Django's answer, as an entry or as it came, and whether it may be stored)."""
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None  # Django never uses write()

        result = self.app(environ, capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = captured["status"], captured["headers"]
        if not self._storable(status, headers):
            return (status, headers, body), False
        return self._entry(status, headers, body), True

    @staticmethod
    def _for_this_server_only(entry: tuple) -> tuple:
        status, headers, body, etag, last_modified = entry
        headers = [(n, v) for n, v in headers if n.lower() != "cache-control"] + [("Cache-Control", "no-cache")]
        return status, headers, body, etag, last_modified

    @staticmethod
    def _paged(entry: tuple) -> bool:
        return any(name == PAGED_HEADER for name, _ in entry[1])

    def _finish(self, environ, start_response, rendered: tuple, state: str):
        if len(rendered) == 3:  # not storable: as Django answered it
            status, headers, body = rendered
            start_response(status, headers)
            return [body]
        return self._answer(environ, start_response, rendered, state)

    def _pass(self, environ, start_response, path: str):
        """Not cacheable: an editor's answer on a public path is marked private for any cache on the way."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not is_public_path(path):
            return self.app(environ, start_response)

        def private(status, headers, exc_info=None):
            if not any(name.lower() == "cache-control" for name, _ in headers):
                headers = [*headers, ("Cache-Control", "private, no-cache")]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return self.app(environ, private)

    @staticmethod
    def _storable(status: str, headers) -> bool:
        if not status.startswith("200"):
            return False
        for name, value in headers:
            lowered = name.lower()
            if lowered == "set-cookie":
                return False
            if lowered == "cache-control" and any(word in value for word in ("private", "no-store", "no-cache")):
                return False
        return True

    def _entry(self, status, headers, body: bytes) -> tuple:
        """(status, headers, body, etag, last-modified), with the CDN's headers added where missing."""
        names = {name.lower(): value for name, value in headers}
        etag = names.get("etag") or f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'
        last_modified = names.get("last-modified") or http_date()
        kept = [
            (name, value)
            for name, value in headers
            if name.lower() not in ("etag", "last-modified", "cache-control", "content-length")
        ]
        asked = _MAX_AGE.search(names.get("cache-control", ""))
        cache_control = public_cache_control(int(asked.group(1))) if asked else self.cache_control
        kept += [("Cache-Control", cache_control), ("ETag", etag), ("Last-Modified", last_modified)]
        return status, kept, body, etag, last_modified

    def _answer(self, environ, start_response, entry, state: str):
        status, headers, body, etag, last_modified = entry
        if _not_modified(environ, etag, last_modified):
            keep = [(n, v) for n, v in headers if n.lower() in ("cache-control", "etag", "last-modified", "vary")]
            start_response("304 Not Modified", [*keep, (HEADER, state)])
            return []
        start_response(status, [*headers, ("Content-Length", str(len(body))), (HEADER, state)])
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
