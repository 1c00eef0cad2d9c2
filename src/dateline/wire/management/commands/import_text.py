"""dateline import-text FILE... [--section SLUG]: import plain-text captures of wire stories."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dateline.wire.importer import import_story
from dateline.wire.ingest import read_story
from dateline.wire.story import WireError


class Command(BaseCommand):
    help = "Import plain-text captures of wire-story pages; re-importing a file updates its story."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--section", metavar="SLUG", help="section for new stories (default: DATELINE_DEFAULT_SECTION)"
        )

    def handle(self, *args, files, section, **options):
        failed = 0
        for name in files:
            path = Path(name)
            try:
                result = import_story(read_story(path), section=section, base_dir=path.parent)
            except WireError as exc:
                failed += 1
                self.stderr.write(f"{name}: error: {exc}")
                continue
            self.stdout.write(f"{name}: {result.describe()}")
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) could not be imported")
