"""Plain-text captures of wire-story pages, like ``shared/seed/nato-russia-patriot.txt``.

The layout such a capture has, top to bottom: headline; time stamp with a zone
abbreviation ("Sun Dec 2, 2012 10:12am EST"); the page's toolbar ("Email This Article |",
share bullets, "Print This Article | Single Page", "[-] Text [+]"); an optional byline
("By ..."); paragraphs separated by blank lines, the first led by "CITY (Agency) - ";
an optional "Continued..." where the captured page ends; photo captions with credits.

Pure functions: text in, ``WireStory`` out, ``WireError`` naming the problem otherwise.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from ..story import WireError, WirePhoto, WireStory
from .common import agency_name, decode_text, one_story, printable_byline, split_dateline, split_names, tidy_paragraphs

# Zone abbreviations a capture may print, as fixed offsets from UTC in hours.
ZONES: dict[str, float] = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "WET": 0,
    "WEST": 1,
    "BST": 1,
    "IST": 1,
    "CET": 1,
    "CEST": 2,
    "EET": 2,
    "EEST": 3,
    "MSK": 3,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "AKST": -9,
    "AKDT": -8,
    "HST": -10,
    "JST": 9,
    "KST": 9,
    "HKT": 8,
    "SGT": 8,
    "AEST": 10,
    "AEDT": 11,
}
_DAYS = {name.lower(): i for i, name in enumerate(calendar.day_abbr)}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}

TIMESTAMP = re.compile(
    r"^(?:(?P<updated>Updated:?)\s+)?"
    r"(?P<dow>[A-Za-z]{3})[a-z]*,?\s+(?P<mon>[A-Za-z]{3})[a-z]*\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
    r"\s+(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<ampm>[aApP]\.?[mM]\.?)\s+(?P<zone>[A-Za-z]{1,5})$"
)
CHROME = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^\|?\s*Email This Article\s*\|?$",
        r"^\|?\s*Share This Article\s*\|?$",
        r"^[•·*\-]\s*(Facebook|LinkedIn|Twitter|X|Digg|Reddit|Email|Delicious|StumbleUpon|Google\+?)\s*$",
        r"^\|?\s*Print This Article\s*(\|\s*Single Page)?\s*\|?$",
        r"^\|?\s*Single Page\s*\|?$",
        r"^\[-\]\s*Text\s*\[\+\]$",
    )
]
BYLINE = re.compile(r"^By\s+(?P<names>\S.{0,150})$")
CONTINUED = re.compile(r"\s*(Continued|Continues)\s*(\.\.\.|…)\s*$", re.IGNORECASE)
CREDIT = re.compile(
    r"^(?P<caption>.*?)\s*(?<!\S)(?P<credit>(?:REUTERS|Reuters|AP Photo|AFP PHOTO|AFP Photo|AFP|EPA|Getty Images"
    r"|[A-Z][A-Za-z&\-]*(?: [A-Z][A-Za-z&\-]*)? Photo)\s*/\s*[^\s/].{0,80})$",
    re.DOTALL,
)


def decode(data: bytes) -> str:
    """Bytes of a capture file as text, or a WireError saying why they are not text."""
    if not data.strip():
        raise WireError("the file is empty")
    nul = data.find(b"\x00")
    if nul != -1:
        raise WireError(f"not a text file: binary data (a NUL byte) at byte {nul}")
    return decode_text(data)


def parse_bytes(data: bytes) -> WireStory:
    return parse(decode(data))


def parse_items(data: bytes) -> list[tuple[str, WireStory | WireError]]:
    return one_story(lambda: parse_bytes(data))


def parse_timestamp(line: str) -> tuple[datetime, bool] | None:
    """A capture's time stamp as an aware datetime and whether it is an 'Updated' line.

    None when the line is not shaped like a time stamp; WireError when it is, but names an
    impossible date or time, a weekday that does not match, or an unknown zone.
    """
    match = TIMESTAMP.match(line.strip())
    if not match:
        return None
    g = match.groupdict()
    month = _MONTHS.get(g["mon"].lower())
    weekday = _DAYS.get(g["dow"].lower())
    if month is None or weekday is None:
        return None
    zone = g["zone"].upper()
    if zone not in ZONES:
        raise WireError(f"unknown time zone {g['zone']!r} in time stamp {line.strip()!r}")
    hour, minute = int(g["hour"]), int(g["minute"])
    if not (1 <= hour <= 12 and 0 <= minute <= 59):
        raise WireError(f"impossible time of day in time stamp {line.strip()!r}")
    hour = hour % 12 + (12 if g["ampm"].lower().startswith("p") else 0)
    try:
        tz = timezone(timedelta(hours=ZONES[zone]), zone)
        value = datetime(int(g["year"]), month, int(g["day"]), hour, minute, tzinfo=tz)
    except ValueError:
        raise WireError(f"impossible date in time stamp {line.strip()!r}") from None
    if value.weekday() != weekday:
        raise WireError(
            f"time stamp {line.strip()!r} says {calendar.day_name[weekday]}, "
            f"but {value:%b} {value.day}, {value.year} was a {value:%A}"
        )
    return value, bool(g["updated"])


def split_credit(text: str) -> WirePhoto:
    """'A woman walks past ... December 4, 2003. REUTERS/Thierry Roge' -> caption and credit."""
    match = CREDIT.match(text)
    if not match:
        return WirePhoto(caption=text.strip())
    return WirePhoto(caption=match["caption"].strip(), credit=re.sub(r"\s*/\s*", "/", match["credit"].strip()))


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u2009", " ").replace("\ufeff", "")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def _blocks(lines: list[str]) -> list[str]:
    blocks: list[str] = []
    current: list[str] = []
    for line in lines:
        stripped = line.strip()
        if not stripped or any(p.match(stripped) for p in CHROME):
            if current:
                blocks.append(" ".join(current))
                current = []
            continue
        current.append(re.sub(r"\s+", " ", stripped))
    if current:
        blocks.append(" ".join(current))
    return blocks


def make_guid(headline: str, published: datetime) -> str:
    """A stable identity for a capture: same headline and time stamp, same story."""
    key = f"{headline.strip().lower()}|{published.astimezone(UTC):%Y-%m-%dT%H:%MZ}"
    return "urn:dateline:text:" + hashlib.sha256(key.encode()).hexdigest()[:24]


HEADER_LINES = 8  # the time stamp must be among the first lines with text
HEADER_PREFIX = re.compile(r"^\s*--\s+")  # Reuters' saved pages: "-- Headline", "-- By ...", "-- Mon Oct 23, ..."
URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
KICKER = re.compile(
    r"^(?:Analysis|Factbox|Fact box|Insight|Exclusive|Q\+A|Timeline|Special Report|Breakingviews|Column|"
    r"Interview|Wrapup|Feature|Explainer|Corrected|Update \d+)\s*:?$",
    re.IGNORECASE,
)


@dataclass
class _Header:
    headline: str = ""
    headline_line: int = 0
    published: datetime | None = None
    updated: datetime | None = None
    byline: str = ""
    url: str = ""
    body_start: int = 0


def _read_header(lines: list[str]) -> _Header:
    """Headline, time stamp(s), byline and source address from the first lines, in whatever order, with or
    without "-- " prefixes; page chrome between them is passed over. The body starts at the first line
    that is none of these once a headline is found."""
    header = _Header()
    seen = 0
    kicker = ""
    for i, raw in enumerate(lines):
        line = re.sub(r"\s+", " ", HEADER_PREFIX.sub("", raw).strip())
        if not line:
            continue
        seen += 1
        stamp = parse_timestamp(line) if seen <= HEADER_LINES + 4 else None
        if stamp is not None:
            value, is_update = stamp
            if is_update:
                header.updated = value
            elif header.published is None:
                header.published = value
        elif URL_LINE.match(line) and not header.url:
            header.url = line
        elif any(pattern.match(line) for pattern in CHROME):
            pass
        elif not header.headline and KICKER.match(line) and not kicker:
            kicker = line.rstrip(":")
        elif not header.headline:
            header.headline = f"{kicker}: {line}" if kicker else line
            header.headline_line = i + 1
        elif BYLINE.match(line) and len(line) <= 160 and not header.byline:
            header.byline = line
        else:
            header.body_start = i
            return header
        header.body_start = i + 1
    return header


def _dedent(lines: list[str]) -> list[str]:
    """Body lines with their common indent taken off (one-space-indented captures), tabs as spaces."""
    lines = [line.replace("\t", "    ") for line in lines]
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    common = min(indents) if indents else 0
    return [line[common:] for line in lines]


def parse(text: str) -> WireStory:
    lines = _normalise(text).split("\n")
    if not any(line.strip() for line in lines):
        raise WireError("the file is empty")

    header = _read_header(lines)
    if not header.headline:
        raise WireError("no headline: the first lines are only time stamps, addresses or page chrome")
    if split_dateline((header.headline,))[0]:
        raise WireError(
            f"no headline: line {header.headline_line} {header.headline[:60]!r} reads as the story's first "
            "paragraph (it starts with a dateline)"
        )
    if header.published is None:
        first = next(i for i, line in enumerate(lines) if line.strip()) + 1
        raise WireError(
            f"headline: line {header.headline_line} {header.headline[:60]!r}; no time stamp in lines "
            f"{first}–{first + HEADER_LINES - 1} (expected one like 'Sun Dec 2, 2012 10:12am EST', "
            "with or without a leading '-- ')"
        )
    headline, published, updated, byline = header.headline, header.published, header.updated, header.byline

    blocks = _blocks(_dedent(lines[header.body_start :]))
    if not byline and blocks and BYLINE.match(blocks[0]) and len(blocks[0]) <= 160:
        byline = blocks.pop(0)

    paragraphs: list[str] = []
    trailing: list[str] = []
    continued = False
    for block in blocks:
        if continued:
            trailing.append(block)
            continue
        stripped = CONTINUED.sub("", block)
        if stripped != block:
            continued = True
            if stripped:
                paragraphs.append(stripped)
        else:
            paragraphs.append(block)
    if not continued:
        # Without a "Continued..." marker, only trailing blocks carrying a credit are captions.
        while paragraphs and CREDIT.match(paragraphs[-1]) and len(paragraphs) > 1:
            trailing.insert(0, paragraphs.pop())
    if not paragraphs:
        raise WireError("no body text after the headline and time stamp")

    kept, keywords, note, trailer = tidy_paragraphs(tuple(paragraphs))
    if not kept:
        raise WireError("no body text after the headline and time stamp (only notes and credits)")
    city, agency, kept = split_dateline(kept)
    paragraphs = list(kept)
    byline = printable_byline(byline)

    return WireStory(
        guid=make_guid(headline, published),
        headline=headline,
        published=published,
        updated=updated,
        paragraphs=tuple(html.escape(p, quote=False) for p in paragraphs),
        byline=byline,
        authors=split_names(byline, agency),
        dateline=city,
        agency=agency_name(agency),
        photos=tuple(split_credit(block) for block in trailing),
        continued=continued,
        source_format="text",
        versioned=False,
        trailer=trailer,
        ednote=note,
        signals=("correction",) if note else (),
        source_url=header.url,
    )
