"""What the wire desk remembers of agency items beyond the pages they became."""

from django.db import models


class WireKill(models.Model):
    """A kill or withdrawal for a guid no page carries (yet): a tombstone.

    Agencies' feeds do not arrive in order. A cancel that comes before the story it cancels is
    kept here, so that story (an older or equal version) is refused as stale when it comes,
    instead of being published. A later version, if the agency sends one, publishes as usual.
    """

    guid = models.CharField(max_length=255, unique=True)
    version = models.PositiveIntegerField()
    version_created = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, help_text="withdrawn or canceled")
    note = models.TextField(blank=True, help_text="The agency's note, if it sent one.")
    received_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "wire kill"

    def __str__(self) -> str:
        return f"{self.guid} {self.status} at version {self.version}"
