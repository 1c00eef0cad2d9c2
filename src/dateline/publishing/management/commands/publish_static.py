"""dateline publish-static DIR: every public page as a file, kept current on each publish from now on."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from dateline.publishing import static
from dateline.publishing.footprint import site_urls


class Command(BaseCommand):
    help = (
        "Write every public page (all page numbers, single and print pages, lists, feeds, sitemaps) and the "
        "static assets under DIR, and keep DIR current on every publish, edit and unpublish from now on."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path)
        parser.add_argument(
            "--recent",
            type=int,
            metavar="DAYS",
            help="story pages only for the last DAYS days (for a large archive: nginx sends older "
            "stories to the app); lists, feeds and sitemaps are always written",
        )
        parser.add_argument("--forget", action="store_true", help="stop keeping DIR current (its files stay)")

    def handle(self, dir, forget, recent, verbosity, **options):
        if forget:
            if not static.forget(dir):
                raise CommandError(f"{dir} is not a static folder Dateline keeps current")
            self.stdout.write(f"{dir}: no longer kept current")
            return
        if dir.exists() and not dir.is_dir():
            raise CommandError(f"{dir} exists and is not a folder")
        call_command("collectstatic", interactive=False, verbosity=0)
        urls = site_urls(recent)
        tally = static.publish_all(dir, urls)
        self.stdout.write(
            f"{dir}: {len(urls)} addresses; {tally.written} files written, {tally.unchanged} unchanged, "
            f"{tally.removed} removed; kept current on every publish from now on"
        )
        if tally.failed:
            raise CommandError(f"{len(tally.failed)} addresses failed to render: {', '.join(tally.failed[:10])}")
