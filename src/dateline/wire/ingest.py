"""Files -> stories -> pages: format detection, the size cap, and a tally of what happened.

Used by ``dateline ingest`` (files and folders) and by the drop folder. Every file is read on
its own and every story is imported in its own transaction, so one bad file or story costs
only itself.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

from dateline import batch
from dateline.backends.tasks import held_tasks
from dateline.news.formatting import plain_text

from . import parsers
from .importer import ImportResult, import_story
from .parsers import plaintext
from .parsers.common import NotAStory
from .story import EARLIEST, WireError, WireStory

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


@dataclass
class ParsedFile:
    """A file read and parsed, not yet imported: its format and items, or why it could not be read."""

    path: Path
    format: str = ""
    items: list[tuple[str, WireStory | WireError]] = field(default_factory=list)
    error: WireError | None = None

    @property
    def order_key(self) -> tuple:
        """Where the file goes in a run: by the agency's version order of its stories (``in_version_order``)."""
        keys = [outcome.version_key for _, outcome in self.items if isinstance(outcome, WireStory)]
        return min(keys) if keys else UNORDERED


UNORDERED = (0, EARLIEST, 0)


def parse_file(path: Path) -> ParsedFile:
    """Read, detect and parse one file. Never raises: a file that cannot be read carries its error."""
    parsed = ParsedFile(path)
    try:
        data = read_file(path)
        parsed.format = parsers.detect(path, data)
        received = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
        parsed.items = parsers.parse(data, parsed.format, received=received)
    except WireError as exc:
        parsed.error = exc
    return parsed


def parse_files(paths: Iterable[Path]) -> list[ParsedFile]:
    """``parse_file`` for each of PATHS."""
    return [parse_file(path) for path in paths]


def in_version_order(files: list[ParsedFile]) -> list[ParsedFile]:
    """The files of one run (a folder, a batch, a drop-folder poll) in an order that applies the items of
    any one guid as the agency numbered them (version, then versionCreated, a kill after a usable copy
    of its version), whatever the file names or the order of arrival. Files with equal keys keep theirs."""
    for parsed in files:
        parsed.items.sort(key=lambda pair: pair[1].version_key if isinstance(pair[1], WireStory) else UNORDERED)
    return sorted(files, key=lambda parsed: parsed.order_key)


def wanted_language(outcome: WireStory | WireError) -> WireStory | WireError:
    """A language version of a several-language item in none of the site's languages is skipped, saying why."""
    if isinstance(outcome, WireStory) and outcome.language_version_of:
        wanted = [code.lower().split("-")[0] for code in settings.DATELINE_LANGUAGES]
        if outcome.language.lower().split("-")[0] not in wanted:
            return NotAStory(
                f"the {outcome.language} version of {outcome.language_version_of}: not one of the site's "
                f"languages (DATELINE_LANGUAGES={','.join(settings.DATELINE_LANGUAGES)})"
            )
    return outcome


def read_story(path: Path) -> WireStory:
    """The one story in a plain-text capture file (import-text, the demo stories)."""
    return plaintext.parse_bytes(read_file(path))


