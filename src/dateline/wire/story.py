"""``WireStory``: the one shape every input format is turned into before it touches a page.

Parsers (``wire.parsers.*``) build it from text, XML or JSON without a database; the
importer (``wire.importer``) writes it into an ArticlePage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

EARLIEST = datetime.min.replace(tzinfo=UTC)


def _storable(moment: datetime) -> bool:
    """A time a database can hold once it is in UTC (years 1 to 9998, so no offset overflows)."""
    try:
        return 1 <= moment.astimezone(UTC).year <= 9998 and moment.year <= 9998
    except OverflowError:
        return False


class WireError(ValueError):
    """Input that cannot become a story; the message says what is wrong and why."""


@dataclass(frozen=True)
class WirePhoto:
    caption: str = ""
    credit: str = ""
    href: str = ""  # a local file to import, or a remote address that is recorded, never fetched


PUB_STATUSES = ("usable", "withdrawn", "canceled")


@dataclass(frozen=True)
class WireStory:
    guid: str
    headline: str
    published: datetime  # timezone-aware
    paragraphs: tuple[str, ...]  # inline HTML, already escaped or sanitised
    version: int = 1
    updated: datetime | None = None
    byline: str = ""  # as printed, e.g. "By Adrian Croft"
    authors: tuple[str, ...] = ()  # the people named in the byline
    dateline: str = ""  # the city the story is filed from, e.g. "BRUSSELS"
    agency: str = ""  # e.g. "Reuters"
    summary: str = ""
    photos: tuple[WirePhoto, ...] = ()
    tags: tuple[str, ...] = ()
    language: str = "en"
    continued: bool = False  # the source ended at a "Continued..." marker
    pub_status: str = "usable"  # usable, withdrawn or canceled
    urgency: int | None = None
    slugline: str = ""
    ednote: str = ""
    embargo: datetime | None = None
    source_format: str = ""
    subheadline: str = ""
    subject_codes: tuple[str, ...] = ()  # qcodes such as "medtop:04000000", broader codes included
    signals: tuple[str, ...] = ()  # "update", "correction", ...
    version_created: datetime | None = None  # when this version was made (orders versions with equal numbers)
    versioned: bool = True  # False: the format has no versions (plain text); a changed file is a new revision
    section_hint: str = ""  # the source's own section (a WordPress category): DATELINE_WXR_SECTIONS maps it
    old_path: str = ""  # the story's address on the site it comes from: a redirect is made from it
    language_version_of: str = ""  # the guid of an item that carried this story in several languages
    source_url: str = ""  # where the agency or a capture says the story is on the web (recorded, never fetched)
    trailer: str = ""  # the credit line under the story: "(Reporting by ...; Editing by ...)", NITF's tagline

    @property
    def is_correction(self) -> bool:
        return "correction" in self.signals

    @property
    def running(self) -> bool:
        """The agency marks this version as part of a running story: a later take of news still
        breaking (IPTC's sig:update, or a "developing" signal some agencies send)."""
        return "update" in self.signals or "developing" in self.signals

    @property
    def withdrawn(self) -> bool:
        return self.pub_status in ("withdrawn", "canceled")

    @property
    def version_key(self) -> tuple[int, datetime, int]:
        """How versions of one guid are ordered: version, then versionCreated; a kill after a usable copy."""
        return self.version, self.version_created or EARLIEST, 1 if self.withdrawn else 0

    def __post_init__(self):
        if not self.guid.strip():
            raise WireError("the story has no guid")
        if self.published.tzinfo is None or self.published.utcoffset() is None:
            raise WireError("the story's time stamp has no time zone")
        # A kill or withdrawal is applied whatever it carries: agencies often send it with an empty
        # body (and sometimes no headline). Everything else needs both.
        if not self.withdrawn and not self.headline.strip():
            raise WireError("the story has no headline")
        if not self.withdrawn and not self.paragraphs:
            raise WireError("the story has no body text")
        if self.pub_status not in PUB_STATUSES:
            raise WireError(
                f"unknown publication status {self.pub_status!r} (expected one of {', '.join(PUB_STATUSES)})"
            )
        for name in ("updated", "embargo", "version_created"):
            value = getattr(self, name)
            if value is not None and (value.tzinfo is None or value.utcoffset() is None):
                raise WireError(f"the story's {name} time has no time zone")
        for name in ("published", "updated", "embargo", "version_created"):
            value = getattr(self, name)
            if value is not None and not _storable(value):
                raise WireError(
                    f"the story's {name} time {value.isoformat()} is out of range: a date from year 1 to 9998"
                )
