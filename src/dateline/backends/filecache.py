"""Django's file cache, with entries evicted least recently used first.

Django's ``FileBasedCache`` culls a random third of its entries when it is full, so a client
requesting thousands of made-up addresses evicts the front page as readily as its own junk. Here
a read that finds an entry touches its file, and a full cache removes the files touched longest
ago: the pages readers keep asking for stay. The cache stays bounded by ``MAX_ENTRIES``.
"""

from __future__ import annotations

import os

from django.core.cache.backends.filebased import FileBasedCache


class LRUFileBasedCache(FileBasedCache):
    def get(self, key, default=None, version=None):
        value = super().get(key, default, version)
        if value is not default:
            try:
                os.utime(self._key_to_file(key, version))  # used now
            except OSError:  # deleted meanwhile by another process
                pass
        return value

    def _cull(self):
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
