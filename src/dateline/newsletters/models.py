"""Newsletter lists, their subscribers (double opt-in) and the addresses never to write to again."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


def new_key() -> str:
    return secrets.token_hex(16)


def address_hash(address: str) -> str:
    """What a suppression keeps of an address: its SHA-256 (the address itself is gone)."""
    return hashlib.sha256(address.encode()).hexdigest()


class NewsletterList(models.Model):
    class Kind(models.TextChoices):
        BRIEFING = "briefing", "Daily briefing"
        SECTION = "section", "Section digest"
        TOPIC = "topic", "Topic digest"
        BREAKING = "breaking", "Breaking news alerts"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=300, blank=True, help_text="One line on the sign-up form.")
    section = models.ForeignKey("news.SectionPage", null=True, blank=True, on_delete=models.CASCADE)
    topic = models.ForeignKey("topics.Topic", null=True, blank=True, on_delete=models.CASCADE)
    active = models.BooleanField(default=True, help_text="Offered on sign-up forms and sent.")
    sort_order = models.IntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def subscriber_count(self) -> int:
        """Confirmed and not paused: who an edition of this list goes to now."""
        return self.subscriptions.filter(subscriber__confirmed_at__isnull=False, subscriber__paused=False).count()

    subscriber_count.short_description = "Subscribers"  # type: ignore[attr-defined]


class Subscriber(models.Model):
    """An address that asked for newsletters. Nothing is sent to it before ``confirmed_at``."""

    email = models.EmailField(max_length=254, unique=True, help_text="Normalised: lower case, IDNA domain.")
    key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    paused = models.BooleanField(default=False)
    lists = models.ManyToManyField(NewsletterList, through="Subscription", related_name="subscribers")

    def __str__(self) -> str:
        return self.email

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    def delete(self, *args, **kwargs):
        """A subscriber deleted (at their request, from the admin) leaves only a hash of the address,
        so that nothing is sent to it again unless its owner signs up and confirms anew."""
        Suppression.record(self.email, Suppression.Reason.DELETED)
        return super().delete(*args, **kwargs)


class Subscription(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    newsletter = models.ForeignKey(NewsletterList, on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscriber", "newsletter"], name="one_subscription_a_list")]

    def __str__(self) -> str:
        return f"{self.subscriber} on {self.newsletter}"


class Suppression(models.Model):
    """An address nothing is sent to: unsubscribed, bounced, complained, or deleted at its owner's request."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Hard bounce"
        COMPLAINED = "complained", "Spam complaint"
        DELETED = "deleted", "Deleted on request"

    address_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.address_hash[:12]}...)"

    @classmethod
    def of(cls, address: str) -> Suppression | None:
        return cls.objects.filter(address_hash=address_hash(address)).first()

    @classmethod
    def record(cls, address: str, reason: str) -> None:
        """Suppress ``address``; a bounce or a complaint already recorded stays what it is (the
        address must not be signed up again by anyone but its owner, through a confirmation)."""
        row, made = cls.objects.get_or_create(address_hash=address_hash(address), defaults={"reason": reason})
        if not made and row.reason not in (cls.Reason.BOUNCED, cls.Reason.COMPLAINED) and row.reason != reason:
            row.reason = reason
            row.save(update_fields=["reason"])


class Edition(ClusterableModel):
    """One issue of a list: a briefing, a digest or an alert, as composed and, once queued, as sent.

    Its stories are chosen (by the assembly, then the editor); when it is queued its HTML and text
    are rendered once and kept, so every subscriber gets the same message and the admin shows what
    went out. A story killed or taken down while the edition is sending leaves it at once (sending.py).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"

    newsletter = models.ForeignKey(NewsletterList, on_delete=models.CASCADE, related_name="editions")
    subject = models.CharField(max_length=200)
    intro = models.TextField(blank=True, help_text="A note from the editors at the top (plain text).")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    send_at = models.DateTimeField(null=True, blank=True, help_text="When a scheduled edition goes out.")
    issue_key = models.CharField(
        max_length=60, blank=True, editable=False, help_text="Which day's briefing or digest, or which story's alert."
    )
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    html = models.TextField(blank=True, editable=False)
    text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "issue_key"], condition=~models.Q(issue_key=""), name="one_edition_an_issue"
            )
        ]

    def __str__(self) -> str:
        return f"{self.newsletter}: {self.subject}"

    def counts(self) -> dict[str, int]:
        found = dict(self.deliveries.values_list("status").annotate(n=models.Count("pk")).order_by())
        return {status: found.get(status, 0) for status in Delivery.Status.values}

    def progress(self) -> str:
        counts = self.counts()
        return ", ".join(f"{counts[value]} {label.lower()}" for value, label in Delivery.Status.choices)

    progress.short_description = "Deliveries"  # type: ignore[attr-defined]


class EditionStory(Orderable):
    edition = ParentalKey(Edition, on_delete=models.CASCADE, related_name="stories")
    story = models.ForeignKey("news.ArticlePage", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("story")]


class Delivery(models.Model):
    """One subscriber's copy of one edition: sent once, whatever happens to the workers.

    A worker claims a few pending rows (``owner``, ``lease_until``), and for each one marks it sent in
    the database just before the SMTP server is told the message is complete (the final "."): killed
    before that mark, the server drops the unfinished message and the row is sent again later; killed
    after it, the message was complete and is not sent again (sending.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"  # unsubscribed, suppressed or paused after the edition was queued

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    owner = models.CharField(max_length=120, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["edition", "subscriber"], name="one_copy_a_subscriber")]
        indexes = [models.Index(fields=["edition", "status", "next_attempt_at"], name="delivery_due")]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.edition} to {self.subscriber}: {self.status}"
