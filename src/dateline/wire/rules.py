"""Ingest rules: which rule an agency item meets, and so whether it is published, held or discarded.

Rules are tried in order and the first that matches wins; an item that meets none follows
DATELINE_INGEST_DEFAULT ("hold" when unset: a new install holds everything until an editor
writes a rule). Kills and withdrawals never wait for a rule: they are applied at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from .models import IngestRule
from .story import WireStory

DEFAULT_NAME = "default"  # no rule matched: DATELINE_INGEST_DEFAULT decided


@dataclass(frozen=True)
class Decision:
    action: str  # publish, live, hold or discard
    rule: str  # the rule's name, or DEFAULT_NAME

    @property
    def publishes(self) -> bool:
        """A new item goes on the site at once ("live" publishes it too, and runs it as live coverage
        once the agency sends a later version marked as a running story)."""
        return self.action in (IngestRule.Action.PUBLISH, IngestRule.Action.LIVE)


def _words(value: str) -> list[str]:
    return [part.strip().lower() for part in value.split(",") if part.strip()]


def _broader(codes: tuple[str, ...]) -> set[str]:
    found = set()
    for code in codes:
        found.add(code.lower())
        scheme, _, digits = code.partition(":")
        if scheme == "subj" and len(digits) == 8 and digits.isdigit():
            found |= {f"subj:{digits[:5]}000", f"subj:{digits[:2]}000000"}
        if scheme == "medtop" and digits.isdigit():
            found.add(f"medtop:{digits[:2]}000000")
    return found


def matches(rule: IngestRule, story: WireStory, section: str) -> bool:
    """Every filled-in condition of RULE holds for STORY (going to SECTION)."""
    if agencies := _words(rule.agencies):
        if story.agency.lower() not in agencies:
            return False
    if rule.urgency_at_most is not None:
        if story.urgency is None or not 1 <= story.urgency <= rule.urgency_at_most:
            return False
    if subjects := _words(rule.subjects):
        if not set(subjects) & _broader(story.subject_codes):
            return False
    if (sections := _words(rule.sections)) and section.lower() not in sections:
        return False
    if (languages := _words(rule.languages)) and story.language.lower().split("-")[0] not in languages:
        return False
    if (statuses := _words(rule.statuses)) and story.pub_status not in statuses:
        return False
    if words := _words(rule.words):
        text = f"{story.headline} {story.slugline}".lower()
        if not any(word in text for word in words):
            return False
    return True


def enabled_rules():
    return IngestRule.objects.filter(enabled=True).order_by("sort_order", "pk")


def decide(story: WireStory, section: str, rules: list[IngestRule] | None = None) -> Decision:
    """The first enabled rule that matches, else the default."""
    for rule in rules if rules is not None else enabled_rules():
        if rule.enabled and matches(rule, story, section):
            return Decision(rule.action, rule.name)
    return Decision(settings.DATELINE_INGEST_DEFAULT, DEFAULT_NAME)
