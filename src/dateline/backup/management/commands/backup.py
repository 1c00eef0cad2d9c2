"""dateline backup DIR: a consistent snapshot of the database and media, with a manifest and checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dateline.backup.snapshot import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent backup (database, media files, manifest with checksums) to the new folder DIR."

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path)

    def handle(self, dir, **options):
        try:
            manifest = backup(dir)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = sum(entry["size"] for entry in manifest["files"].values())
        self.stdout.write(
            f"{dir}: {manifest['database']} database and {len(manifest['files']) - 1} media files, "
            f"{size / 1e6:.1f} MB, checksums in manifest.json"
        )
