"""dateline generate-archive N [--per-day K]: N generated live stories, for benchmarks."""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dateline.demo.archive import generate
from dateline.feeds.sitemaps import forget_month
from dateline.news.generation import bump_generation
from dateline.news.models import ArticlePage
from dateline.topics.models import Topic


class Command(BaseCommand):
    help = (
        "Add N generated, live stories (K a day, back from now) across the sections, written in bulk "
        "for benchmarks: no revisions, not in the search index. Run 'dateline load-demo' first."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--per-day", type=int, default=30)
        parser.add_argument(
            "--mention-topics",
            action="store_true",
            help="name three existing topics in each story (then run 'dateline retag')",
        )

    def handle(self, *args, count, per_day, mention_topics, **options):
        if count < 1 or per_day < 1:
            raise CommandError("N and --per-day must be at least 1")
        try:
            mention = list(Topic.objects.values_list("name", flat=True)) if mention_topics else None
            if mention_topics and len(mention) < 3:
                raise CommandError("--mention-topics needs at least three topics")
            made = generate(count, per_day=per_day, mention=mention)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        bump_generation()
        for story in ArticlePage.objects.filter(source_guid__startswith="urn:dateline:archive:").dates(
            "published_at", "month"
        ):
            forget_month(timezone.make_aware(datetime(story.year, story.month, 15)))  # written in bulk: no signals
        self.stdout.write(f"generated {made} stories")
