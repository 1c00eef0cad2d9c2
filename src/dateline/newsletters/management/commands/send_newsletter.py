"""`dateline send-newsletter LIST`: queue the list's edition now, as the admin's "Send now" does.

The list's waiting edition (a draft or a scheduled one, the newest) is queued; with none waiting,
one is assembled now. A running `dateline worker` sends it (or `dateline worker --burst`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dateline.newsletters import editions, sending
from dateline.newsletters.models import Edition, NewsletterList


class Command(BaseCommand):
    help = "Assemble (when none is waiting) and queue a newsletter list's edition now."

    def add_arguments(self, parser):
        parser.add_argument("list", metavar="LIST", help="the list's slug (see /newsletters/ or the admin)")

    def handle(self, *args, **options):
        slug = options["list"]
        newsletter = NewsletterList.objects.filter(slug=slug).first()
        if newsletter is None:
            known = ", ".join(NewsletterList.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"no newsletter list {slug!r} (lists: {known})")
        if not newsletter.active:
            raise CommandError(f"the list {slug!r} is not active: make it active in the admin first")
        waiting = newsletter.editions.filter(status__in=[Edition.Status.DRAFT, Edition.Status.SCHEDULED]).first()
        if waiting is None:
            try:
                waiting = editions.assemble_now(newsletter)
            except ValueError as problem:
                raise CommandError(str(problem)) from None
        if not sending.queue(waiting):
            raise CommandError(f"edition {waiting.pk} could not be queued (it is {waiting.status})")
        count = len(sending.recipients(newsletter))
        self.stdout.write(f"queued edition {waiting.pk} of {slug}: {waiting.subject!r}, to {count} subscribers")
