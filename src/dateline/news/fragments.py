"""Rendered fragments kept in each server process, under keys that change when what they show changes.

A key names everything the fragment depends on: a story's live revision for the story itself, the
publish generation (news/generation.py) for what any publish can change (the section menu, lists,
related stories). Nothing is ever purged: a publish makes a new key, so an old fragment is simply
never read again and the process's cache drops it (``DATELINE_FRAGMENT_ENTRIES``, least recently
used first; ``DATELINE_FRAGMENT_SECONDS`` at most, the page cache's own safety net).

The generation is moved on after a publish commits, so a fragment rendered from the data a
publish is still writing is kept under the generation that the publish leaves behind.

Previews and anything an editor sees with a draft are rendered every time, never kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches

from .generation import publish_generation

T = TypeVar("T")
PER_PUBLISH = "per_publish"
_request_generation: ContextVar[int | None] = ContextVar("dateline_request_generation", default=None)


def generation() -> int:
    """The publish generation, read once a request (``RequestGeneration``) and at each call outside one."""
    value = _request_generation.get()
    return publish_generation() if value is None else value


class RequestGeneration:
    """Middleware: one read of the publish generation serves every fragment of the request.

    A request sees the site as it was when it began, whatever publish lands while it renders.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_generation.set(publish_generation())
        try:
            return self.get_response(request)
        finally:
            _request_generation.reset(token)


def fragment_cache():
    return caches["fragments"]


def fragment_key(parts: list[Any], per_publish: bool = False) -> str:
    if per_publish:
        parts = [*parts, f"g{generation()}"]
    joined = "\x1f".join(str(part) for part in parts)
    return "fragment:" + hashlib.blake2b(joined.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def kept(parts: list[Any], compute: Callable[[], T], per_publish: bool = False) -> T:
    """``compute()``, kept under ``parts`` (and the publish generation when ``per_publish``)."""
    cache = fragment_cache()
    key = fragment_key(parts, per_publish)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.DATELINE_FRAGMENT_SECONDS)
    return value


def kept_many(name: str, ids: list[int], fetch: Callable[[list[int]], dict[int, Any]]) -> dict[int, Any]:
    """``fetch(ids)`` (id -> object) for the ids not kept yet under ``name`` and the publish generation.

    For objects a fresh query has just chosen (the live stories a search found): what is kept is
    how each one looks, never whether it is still there.
    """
    cache = fragment_cache()
    keys = {pk: fragment_key([name, pk], per_publish=True) for pk in ids}
    found = cache.get_many(list(keys.values()))
    objects = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in ids if pk not in objects]
    if missing:
        fetched = fetch(missing)
        cache.set_many({keys[pk]: value for pk, value in fetched.items()}, settings.DATELINE_FRAGMENT_SECONDS)
        objects.update(fetched)
    return objects


def may_keep(request: Any) -> bool:
    """Fragments are kept for what readers see: never for a preview of a draft."""
    return request is not None and not getattr(request, "is_preview", False)
