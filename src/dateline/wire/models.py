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


class IngestRule(models.Model):
    """What happens to an agency item when it arrives: published at once, held on the wire desk, or discarded.

    Rules are tried in their order (``sort_order``) and the first that matches wins; an item no rule
    matches follows DATELINE_INGEST_DEFAULT ("hold" unless set). Every condition left empty matches
    everything; the ones filled in must all hold.
    """

    class Action(models.TextChoices):
        PUBLISH = "publish", "Publish at once"
        LIVE = "live", "Publish at once; when the agency updates it as a running story, run it as live coverage"
        HOLD = "hold", "Hold on the wire desk"
        DISCARD = "discard", "Discard (recorded, hidden)"

    name = models.CharField(max_length=100, unique=True, help_text='Shown on the desk, e.g. "AFP sport".')
    enabled = models.BooleanField(default=True)
    agencies = models.CharField(
        max_length=255, blank=True, help_text='Agency names, comma-separated, e.g. "AFP, Reuters" (any of them).'
    )
    urgency_at_most = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Matches urgency (priority) 1 up to this number; 1 is a flash."
    )
    subjects = models.CharField(
        max_length=500,
        blank=True,
        help_text="IPTC codes, comma-separated, e.g. medtop:15000000, subj:15000000 (broader codes count too).",
    )
    sections = models.CharField(max_length=255, blank=True, help_text="Section slugs the story would go to.")
    languages = models.CharField(max_length=100, blank=True, help_text='Language codes, e.g. "en, sv".')
    statuses = models.CharField(
        max_length=100, blank=True, help_text="usable, withdrawn or canceled (kills are applied at once anyway)."
    )
    words = models.CharField(
        max_length=255, blank=True, help_text="Words in the headline or slugline, comma-separated (any of them)."
    )
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.HOLD)
    sort_order = models.IntegerField(default=0, db_index=True)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = "ingest rule"

    def __str__(self) -> str:
        return self.name


class WireItem(models.Model):
    """One agency story on the wire desk: what came in, what became of it, and the rule that decided."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        HELD = "held", "Held"
        UPDATED = "updated", "Updated"
        PUBLISHED = "published", "Published"
        SPIKED = "spiked", "Spiked"
        KILLED = "killed", "Killed"
        DISCARDED = "discarded", "Discarded"

    guid = models.CharField(max_length=255, unique=True)
    page = models.OneToOneField(
        "news.ArticlePage", null=True, blank=True, on_delete=models.SET_NULL, related_name="wire_item"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    rule = models.CharField(max_length=100, blank=True, help_text="The rule the item met, or the default.")
    headline = models.CharField(max_length=255, blank=True)
    first_words = models.CharField(max_length=255, blank=True)
    body_text = models.TextField(blank=True, help_text="The story's text, for the desk's search.")
    agency = models.CharField(max_length=100, blank=True, db_index=True)
    urgency = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    section = models.CharField(max_length=100, blank=True, db_index=True)
    subjects = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=35, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1)
    source_format = models.CharField(max_length=20, blank=True)
    received_at = models.DateTimeField(db_index=True)
    seen = models.BooleanField(
        default=False, help_text="An editor has acted on it (urgent items stand out until then)."
    )
    desk_rank = models.PositiveSmallIntegerField(
        default=1, help_text="0 for an urgent item no editor has acted on yet: it stands at the top of the desk."
    )
    kill_acknowledged = models.BooleanField(default=True)
    agency_fields = models.JSONField(
        null=True, blank=True, help_text="The agency's version the story was last built from (the base of a diff)."
    )
    pending_update = models.JSONField(
        null=True,
        blank=True,
        help_text="An agency update that waits because an editor changed the story: headline, summary, paragraphs.",
    )
    corrected = models.BooleanField(default=False, help_text="The latest version carried a correction.")

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["desk_rank", "-received_at", "-id"], name="wire_item_desk_order"),
            models.Index(fields=["status", "-received_at"], name="wire_item_status_newest"),
            models.Index(fields=["agency", "-received_at"], name="wire_item_agency_newest"),
            models.Index(fields=["status", "agency"], name="wire_item_waiting_agency"),
            models.Index(
                fields=["kill_acknowledged"], name="wire_item_kill_alerts", condition=models.Q(kill_acknowledged=False)
            ),
        ]
        permissions = [("act_on_desk", "Can publish, hold and spike items on the wire desk")]
        verbose_name = "wire item"

    def __str__(self) -> str:
        return self.headline or self.guid

    def save(self, *args, **kwargs):
        self.desk_rank = 0 if self.urgent and not self.seen else 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "desk_rank"}
        super().save(*args, **kwargs)

    @property
    def urgent(self) -> bool:
        return self.urgency is not None and 1 <= self.urgency <= 2
