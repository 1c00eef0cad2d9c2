"""dateline ingest PATH... [--dry-run] [--media DIR] | --watch DIR: every format the registry reads, into pages."""

import signal
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dateline import batch
from dateline.news.signals import housekeeping
from dateline.wire.bulk import RUN_SIZE, ingest_bulk
from dateline.wire.dropfolder import DropFolder
from dateline.wire.ingest import Tally, dry_run, expand, format_table, ingest_batch
from dateline.wire.story import WireError


def settle() -> None:
    housekeeping.send(sender=Command)


class Command(BaseCommand):
    help = (
        "Ingest agency copy (NewsML-G2, NewsML 1.2, NITF, ninjs 1.x-3.x and API envelopes, IPTC 7901 / ANPA 1312 "
        "text wires, e-mail, plain-text captures) and WordPress exports from files and folders, or keep watching "
        "a drop folder with --watch."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (folders are walked)")
        parser.add_argument(
            "--watch", metavar="DIR", help="poll DIR for new files; move each to DIR/done or DIR/failed"
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="seconds between polls of the drop folder (default: DATELINE_WATCH_INTERVAL)",
        )
        parser.add_argument(
            "--polls", type=int, default=None, help="stop after this many polls (default: run until stopped)"
        )
        parser.add_argument(
            "--media",
            metavar="DIR",
            help="a WordPress export's uploads folder: featured images are read from it (wp-content/uploads)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print what every item would become (format, guid, version, status, headline, byline, dateline, "
            "agency, section, paragraphs, first words) as a table, and change nothing",
        )
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="a back-file (an archive, a move from another system): new stories are written a chunk at a "
            "time and the site's lists are purged every 10,000 stories and at the end (wire/bulk.py)",
        )
        parser.add_argument(
            "--section",
            metavar="SLUG",
            help="section for new stories (default: from their subjects, else DATELINE_DEFAULT_SECTION)",
        )

    def handle(
        self, *args, paths, watch, interval, polls, section, verbosity, dry_run=False, media=None, bulk=False, **options
    ):
        if bool(paths) == bool(watch):
            raise CommandError("give either files and folders to ingest, or --watch DIR")
        if bulk and (watch or dry_run):
            raise CommandError("--bulk reads files and folders once; it goes with neither --watch nor --dry-run")
        if dry_run:
            if watch:
                raise CommandError("--dry-run reads files and folders, not a drop folder (--watch)")
            return self.dry_run(paths, section)
        settle()  # what an earlier run, killed between a commit and its purge, left owed
        if watch:
            return self.watch(
                Path(watch), interval if interval is not None else settings.DATELINE_WATCH_INTERVAL, polls, section
            )
        missing = [p for p in paths if not Path(p).exists()]
        if missing:
            raise CommandError("no such file or folder: " + ", ".join(missing))
        files = [str(path) for path in expand(Path(p) for p in paths)]  # names: a tenth of the memory of Paths
        tally = Tally()
        progress = Progress(len(files), sys.stderr) if sys.stderr.isatty() and len(files) > 1 else None
        if media and not Path(media).is_dir():
            raise CommandError(f"--media {media}: not a folder")
        media_dir = Path(media) if media else None
        if bulk:  # the lists purged once every RUN_SIZE stories and at the end, never by the clock
            with batch.run(size=RUN_SIZE, seconds=None):
                for report in ingest_bulk(map(Path, files), section, media=media_dir):
                    self.report(report, tally, progress, verbosity)
        else:
            with batch.run():  # index and purge work shared by the run's stories (dateline/batch.py)
                for report in ingest_batch(map(Path, files), section, media=media_dir):
                    self.report(report, tally, progress, verbosity)
        if progress:
            progress.clear()
        self.stdout.write(tally.summary())
        if tally.failed:
            raise CommandError(f"{tally.failed} item(s) failed; the reasons are above")

    def report(self, report, tally, progress, verbosity):
        """One file's lines, as the run goes."""
        path = report.path
        tally.add(report)
        if progress:
            progress.clear()
        if verbosity >= 1:
            for line in report.info_lines():
                self.stdout.write(f"{path}: {line}")
        for line in report.error_lines():
            self.stderr.write(f"{path}: {line}")
        if progress:
            progress.step()

    def dry_run(self, paths, section):
        missing = [p for p in paths if not Path(p).exists()]
        if missing:
            raise CommandError("no such file or folder: " + ", ".join(missing))
        rows, failures = dry_run(list(expand(Path(p) for p in paths)), section)
        for line in format_table(rows):
            self.stdout.write(line)
        self.stdout.write(f"{len(rows)} item(s), {failures} would fail; nothing was written (--dry-run)")
        if failures:
            raise CommandError(f"{failures} item(s) would fail; the reasons are in the table")

    def watch(self, folder, interval, polls, section):
        def stop(signum, frame):
            watcher.stopping = True

        watcher = DropFolder(folder, interval, section, log=self.stdout.write, housekeeping=settle)
        try:
            with watcher:
                signal.signal(signal.SIGTERM, stop)
                self.stdout.write(f"watching {folder} every {interval:g} s (Ctrl-C to stop)")
                try:
                    watcher.run(polls)
                except KeyboardInterrupt:
                    pass
        except WireError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(watcher.tally.summary())
        if polls is not None and watcher.tally.failed:
            # A bounded run (--polls, as from cron) says so in its exit status; a watcher stopped by a
            # signal does not (its failures are in failed/ with their reasons).
            raise CommandError(f"{watcher.tally.failed} item(s) failed; they are in {folder / 'failed'}")


class Progress:
    """A one-line progress bar on a terminal: done/total, a bar and the rate."""

    def __init__(self, total: int, stream, width: int = 30):
        self.total, self.stream, self.width = total, stream, width
        self.done = 0
        self.started = time.monotonic()
        self.step(0)

    def step(self, n: int = 1) -> None:
        self.done += n
        filled = int(self.width * self.done / max(self.total, 1))
        rate = self.done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} files, {rate:.0f}/s"
        )
        self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r" + " " * (self.width + 40) + "\r")
        self.stream.flush()
