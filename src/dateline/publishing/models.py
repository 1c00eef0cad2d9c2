"""Where each story was last seen: the addresses to purge when it changes again."""

from django.db import models


class Footprint(models.Model):
    """The public addresses (paths, no query string) that showed a story at its last publish.

    Kept so that the next change purges the old addresses too: a story moved to another section,
    given another author or a new slug is cleared from the pages that listed it before.
    """

    page_id = models.BigIntegerField(primary_key=True)
    urls = models.JSONField(null=True, default=None, help_text="None: not known (never purged yet)")
    # Set in the transaction that changes the story, cleared once its purge has run after the
    # commit: a process killed in between leaves it set, and the next ingest purges it then.
    pending = models.BooleanField(default=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"page {self.page_id}: {len(self.urls or [])} addresses"


class StaticTarget(models.Model):
    """A folder ``dateline publish-static`` wrote, kept current on every publish from then on."""

    path = models.CharField(max_length=500, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.path
