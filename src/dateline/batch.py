"""Work a run of stories shares: done once for many stories instead of once for each.

An ingest run (``dateline ingest``, a drop-folder poll) writes each story in its own transaction;
what follows a commit (the search index entry, the reference index, the purge of the lists the
story is on) is the same kind of work for every story, and mostly on the same addresses (the
home page, the section, the feeds). Inside ``run()`` such work is handed to the run with
``defer(group, item)`` instead of being done at once; the run calls ``group(items)`` once for all
the items deferred to it, when the run has seen ``size`` stories, when ``seconds`` have passed
since the oldest item was deferred, and when it ends (however it ends: what was deferred belongs
to stories already committed). ``remember`` keeps what the stories read alike (the ingest rules,
their section) from one flush to the next.

Only committed work is deferred: a story's own tasks are handed over when its transaction has
committed, never before (backends/tasks.py, publishing/pipeline.py). A kill or a withdrawal is
never deferred: its purge runs at once. Outside a run, ``defer`` returns False and the caller does
the work itself, as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

log = logging.getLogger(__name__)

Group = Callable[[list], object]

_current: ContextVar[Run | None] = ContextVar("dateline_batch_run", default=None)


class Run:
    def __init__(self, size: int, seconds: float | None) -> None:
        self.size, self.seconds = size, seconds
        self.work: dict[Group, dict[Hashable, object]] = {}
        self.memo: dict[Hashable, object] = {}
        self.stories = 0
        self.oldest: float | None = None

    def defer(self, group: Group, item: Hashable) -> None:
        if self.oldest is None:
            self.oldest = time.monotonic()
        self.work.setdefault(group, {})[item] = item  # each item once, in the order first deferred

    def story_done(self) -> None:
        """One more story of the run is over: flush when the run's bounds say so."""
        self.stories += 1
        late = self.seconds is not None and self.oldest is not None and time.monotonic() - self.oldest >= self.seconds
        if self.stories >= self.size or late:
            self.flush()

    def flush(self) -> None:
        work, self.work, self.stories, self.oldest = self.work, {}, 0, None
        self.memo = {}
        failures = []
        for group, items in work.items():
            try:
                group(list(items))
            except Exception as exc:  # one group failing (a CDN down) does not cost the others
                log.exception("deferred work %s failed for %d items", getattr(group, "__qualname__", group), len(items))
                failures.append(exc)
        if failures:
            raise failures[0]


@contextmanager
def run(size: int = 200, seconds: float | None = 1.0) -> Iterator[Run]:
    """Share the work of the stories written inside: flushed every SIZE stories, when SECONDS have passed
    since the oldest deferred item (None: only by size and at the end), and at the end."""
    outer = _current.get()
    if outer is not None:  # already in a run: it flushes
        yield outer
        return
    batch = Run(size, seconds)
    token = _current.set(batch)
    try:
        yield batch
    finally:
        _current.reset(token)
        batch.flush()


def defer(group: Group, item: Hashable) -> bool:
    """Hand ITEM to the current run's GROUP; False when there is no run (the caller does the work now)."""
    batch = _current.get()
    if batch is None:
        return False
    batch.defer(group, item)
    return True


def remember(key: Hashable, compute: Callable[[], object]):
    """``compute()``, read once for the stories of a run until its next flush (at most a second or
    ``size`` stories): what stories share and editors rarely change (the ingest rules, a section,
    an agency). Outside a run, computed every time."""
    batch = _current.get()
    if batch is None:
        return compute()
    if key in batch.memo:
        return batch.memo[key]
    value = compute()
    if value is not None:  # "not there yet" is asked again: the next story may find what this one adds
        batch.memo[key] = value
    return value


def forget() -> None:
    """A story failed: what was remembered may name rows its rolled-back transaction wrote."""
    batch = _current.get()
    if batch is not None:
        batch.memo = {}


def story_done() -> None:
    batch = _current.get()
    if batch is not None:
        batch.story_done()
