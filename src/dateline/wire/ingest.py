"""Files -> stories -> pages: format detection, the size cap, and a tally of what happened.

Used by ``dateline ingest`` (files and folders) and by the drop folder. Every file is read on
its own and every story is imported in its own transaction, so one bad file or story costs
only itself.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from .importer import ImportResult, import_story
from .parsers import newsmlg2, ninjs, plaintext
from .parsers.common import NotAStory
from .story import WireError, WireStory

logger = logging.getLogger(__name__)

SKIP_SUFFIXES = (".tmp", ".part", ".partial", ".crdownload", "~", ".why.txt")


def read_file(path: Path) -> bytes:
    limit = settings.DATELINE_WIRE_MAX_BYTES
    try:
        if path.stat().st_size > limit:
            raise WireError(f"the file is larger than the {limit // (1024 * 1024)} MB cap (DATELINE_WIRE_MAX_MB)")
        return path.read_bytes()
    except OSError as exc:
        raise WireError(f"cannot read the file: {exc.strerror}") from None


def detect_format(path: Path, data: bytes) -> str:
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"{":
        return "ninjs"
    if start == b"<":
        return "newsml-g2"
    if path.suffix.lower() in (".txt", ".text", "") and data.strip():
        return "text"
    if not data.strip():
        raise WireError("the file is empty")
    raise WireError("not NewsML-G2 (XML), ninjs (JSON) or a plain-text story")


def parse_file(path: Path) -> list[tuple[str, WireStory | WireError]]:
    """(label, story or error) for every item in the file; a file-wide problem raises WireError."""
    data = read_file(path)
    kind = detect_format(path, data)
    if kind == "newsml-g2":
        return newsmlg2.parse_items(data)
    parser = ninjs if kind == "ninjs" else plaintext
    try:
        story = parser.parse_bytes(data)
    except WireError as exc:
        return [(path.name, exc)]
    return [(story.guid, story)]


def read_story(path: Path) -> WireStory:
    """The one story in a plain-text capture file (import-text, the demo stories)."""
    return plaintext.parse_bytes(read_file(path))


@dataclass
class FileReport:
    path: Path
    results: list[tuple[str, ImportResult]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # not text stories, with the reason
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def _prefix(self, label: str) -> str:
        return "" if label == self.path.name else f"{label}: "  # no label when it is just the file's name

    def info_lines(self) -> list[str]:
        out = [f"{self._prefix(label)}{result.describe()}" for label, result in self.results]
        return out + [f"{self._prefix(label)}skipped: {reason}" for label, reason in self.skipped]

    def error_lines(self) -> list[str]:
        return [f"{self._prefix(label)}error: {reason}" for label, reason in self.errors]

    def lines(self) -> list[str]:
        """One line an item: what became of it."""
        return self.info_lines() + self.error_lines()


def ingest_file(path: Path, section: str | None = None) -> FileReport:
    report = FileReport(path)
    try:
        items = parse_file(path)
    except NotAStory as exc:
        report.skipped.append((path.name, str(exc)))
        return report
    except WireError as exc:
        report.errors.append((path.name, str(exc)))
        return report
    for label, outcome in items:
        if isinstance(outcome, NotAStory):
            report.skipped.append((label, str(outcome)))
        elif isinstance(outcome, WireError):
            report.errors.append((label, str(outcome)))
        else:
            try:
                report.results.append((label, import_story(outcome, section=section, base_dir=path.parent)))
            except WireError as exc:
                report.errors.append((label, str(exc)))
            except Exception as exc:  # a bug or a database failure: this story fails, the batch goes on
                logger.exception("%s: %s could not be imported", path, label)
                report.errors.append((label, f"internal error ({exc.__class__.__name__}: {exc}); see the log"))
    return report


@dataclass
class Tally:
    ingested: int = 0
    updated: int = 0
    withdrawn: int = 0
    ignored: int = 0
    skipped: int = 0
    failed: int = 0
    files: int = 0

    def add(self, report: FileReport) -> None:
        self.files += 1
        for _, result in report.results:
            if result.action == "created":
                self.ingested += 1
            elif result.action == "updated":
                self.updated += 1
            elif result.action == "withdrawn":
                self.withdrawn += 1
            else:
                self.ignored += 1
        self.skipped += len(report.skipped)
        self.failed += len(report.errors)

    def summary(self) -> str:
        return (
            f"{self.files} file(s): ingested {self.ingested}, updated {self.updated}, withdrawn {self.withdrawn}, "
            f"ignored {self.ignored} (same or older versions), skipped {self.skipped} (not text stories), "
            f"failed {self.failed}"
        )


def is_candidate(path: Path) -> bool:
    """Files a batch or the drop folder reads: not hidden, not still being written under a temp name."""
    name = path.name
    return path.is_file() and not name.startswith(".") and not name.lower().endswith(SKIP_SUFFIXES)


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders walked in name order, skipping hidden files and done/ and failed/."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path).parts
                if any(part.startswith(".") or part in ("done", "failed") for part in relative[:-1]):
                    continue
                if is_candidate(child):
                    yield child
        else:
            yield path
