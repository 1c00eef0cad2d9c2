"""dateline suggest-topics: propose topics from names the archive repeats; --accept adds them."""

from django.core.management.base import BaseCommand, CommandError

from dateline.news.models import ArticlePage
from dateline.topics.models import Topic
from dateline.topics.suggest import suggest
from dateline.topics.tagging import tag_story


class Command(BaseCommand):
    help = (
        "List capitalised names that several live stories mention and no topic covers, with counts; "
        "add one with --accept NAME [--kind person|organisation|place|subject]."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-stories", type=int, default=2, help="named in at least this many stories (default 2)"
        )
        parser.add_argument("--limit", type=int, default=40)
        parser.add_argument(
            "--recent", type=int, default=5000, help="read this many of the newest stories (default 5000)"
        )
        parser.add_argument(
            "--accept", metavar="NAME", action="append", default=[], help="create this topic and re-tag"
        )
        parser.add_argument("--kind", default="subject", choices=[k for k, _ in Topic.Kind.choices])

    def handle(self, *args, min_stories, limit, recent, accept, kind, **options):
        if accept:
            for name in accept:
                topic, created = Topic.objects.get_or_create(name=name, defaults={"kind": kind})
                self.stdout.write(
                    f"{'created' if created else 'exists'}: {topic.name} ({topic.get_kind_display()}) {topic.url}"
                )
            tagged = sum(1 for page in ArticlePage.objects.live().iterator(chunk_size=500) if tag_story(page) or True)
            self.stdout.write(f"re-tagged {tagged} stories")
            return
        if min_stories < 1 or limit < 1:
            raise CommandError("--min-stories and --limit must be at least 1")
        known = {alias for topic in Topic.objects.all() for alias in topic.alias_list()}
        pages = ArticlePage.objects.live().order_by("-published_at")[:recent]
        rows = suggest(pages, known, min_stories)[:limit]
        if not rows:
            self.stdout.write("no new names found")
            return
        self.stdout.write(f"{'name':<40} {'stories':>7} {'mentions':>8}")
        for name, mentions, stories in rows:
            self.stdout.write(f"{name:<40} {stories:>7} {mentions:>8}")
        self.stdout.write('accept one with: dateline suggest-topics --accept "NAME" --kind person')
