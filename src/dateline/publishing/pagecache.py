"""The full-page cache: anonymous GETs of public pages answered from the shared cache, before Django.

It wraps the WSGI application, so a hit costs one cache read and no middleware, URL routing or
template. What is cached is exactly what Django answered an anonymous reader (status 200, no
cookie set, not private), keyed by path; addresses with a query string are never cached.
Editors (anyone with a session cookie) and requests with credentials always reach Django, and
their answers are never stored, so they never see a cached page and never put one in the cache.

Entries live until a publish purges them (see ``purge``) or ``DATELINE_PAGE_CACHE_SECONDS``
passes. A render that overlapped a purge is not stored: the purge generation is read before and
after it, so a page rendered from data a publish has just changed cannot outlive the purge.

Each server process also keeps the pages it served last in its own memory, valid for as long as
the shared purge generation (one small read a request) has not moved: any purge, from any
process, empties every process's copy at its next request, and the shared cache refills it.
"""

from __future__ import annotations

import functools
import hashlib
import os
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

from .routes import is_public_path

PURGE_GENERATION_KEY = "purge-generation"
HEADER = "X-Dateline-Cache"


def page_cache():
    return caches["pages"]


def page_key(path: str) -> str:
    return "page:" + hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()


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


def purge(paths: Iterable[str]) -> None:
    """Forget the cached answers for these paths; renders under way when this runs are not stored."""
    cache = page_cache()
    marker = _generation_file()
    if marker is not None:
        _bump_file(marker)
    else:
        try:
            cache.incr(PURGE_GENERATION_KEY)
        except ValueError:
            cache.set(PURGE_GENERATION_KEY, time.time_ns(), timeout=None)
    cache.delete_many([page_key(path) for path in paths])


def public_cache_control() -> str:
    return (
        f"public, max-age={settings.DATELINE_BROWSER_MAX_AGE}, s-maxage={settings.DATELINE_CDN_MAX_AGE}, "
        f"stale-while-revalidate={settings.DATELINE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.DATELINE_STALE_IF_ERROR}"
    )


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
        self.local: dict[str, tuple] = {}  # path -> entry, for the purge generation below
        self.local_generation = None
        self.local_limit = settings.DATELINE_PAGE_CACHE_LOCAL_ENTRIES
        self.local_lock = threading.Lock()  # a worker serves several requests at once (threads)
        self.hosts: dict[str, bool] = {}

    def _valid_host(self, host: str) -> bool:
        known = self.hosts.get(host)
        if known is None:
            domain, _ = split_domain_port(host)
            known = bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)
            if len(self.hosts) < 256:
                self.hosts[host] = known
        return known

    def _remember(self, path: str, entry: tuple) -> None:
        with self.local_lock:
            if len(self.local) >= self.local_limit:
                self.local.pop(next(iter(self.local)))  # the oldest first
            self.local[path] = entry

    # What may be looked up: anonymous GET or HEAD of a public path, no query string, a valid host,
    # and (when the site redirects plain HTTP to HTTPS) a secure request: Django answers the rest.
    def _cacheable_request(self, environ, path: str) -> bool:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("QUERY_STRING"):
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

    def __call__(self, environ, start_response):
        path = _path(environ)
        if not self._cacheable_request(environ, path):
            return self._pass(environ, start_response, path)
        cache = page_cache()
        if self.enabled:
            generation = purge_generation()
            if generation != self.local_generation:
                with self.local_lock:
                    self.local = {}
                    self.local_generation = generation
            entry = self.local.get(path)
            if entry is None:
                entry = cache.get(page_key(path))
                if entry is not None:
                    self._remember(path, entry)
            if entry is not None:
                return self._answer(environ, start_response, entry, "hit")

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
            start_response(status, headers)
            return [body]
        entry = self._entry(status, headers, body)
        state = "off"
        if self.enabled:
            state = "miss"
            if environ["REQUEST_METHOD"] == "GET" and purge_generation() == generation:
                cache.set(page_key(path), entry, timeout=self.timeout)
                if generation == self.local_generation:
                    self._remember(path, entry)
        return self._answer(environ, start_response, entry, state)

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
        kept += [("Cache-Control", self.cache_control), ("ETag", etag), ("Last-Modified", last_modified)]
        return status, kept, body, etag, last_modified

    def _answer(self, environ, start_response, entry, state: str):
        status, headers, body, etag, last_modified = entry
        if _not_modified(environ, etag, last_modified):
            keep = [(n, v) for n, v in headers if n.lower() in ("cache-control", "etag", "last-modified", "vary")]
            start_response("304 Not Modified", [*keep, (HEADER, state)])
            return []
        start_response(status, [*headers, ("Content-Length", str(len(body))), (HEADER, state)])
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
