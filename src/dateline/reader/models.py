"""What the reader tools keep: a log of e-mailed stories, which is also the rate limiter's
memory (in the database, so every server process sees the same counts)."""

from django.db import models


class SentStoryEmail(models.Model):
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)
    page = models.ForeignKey("wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+")
    client = models.CharField(max_length=64, db_index=True, help_text="Keyed hash of the client's address.")
    sender = models.EmailField(db_index=True)
    recipients = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.sender} -> {self.recipients} recipient(s) at {self.sent_at:%Y-%m-%d %H:%M}"
