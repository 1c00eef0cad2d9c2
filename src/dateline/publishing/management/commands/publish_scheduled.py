"""Wagtail's publish_scheduled, which first settles purges a killed process left owed, and refuses to
publish a scheduled story that fails the publishing checks (no headline, no body paragraph).

`dateline serve --scheduler N` runs this every N seconds, and cron runs it every minute in
production, so an owed purge is paid within a minute even when no ingest runs.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailPublishScheduled
from wagtail.models import Revision

from dateline.news.models import ArticlePage
from dateline.news.signals import housekeeping


class Command(WagtailPublishScheduled):
    def handle(self, *args, **options):
        housekeeping.send(sender=Command)
        if not options.get("dryrun"):
            self.refuse_unpublishable()
        return super().handle(*args, **options)

    def refuse_unpublishable(self) -> None:
        article_type = ContentType.objects.get_for_model(ArticlePage)
        due = Revision.page_revisions.filter(
            approved_go_live_at__lt=timezone.now(), content_type=article_type
        ).select_related("content_type")
        for revision in due:
            problems = revision.as_object().publishing_problems()
            if problems:
                Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
                self.stdout.write(
                    f"not published: {revision.object_str!r} (revision {revision.pk}): "
                    + "; ".join(problems)
                    + ". It stays a draft for an editor to finish."
                )