@dataclass
class FileReport:
    path: Path
    format: str = ""  # what the file was detected as (a key of parsers.FORMATS), "" if not even that
    results: list[tuple[str, ImportResult]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # not text stories, with the reason
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def _prefix(self, label: str) -> str:
        fmt = f"[{self.format or 'unknown format'}] "
        return fmt if label in ("", self.path.name) else f"{fmt}{label}: "  # no label when it is the file's name

    def info_lines(self) -> list[str]:
        out = [f"{self._prefix(label)}{result.describe()}" for label, result in self.results]
        return out + [f"{self._prefix(label)}skipped: {reason}" for label, reason in self.skipped]

    def error_lines(self) -> list[str]:
        return [f"{self._prefix(label)}error: {reason}" for label, reason in self.errors]

    def lines(self) -> list[str]:
        """One line an item: what became of it."""
        return self.info_lines() + self.error_lines()


def ingest_file(
    path: Path, section: str | None = None, parsed: ParsedFile | None = None, media: Path | None = None
) -> FileReport:
    """Import every story of one file (parsed already, or now), each in its own transaction.

    Pictures are looked for beside the file, or, for a WordPress export, in MEDIA (its uploads folder)."""
    parsed = parsed or parse_file(path)
    report = FileReport(path, parsed.format)
    for label, story, pictures in readable_stories(parsed, report, media):
        try:
            with held_tasks():  # its index work once, after it commits (dateline/backends/tasks.py)
                result = import_story(story, section=section, base_dir=pictures)
            report.results.append((label, result))
        except WireError as exc:
            batch.forget()
            report.errors.append((label, str(exc)))
        except Exception as exc:  # a bug or a database failure: this story fails, the batch goes on
            batch.forget()
            logger.exception("%s: %s could not be imported", path, label)
            report.errors.append((label, f"internal error ({exc.__class__.__name__}: {exc}); see the log"))
        batch.story_done()
    return report


def readable_stories(
    parsed: ParsedFile, report: FileReport, media: Path | None = None
) -> list[tuple[str, WireStory, Path]]:
    """The stories of a parsed file to import, each with its label and where its pictures are; what is not
    a story (skipped) or cannot be read (an error) goes into REPORT, saying why."""
    path = parsed.path
    if isinstance(parsed.error, NotAStory):
        report.skipped.append((path.name, str(parsed.error)))
        return []
    if parsed.error is not None:
        what = parsers.FORMATS[parsed.format][0] if parsed.format else "unknown format"
        report.errors.append((path.name, f"{parsed.error} (read as {what})" if parsed.format else str(parsed.error)))
        return []
    pictures = media if media is not None and parsed.format == "wxr" else path.parent
    stories = []
    for label, outcome in parsed.items:
        outcome = wanted_language(outcome)
        if isinstance(outcome, NotAStory):
            report.skipped.append((label, str(outcome)))
        elif isinstance(outcome, WireError):
            report.errors.append((label, str(outcome)))
        else:
            stories.append((label, outcome, pictures))
    return stories


def ingest_batch(
    paths: Iterable[Path], section: str | None = None, chunk: int = 2000, media: Path | None = None
) -> Iterator[FileReport]:
    """Ingest files, CHUNK at a time: each chunk is parsed first and applied in version order."""
    for pending in chunks(paths, chunk):
        yield from _ingest_chunk(pending, section, media)


def chunks(paths: Iterable[Path], size: int) -> Iterator[list[Path]]:
    """PATHS, SIZE at a time (the last chunk shorter), read lazily."""
    pending: list[Path] = []
    for path in paths:
        pending.append(path)
        if len(pending) >= size:
            yield pending
            pending = []
    if pending:
        yield pending


def _ingest_chunk(paths: list[Path], section: str | None, media: Path | None = None) -> Iterator[FileReport]:
    for parsed in in_version_order(parse_files(paths)):
        yield ingest_file(parsed.path, section, parsed, media)


@dataclass
class Tally:
    ingested: int = 0
    updated: int = 0
    withdrawn: int = 0
    ignored: int = 0
    skipped: int = 0
    failed: int = 0
    files: int = 0
    held: int = 0  # of the ingested: waiting on the wire desk
    discarded: int = 0

    def add(self, report: FileReport) -> None:
        self.files += 1
        for _, result in report.results:
            if result.action in ("created", "held"):
                self.ingested += 1
                self.held += result.action == "held"
            elif result.action == "updated":
                self.updated += 1
            elif result.action == "withdrawn":
                self.withdrawn += 1
            elif result.action == "discarded":
                self.discarded += 1
            else:
                self.ignored += 1
        self.skipped += len(report.skipped)
        self.failed += len(report.errors)

    def summary(self) -> str:
        return (
            f"{self.files} file(s): ingested {self.ingested}, updated {self.updated}, withdrawn {self.withdrawn}, "
            f"ignored {self.ignored} (same or older versions), skipped {self.skipped} (not text stories), "
            f"failed {self.failed}"
            + (f"; held on the wire desk {self.held}" if self.held else "")
            + (f"; discarded by rules {self.discarded}" if self.discarded else "")
        )


def is_candidate(path: Path) -> bool:
    """Files a batch or the drop folder reads: not hidden, not still being written under a temp name."""
    name = path.name
    return path.is_file() and not name.startswith(".") and not name.lower().endswith(SKIP_SUFFIXES)


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; folders walked in name order, skipping hidden files and done/ and failed/.

    A folder is read one level at a time (the order of ``sorted(folder.rglob("*"))``: a sub-folder's
    files come where its name sorts), so a back-file of 100,000 files is never held as 100,000 Path
    objects at once (about 60 MB)."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        else:
            yield path


def _walk(folder: Path) -> Iterator[Path]:
    with os.scandir(folder) as found:
        entries = sorted((entry.name, entry.is_dir(follow_symlinks=False)) for entry in found)
    for name, is_dir in entries:
        child = folder / name
        if is_dir:
            if not name.startswith(".") and name not in ("done", "failed"):
                yield from _walk(child)
        elif is_candidate(child):
            yield child


DRY_RUN_COLUMNS = (
    ("file", 24),
    ("format", 10),
    ("guid", 34),
    ("ver", 4),
    ("status", 9),
    ("headline", 40),
    ("byline", 22),
    ("dateline", 14),
    ("agency", 10),
    ("section", 12),
    ("rule", 20),
    ("paras", 5),
    ("first words", 36),
)


def dry_run(paths: Iterable[Path], section: str | None = None) -> tuple[list[dict[str, str]], int]:
    """What ``dateline ingest`` would write for every item, in the order it would apply them; nothing is
    written. Returns the rows and the number of items that would fail."""
    from .importer import section_slug
    from .models import IngestRule, WireKill
    from .rules import decide

    rules = list(IngestRule.objects.filter(enabled=True).order_by("sort_order", "pk"))

    rows, failures = [], 0
    for parsed in in_version_order(parse_files(paths)):
        base = {"file": parsed.path.name, "format": parsed.format or "?"}
        if parsed.error is not None:
            skipped = isinstance(parsed.error, NotAStory)
            failures += 0 if skipped else 1
            rows.append({**base, "status": "skipped" if skipped else "FAILED", "headline": str(parsed.error)})
            continue
        for label, outcome in parsed.items:
            outcome = wanted_language(outcome)
            if isinstance(outcome, WireError):
                skipped = isinstance(outcome, NotAStory)
                failures += 0 if skipped else 1
                status = "skipped" if skipped else "FAILED"
                rows.append({**base, "guid": label, "status": status, "headline": str(outcome)})
                continue
            status = outcome.pub_status
            if not outcome.withdrawn and WireKill.objects.filter(guid=outcome.guid).exists():
                status = "killed"  # a kill already recorded: this copy would be refused
            words = " ".join(plain_text(outcome.paragraphs[0]).split()[:8]) if outcome.paragraphs else ""
            rows.append(
                {
                    **base,
                    "guid": outcome.guid,
                    "ver": str(outcome.version),
                    "status": status,
                    "headline": outcome.headline,
                    "byline": outcome.byline,
                    "dateline": outcome.dateline,
                    "agency": outcome.agency,
                    "section": "" if outcome.withdrawn else section_slug(outcome, section),
                    "rule": "kill: at once"
                    if outcome.withdrawn
                    else (lambda d: f"{d.action}: {d.rule}")(decide(outcome, section_slug(outcome, section), rules)),
                    "paras": str(len(outcome.paragraphs)),
                    "first words": words,
                }
            )
    return rows, failures


def format_table(rows: list[dict[str, str]]) -> list[str]:
    """Rows as fixed-width lines, each cell cut to its column with an ellipsis."""

    def cell(value: str, width: int) -> str:
        value = " ".join(str(value or "").split())
        return (value[: width - 1] + "…" if len(value) > width else value).ljust(width)

    header = "  ".join(cell(name, width) for name, width in DRY_RUN_COLUMNS).rstrip()
    lines = [header, "-" * len(header)]
    lines += ["  ".join(cell(row.get(name, ""), width) for name, width in DRY_RUN_COLUMNS).rstrip() for row in rows]
    return lines
