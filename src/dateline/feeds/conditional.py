"""Conditional GET for lists of stories: an ETag and Last-Modified from the listed stories alone.

Computed from the ids and publish times of the stories the response lists (one small indexed
query), so a reader polling an unchanged feed gets a 304 without the feed being rendered.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from dateline.news.identity import current


def list_state(queryset, *salt) -> tuple[str, object]:
    """(ETag, Last-Modified) of a list of pages: changes when a story enters, leaves or is republished,
    and when the site's identity (its name, in every feed's title and rights) is changed."""
    rows = list(queryset.values_list("pk", "last_published_at"))
    where = (settings.DATELINE_SITE_URL, settings.DATELINE_FEED_FULL_TEXT, current())
    digest = hashlib.sha256(repr((rows, salt, where)).encode())
    newest = max((published for _, published in rows if published), default=None)
    return quote_etag(digest.hexdigest()[:32]), newest


def conditional(state_for, keep_body: bool = False):
    """Decorate a view with ``state_for(request, **kwargs) -> (etag, last_modified)``.

    With ``keep_body``, a rendered 200 response is kept in the cache under its address and ETag,
    so the next reader of an unchanged list gets it without it being rendered again.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            etag, last_modified = state_for(request, *args, **kwargs)
            if etag is None:
                return view(request, *args, **kwargs)
            timestamp = int(last_modified.timestamp()) if last_modified else None
            response = get_conditional_response(request, etag=etag, last_modified=timestamp)
            key = f"dateline:body:{request.get_full_path()}:{etag}"
            if response is None and keep_body:
                kept = cache.get(key)
                if kept is not None:
                    response = HttpResponse(kept[0], content_type=kept[1])
            if response is None:
                response = view(request, *args, **kwargs)
                if keep_body and response.status_code == 200 and not response.streaming:
                    response = response.render() if hasattr(response, "render") else response
                    cache.set(key, (response.content, response["Content-Type"]), timeout=24 * 3600)
            response.headers["ETag"] = etag
            if timestamp is not None:
                response.headers["Last-Modified"] = http_date(timestamp)
            return response

        return wrapped

    return decorator
