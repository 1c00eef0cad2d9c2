"""dateline import-text FILE... [--section SLUG]: import plain-text captures of wire stories."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dateline.wire.importer import import_story
from dateline.wire.parsers import plaintext
from dateline.wire.story import WireError

MAX_BYTES = 5 * 1024 * 1024


class Command(BaseCommand):
    help = "Import plain-text captures of wire-story pages; re-importing a file updates its story."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--section", metavar="SLUG", help="section for new stories (default: DATELINE_DEFAULT_SECTION)")

    def handle(self, *args, files, section, **options):
        failed = 0
        for name in files:
            try:
                result = import_story(parse_file(Path(name)), section=section)
            except WireError as exc:
                failed += 1
                self.stderr.write(f"{name}: error: {exc}")
                continue
            self.stdout.write(f"{name}: {result.describe()}")
        if failed:
            raise CommandError(f"{failed} of {len(files)} file(s) could not be imported")


def parse_file(path: Path):
    try:
        if path.stat().st_size > MAX_BYTES:
            raise WireError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise WireError(f"cannot read the file: {exc.strerror}") from None
    return plaintext.parse_bytes(data)
