"""Helpers shared by the structured parsers (ninjs, NewsML-G2)."""

from __future__ import annotations

import re
from datetime import datetime

from ..story import WireError


class NotAStory(WireError):
    """A valid item that is not a text story (a picture, a video, an event): reported, not imported."""


def parse_datetime(value: str | None, what: str) -> datetime | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise WireError(f"invalid date in {what}: {value!r}") from None
    if parsed.tzinfo is None:
        raise WireError(f"{what} {value!r} has no time zone")
    return parsed


MAX_VERSION = 2**31 - 1


def parse_version(value, what: str = "version") -> int:
    if value in (None, ""):
        return 1
    try:
        version = int(str(value).strip())
    except ValueError:
        raise WireError(f"{what} {value!r} is not a whole number") from None
    if version < 0:
        raise WireError(f"{what} {value!r} is negative")
    if version > MAX_VERSION:
        raise WireError(f"{what} {value!r} is larger than {MAX_VERSION}")
    return version


# "By", and its word in the languages agencies file in: "Von Christian Hollmann, dpa".
BY_PREFIX = re.compile(r"^\s*(?:By|Von|Par|Por|Door|Av|Af|Di|Da)\s+", re.IGNORECASE)
DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Z.'’/&\- ]*[A-Z.](?:,\s+[A-Z][A-Za-z.'’ ]*[A-Za-z.])?)"
    r"\s*\((?P<agency>[^()]{1,40})\)\s*[-–—]+\s*(?P<rest>\S.*)$",
    re.DOTALL,
)


def split_names(byline: str, agency: str = "") -> tuple[str, ...]:
    """The people in a byline: 'By A and B', 'Von A, dpa', 'Karl Melander/TT'."""
    names = BY_PREFIX.sub("", byline or "")
    names = names.split("/")[0]  # "Karl Melander/TT": the part before the agency
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", names)
    skip = {agency.strip().lower()} if agency else set()
    return tuple(p.strip() for p in parts if p.strip() and p.strip().lower() not in skip)


def split_dateline(paragraphs: tuple[str, ...]) -> tuple[str, str, tuple[str, ...]]:
    """'BRUSSELS (Reuters) - text' leading the first paragraph -> city, agency, paragraphs without it."""
    if not paragraphs:
        return "", "", paragraphs
    match = DATELINE.match(paragraphs[0])
    if not match:
        return "", "", paragraphs
    city = match["city"].split(",")[0].strip()
    return city, match["agency"].strip(), (match["rest"],) + tuple(paragraphs[1:])
