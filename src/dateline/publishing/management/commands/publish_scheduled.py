"""Wagtail's publish_scheduled, which first settles purges a killed process left owed.

`dateline serve --scheduler N` runs this every N seconds, and cron runs it every minute in
production, so an owed purge is paid within a minute even when no ingest runs.
"""

from wagtail.management.commands.publish_scheduled import Command as WagtailPublishScheduled

from dateline.news.signals import housekeeping


class Command(WagtailPublishScheduled):
    def handle(self, *args, **options):
        housekeeping.send(sender=Command)
        return super().handle(*args, **options)
