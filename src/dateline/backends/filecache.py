"""Django's file cache, with entries evicted least recently used first.

Django's ``FileBasedCache`` culls a random third of its entries when it is full, so a client
requesting thousands of made-up addresses evicts the front page as readily as its own junk. Here
a read that finds an entry touches its file, and a full cache removes the files touched longest
ago: the pages readers keep asking for stay.

Counting the entries lists the whole folder (20,000 files at most: milliseconds), and Django does
it on every write; a publish writes several entries and an ingest many. Here a process counts
once every ``CULL_EVERY`` writes (an option, default 64), so the cache holds at most
``MAX_ENTRIES`` plus that many writes a process.
"""

from __future__ import annotations

import os

from django.core.cache.backends.filebased import FileBasedCache

CULL_EVERY = 64


class LRUFileBasedCache(FileBasedCache):
    def __init__(self, directory, params):
        super().__init__(directory, params)
        self._cull_every = max(int(params.get("OPTIONS", {}).get("CULL_EVERY", CULL_EVERY)), 1)
        self._writes = 0

    def get(self, key, default=None, version=None):
        value = super().get(key, default, version)
        if value is not default:
            try:
                os.utime(self._key_to_file(key, version))  # used now
            except OSError:  # deleted meanwhile by another process
                pass
        return value

    def _cull(self):
        self._writes += 1
        if (self._writes - 1) % self._cull_every:  # the first write, then every CULL_EVERY-th
            return
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return
        if self._cull_frequency == 0:
            self.clear()
            return
        used = []
        for name in files:
            try:
                used.append((os.stat(name).st_mtime_ns, name))
            except OSError:
                continue
        used.sort()
        for _, name in used[: max(1, len(files) // self._cull_frequency)]:
            self._delete(name)
