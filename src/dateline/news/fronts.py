"""Fronts that editors curate: the home page and each section front have a lead and secondary slots.

A slot holds the story an editor pinned there, or falls back to the newest live story not already
shown on the front. Pins are rows of their own (not part of a page's revisions), so pinning and
unpinning are one action each and take effect at once; a story that stops being live (unpublished,
killed, withdrawn) drops out of its slot by itself, because a front only ever reads live stories,
and the story pipeline purges the fronts it was pinned on (publishing/footprint.py).

The home page also has one row a section: the section front's own slots, as its editors set them,
then its newest, leaving out what the home page already shows above.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q

from .pages import ArticlePage, HomePage, SectionPage, live_articles, live_sections, story_refs
from .signals import front_changed

SECONDARIES = 4  # secondary slots on a front
ROW_SIZE = 4  # stories in a section's row on the home page
LATEST = 10  # the home page's "Latest" list under the rows
LEAD_WITH_PICTURE_WITHIN = 10  # an empty lead slot takes the newest story with a picture among so many
# How deep a story can be in its section's newest and still show on the home page's row for it.
ROW_DEPTH = ROW_SIZE + 1 + SECONDARIES


class FrontPick(models.Model):
    """A story an editor pinned to a front's lead or secondary slots."""

    class Slot(models.TextChoices):
        LEAD = "lead", "Lead"
        SECONDARY = "secondary", "Secondary"

    front = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="front_picks")
    story = models.ForeignKey("news.ArticlePage", on_delete=models.CASCADE, related_name="pinned_on")
    slot = models.CharField(max_length=10, choices=Slot.choices)
    pinned_at = models.DateTimeField(auto_now_add=True)
    pinned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        app_label = "news"
        ordering = ["front", "slot", "-pinned_at"]
        constraints = [
            models.UniqueConstraint(fields=["front", "story"], name="front_pick_once_a_front"),
            models.UniqueConstraint(fields=["front"], condition=Q(slot="lead"), name="front_pick_one_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.story} ({self.get_slot_display()} on {self.front})"


def is_front(page) -> bool:
    return isinstance(page.specific, HomePage | SectionPage)


@transaction.atomic
def pin(front, story: ArticlePage, slot: str, user=None) -> list[str]:
    """Pin ``story`` to ``front``'s lead or secondary slots. Returns what this displaced, in words.

    A new lead replaces the pinned lead (which goes back to falling back); a new secondary goes
    first and the oldest pinned secondary beyond the slots is unpinned."""
    if slot not in FrontPick.Slot.values:
        raise ValueError(f"no slot {slot!r} on a front: lead or secondary")
    if not story.live:
        raise ValueError(f"{story.title!r} is not live: only a published story can be pinned")
    displaced = []
    FrontPick.objects.filter(front=front, story=story).delete()  # moving between slots
    if slot == FrontPick.Slot.LEAD:
        for old in FrontPick.objects.filter(front=front, slot=slot).select_related("story"):
            displaced.append(f"{old.story.title!r} is no longer the lead")
            old.delete()
    FrontPick.objects.create(front=front, story=story, slot=slot, pinned_by=user)
    if slot == FrontPick.Slot.SECONDARY:
        extra = FrontPick.objects.filter(front=front, slot=slot).order_by("-pinned_at", "-pk")[SECONDARIES:]
        for old in extra.select_related("story"):
            displaced.append(f"{old.story.title!r} was unpinned (only {SECONDARIES} secondary slots)")
            old.delete()
    front_changed.send(sender=FrontPick, front=front)
    return displaced


@transaction.atomic
def unpin(front, story: ArticlePage) -> bool:
    deleted, _ = FrontPick.objects.filter(front=front, story=story).delete()
    if deleted:
        front_changed.send(sender=FrontPick, front=front)
    return bool(deleted)


def pinned_front_urls(story_id: int) -> list[str]:
    """The fronts a story is pinned on (and the home page, whose rows show each section front's slots)."""
    urls = []
    for pick in FrontPick.objects.filter(story_id=story_id).select_related("front"):
        front = pick.front.specific
        if front.url:
            urls.append(front.url)
        if isinstance(front, SectionPage):
            urls += [home.url for home in HomePage.objects.all() if home.url]
    return list(dict.fromkeys(urls))


@dataclass
class Front:
    """What a front shows, as rows of ``pages.story_refs`` (the teasers come from kept fragments)."""

    lead: Any = None
    secondaries: list = field(default_factory=list)
    pinned: set[int] = field(default_factory=set)  # the shown stories an editor pinned
    rows: list[tuple[SectionPage, list]] = field(default_factory=list)  # the home page's rows
    latest: list = field(default_factory=list)

    def shown(self) -> set[int]:
        refs = [self.lead, *self.secondaries, *(ref for _, row in self.rows for ref in row), *self.latest]
        return {ref.pk for ref in refs if ref is not None}


def _picks(front, stories) -> dict[str, list]:
    """The front's pins of stories still live and public, each slot's newest pin first."""
    picks: dict[str, list] = {FrontPick.Slot.LEAD: [], FrontPick.Slot.SECONDARY: []}
    # The front's few pins first, then which of them are live: a "story in (every live story)"
    # subquery made SQLite list the whole archive (155 ms a front at 100,000 stories).
    rows = list(FrontPick.objects.filter(front_id=front.pk).order_by("-pinned_at", "-pk"))
    by_story = {row.story_id: row.slot for row in rows}
    refs = {ref.pk: ref for ref in story_refs(stories.filter(pk__in=by_story))}
    for row in rows:
        if row.story_id in refs:
            picks[row.slot].append(refs[row.story_id])
    return picks


def compose(front, stories, exclude: Set[int] = frozenset(), secondaries: int = SECONDARIES) -> Front:
    """``front``'s lead and secondaries: its pins (any live story: a section front may feature another
    section's), then the newest of ``stories`` not already shown."""
    picks = _picks(front, live_articles())
    result = Front(pinned={ref.pk for slot in picks.values() for ref in slot})
    taken = set(exclude)
    newest = list(story_refs(stories.exclude(pk__in=taken))[: 1 + secondaries + LEAD_WITH_PICTURE_WITHIN])

    def fill(count: int) -> list:
        found = [ref for ref in newest if ref.pk not in taken][:count]
        taken.update(ref.pk for ref in found)
        return found

    pinned_lead = [ref for ref in picks[FrontPick.Slot.LEAD] if ref.pk not in taken]
    if pinned_lead:
        result.lead = pinned_lead[0]
    else:  # the newest story with a picture leads, if one is among the newest; else the newest
        with_picture = set(
            stories.filter(pk__in=[ref.pk for ref in newest], lead_image__isnull=False).values_list("pk", flat=True)
        )
        result.lead = next((ref for ref in newest if ref.pk in with_picture and ref.pk not in taken), None)
        if result.lead is None:
            result.lead = next((ref for ref in newest if ref.pk not in taken), None)
    if result.lead is not None:
        taken.add(result.lead.pk)
    pinned = [ref for ref in picks[FrontPick.Slot.SECONDARY] if ref.pk not in taken][:secondaries]
    taken.update(ref.pk for ref in pinned)
    result.secondaries = pinned + fill(secondaries - len(pinned))
    return result


def home_front(home) -> Front:
    front = compose(home, live_articles().descendant_of(home))
    shown = front.shown()
    for section in live_sections(menu_only=True).child_of(home):
        row = compose(section, live_articles().filter(section_page=section), exclude=shown, secondaries=ROW_SIZE - 1)
        stories = [ref for ref in [row.lead, *row.secondaries] if ref is not None]
        if stories:
            front.rows.append((section, stories))
            shown |= {ref.pk for ref in stories}
    front.latest = list(story_refs(live_articles().descendant_of(home).exclude(pk__in=shown))[:LATEST])
    return front


def section_front(section) -> Front:
    return compose(section, live_articles().filter(section_page=section))
