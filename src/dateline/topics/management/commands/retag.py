"""dateline retag: find the topics of every live story again (after topics were added or changed)."""

from django.core.management.base import BaseCommand

from dateline.news.models import ArticlePage
from dateline.topics.tagging import tag_story


class Command(BaseCommand):
    help = "Tag every live story with the topics it names (editors' choices kept)."

    def handle(self, *args, **options):
        count = links = 0
        for page in ArticlePage.objects.live().iterator(chunk_size=500):
            links += len(tag_story(page))
            count += 1
        self.stdout.write(f"tagged {count} stories: {links} story-topic links")
