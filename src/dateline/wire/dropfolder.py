"""The drop folder: agencies (or a transfer script) put files in DIR; Dateline ingests them.

- A file is read only once its size and modification time have stayed the same for a whole
  poll interval, and never while it has a temporary name (``*.tmp``, ``*.part``, hidden files):
  a writer that renames a finished file into place is picked up at the next poll.
- After its stories are committed, a file is moved to ``DIR/done/``, or to ``DIR/failed/`` when
  any of its items failed, with ``NAME.why.txt`` beside it saying what happened.
- Restart-safe: a file leaves DIR only after its stories are committed, so a crash at any moment
  leaves it to be read again, and reading it again changes nothing (stories are keyed by guid).
- One watcher a folder: an exclusive lock on ``DIR/.dateline-ingest.lock`` (released by the
  operating system if the process dies) stops a second one from reading the same files.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO

from dateline import batch

from .ingest import FileReport, Tally, in_version_order, ingest_file, is_candidate, parse_file
from .story import WireError

LOCK_NAME = ".dateline-ingest.lock"


class DropFolder:
    def __init__(
        self,
        root: Path,
        interval: float,
        section: str | None = None,
        log: Callable[[str], None] = print,
        housekeeping: Callable[[], object] | None = None,
    ):
        self.root = root
        self.interval = interval
        self.section = section
        self.log = log
        self.done = root / "done"
        self.failed = root / "failed"
        self.tally = Tally()
        self._seen: dict[str, tuple[int, int]] = {}
        self._lock: IO[str] | None = None
        self.stopping = False
        self.housekeeping = housekeeping  # run before each poll

    def __enter__(self) -> DropFolder:
        if not self.root.is_dir():
            raise WireError(f"{self.root} is not a folder")
        self.done.mkdir(exist_ok=True)
        self.failed.mkdir(exist_ok=True)
        lock = open(self.root / LOCK_NAME, "a+")  # noqa: SIM115 (held until __exit__)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(lock)
            lock.close()
            raise WireError(f"{self.root} is already being watched by {holder}; one watcher a folder") from None
        lock.truncate(0)
        lock.write(f"dateline ingest (pid {os.getpid()})\n")
        lock.flush()
        self._lock = lock
        return self

    def __exit__(self, *exc) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()

    def stable_files(self) -> list[Path]:
        """Files whose size and time have not changed since the previous poll (and are not brand new)."""
        ready, seen = [], {}
        now = time.time()
        for path in sorted(self.root.iterdir()):
            if not is_candidate(path):
                continue
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            signature = (stat.st_size, stat.st_mtime_ns)
            seen[path.name] = signature
            if self._seen.get(path.name) == signature and now - stat.st_mtime >= self.interval:
                ready.append(path)
        self._seen = seen
        return ready

    def poll(self) -> list[FileReport]:
        if self.housekeeping is not None:
            self.housekeeping()
        reports = []
        # The poll's files are read first, then applied in the agency's version order (a cancel whose
        # name sorts first still comes after the story it cancels); each is moved once it is applied.
        # The poll's stories share their index and purge work (dateline/batch.py), flushed within a second.
        with batch.run():
            for parsed in in_version_order([parse_file(path) for path in self.stable_files()]):
                if self.stopping:
                    break
                path = parsed.path
                report = ingest_file(path, self.section, parsed)
                self._file_away(path, report)
                self.tally.add(report)
                reports.append(report)
                self._seen.pop(path.name, None)
                state = "failed" if report.failed else "done"
                self.log(f"{path.name} -> {state}/: " + ("; ".join(report.lines()) or "nothing in it"))
        return reports

    def run(self, polls: int | None = None) -> Tally:
        count = 0
        while not self.stopping and (polls is None or count < polls):
            self.poll()
            count += 1
            if polls is None or count < polls:
                time.sleep(self.interval)
        return self.tally

    def _file_away(self, path: Path, report: FileReport) -> None:
        folder = self.failed if report.failed else self.done
        target = _free_name(folder, path.name)
        if report.failed or report.skipped or any(result.notes for _, result in report.results):
            why = folder / (target.name + ".why.txt")
            stamp = datetime.now().astimezone().isoformat(timespec="seconds")
            temp = why.with_name(why.name + ".tmp")
            temp.write_text(f"{path.name}, {stamp}\n" + "\n".join(report.lines()) + "\n", encoding="utf-8")
            os.replace(temp, why)
        os.replace(path, target)


def _holder(lock: IO[str], bound: float = 1.0) -> str:
    """Who holds the folder's lock, as it wrote in the lock file. A watcher takes the lock, then writes
    its name: one starting at the same moment may read the file between the two, so it reads again
    until the name is there (at most BOUND seconds)."""
    deadline = time.monotonic() + bound
    while True:
        lock.seek(0)
        text = lock.read().strip()
        if text or time.monotonic() >= deadline:
            return text or "another process"
        time.sleep(0.01)


def _free_name(folder: Path, name: str) -> Path:
    """NAME, or STEM-2.EXT, STEM-3.EXT ... when an earlier file of that name is already there."""
    target, n = folder / name, 2
    stem, suffix = Path(name).stem, Path(name).suffix
    while target.exists():
        target, n = folder / f"{stem}-{n}{suffix}", n + 1
    return target
