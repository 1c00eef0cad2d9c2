"""dateline generate-archive N [--per-day K]: N generated live stories, for benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from dateline.demo.archive import generate
from dateline.news.generation import bump_generation


class Command(BaseCommand):
    help = ("Add N generated, live stories (K a day, back from now) across the sections, written in bulk "
            "for benchmarks: no revisions, not in the search index. Run 'dateline load-demo' first.")

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--per-day", type=int, default=30)

    def handle(self, *args, count, per_day, **options):
        if count < 1 or per_day < 1:
            raise CommandError("N and --per-day must be at least 1")
        try:
            made = generate(count, per_day=per_day)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        bump_generation()
        self.stdout.write(f"generated {made} stories")
