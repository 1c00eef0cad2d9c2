"""The full-page cache: anonymous GETs of public pages answered from the shared cache, before Django.

It wraps the WSGI application, so a hit costs one cache read and no middleware, URL routing or
template. What is cached is exactly what Django answered an anonymous reader (status 200, no
cookie set, not private), keyed by path; addresses with a query string are never cached.
Editors (anyone with a session cookie) and requests with credentials always reach Django, and
their answers are never stored, so they never see a cached page and never put one in the cache.

Entries live until a publish purges them (see ``purge``) or ``DATELINE_PAGE_CACHE_SECONDS``
passes. A render that overlapped a purge is not stored: the purge generation is read before and
after it, so a page rendered from data a publish has just changed cannot outlive the purge.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import caches
from django.http.request import split_domain_port, validate_host
from django.utils.http import http_date, parse_http_date_safe

from .routes import is_public_path

PURGE_GENERATION_KEY = "purge-generation"
HEADER = "X-Dateline-Cache"


def page_cache():
    return caches["pages"]


def page_key(path: str) -> str:
    return "page:" + hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()


def purge_generation() -> int:
    return page_cache().get_or_set(PURGE_GENERATION_KEY, time.time_ns(), timeout=None)


def purge(paths: Iterable[str]) -> None:
    """Forget the cached answers for these paths; renders under way when this runs are not stored."""
    cache = page_cache()
    try:
        cache.incr(PURGE_GENERATION_KEY)
    except ValueError:
        cache.set(PURGE_GENERATION_KEY, time.time_ns(), timeout=None)
    cache.delete_many([page_key(path) for path in paths])


def public_cache_control() -> str:
    return (f"public, max-age={settings.DATELINE_BROWSER_MAX_AGE}, s-maxage={settings.DATELINE_CDN_MAX_AGE}, "
            f"stale-while-revalidate={settings.DATELINE_STALE_WHILE_REVALIDATE}, "
            f"stale-if-error={settings.DATELINE_STALE_IF_ERROR}")


def _path(environ) -> str:
    raw = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    return raw.encode("latin-1", "replace").decode("utf-8", "surrogateescape")


def _not_modified(environ, etag: str, last_modified: str | None) -> bool:
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in match.split(",")]
        return "*" in tags or etag in tags
    since = parse_http_date_safe(environ.get("HTTP_IF_MODIFIED_SINCE", ""))
    modified = parse_http_date_safe(last_modified or "")
    return since is not None and modified is not None and modified <= since


class PageCache:
    """WSGI middleware: ``application = PageCache(get_wsgi_application())``."""

    def __init__(self, app):
        self.app = app
        self.enabled = settings.DATELINE_PAGE_CACHE
        self.timeout = settings.DATELINE_PAGE_CACHE_SECONDS
        self.session_cookie = settings.SESSION_COOKIE_NAME + "="
        self.cache_control = public_cache_control()

    # What may be looked up: anonymous GET or HEAD of a public path, no query string, a valid host.
    def _cacheable_request(self, environ) -> bool:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("QUERY_STRING"):
            return False
        if "HTTP_AUTHORIZATION" in environ or self.session_cookie in environ.get("HTTP_COOKIE", ""):
            return False
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        domain, _ = split_domain_port(host)
        return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS) and is_public_path(_path(environ))

    def __call__(self, environ, start_response):
        if not self._cacheable_request(environ):
            return self._pass(environ, start_response)
        key = page_key(_path(environ))
        cache = page_cache()
        if self.enabled:
            entry = cache.get(key)
            if entry is not None:
                return self._answer(environ, start_response, entry, "hit")
            generation = purge_generation()

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
                cache.set(key, entry, timeout=self.timeout)
        return self._answer(environ, start_response, entry, state)

    def _pass(self, environ, start_response):
        """Not cacheable: an editor's answer on a public path is marked private for any cache on the way."""
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not is_public_path(_path(environ)):
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
        etag = names.get("etag") or '"%s"' % hashlib.blake2b(body, digest_size=16).hexdigest()
        last_modified = names.get("last-modified") or http_date()
        kept = [(name, value) for name, value in headers
                if name.lower() not in ("etag", "last-modified", "cache-control", "content-length")]
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
