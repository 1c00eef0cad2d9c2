"""The file caches evict what readers used least recently, never a random third."""

import os
import time

from dateline.backends.filecache import LRUFileBasedCache


def test_a_full_cache_keeps_the_pages_readers_keep_asking_for(tmp_path):
    cache = LRUFileBasedCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 30, "CULL_FREQUENCY": 3, "CULL_EVERY": 1}})
    for n in range(30):
        cache.set(f"page-{n}", f"body {n}")
    hour_ago = time.time() - 3600
    for name in cache._list_cache_files():  # every entry written an hour ago ...
        os.utime(name, (hour_ago, hour_ago))
    popular = [f"page-{n}" for n in (0, 3, 7, 11, 19, 23, 29)]
    for key in popular:  # ... and these read since, which marks them used now
        assert cache.get(key) is not None
        assert os.stat(cache._key_to_file(key)).st_mtime > hour_ago + 3000
    cache.set("junk-1", "x")  # the cache is full: this write culls a third
    assert len(cache._list_cache_files()) == 21  # 30 - 10 culled + 1
    assert all(cache.get(key) is not None for key in popular), "a popular page was evicted"
    assert cache.get("junk-1") == "x"


def test_the_cache_stays_bounded_whatever_a_client_asks_for(tmp_path):
    cache = LRUFileBasedCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 50, "CULL_EVERY": 10}})
    for n in range(500):
        cache.set(f"/sitemap-articles-{n:04d}-01.xml", "x")
        assert len(cache._list_cache_files()) <= 50 + 10  # counted once every 10 writes


def test_the_folder_is_counted_once_every_so_many_writes_not_on_every_one(tmp_path, monkeypatch):
    cache = LRUFileBasedCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 1000, "CULL_EVERY": 64}})
    counted = []
    real = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: counted.append(1) or real())
    for n in range(128):
        cache.set(f"page-{n}", "x")
    assert len(counted) == 2
