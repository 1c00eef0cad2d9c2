"""dateline restore DIR: bring this install back to a backup (checked against its manifest first)."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dateline.backup.snapshot import BackupError, restore, verify


class Command(BaseCommand):
    help = (
        "Restore the database and media files from a backup folder made by `dateline backup`, after checking "
        "every file against the manifest. Replaces what this install holds: stop the servers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path)
        parser.add_argument("--check", action="store_true", help="only check the backup against its manifest")

    def handle(self, dir, check, **options):
        try:
            if check:
                manifest = verify(dir)
                self.stdout.write(f"{dir}: {len(manifest['files'])} files match the manifest ({manifest['created']})")
                return
            manifest = restore(dir)
        except BackupError as error:
            raise CommandError(str(error)) from None
        call_command("migrate", interactive=False, verbosity=0)  # a backup from an older release is brought up to date
        self.stdout.write(f"restored the backup of {manifest['created']} from {dir}")
