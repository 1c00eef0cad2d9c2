"""The publish generation: a number that changes whenever a page is published or unpublished.

Lists derived from the whole site (the sitemap index's month table, the search vocabulary)
are cached under it, so they are computed once a publish rather than once a request.
"""

import time

from django.core.cache import cache

GENERATION_KEY = "dateline:publish-generation"


def publish_generation() -> int:
    # It starts from the clock, so a cache that lost it never meets an entry of an earlier count.
    return int(cache.get_or_set(GENERATION_KEY, time.time_ns(), timeout=None) or 0)


def bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def per_publish(name: str, compute, timeout: int = 3600):
    """``compute()``, kept in the cache until the next publish or unpublish (or ``timeout`` seconds)."""
    key = f"dateline:{name}:{publish_generation()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=timeout)
    return value
