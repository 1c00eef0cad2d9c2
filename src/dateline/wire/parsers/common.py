"""Helpers shared by the structured parsers (ninjs, NewsML-G2)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from charset_normalizer import from_bytes

from ..story import WireError, WireStory


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
# The lead of an agency's first paragraph: "BRUSSELS (Reuters) - ", "FORT WASHINGTON, Pa. (AP) _ ",
# "LONDON, Dec 2 (Reuters) - ", "Berlin (dpa) - ", "SYDNEY, AAP - " is not one (no parentheses).
DATELINE = re.compile(
    r"^(?P<city>[A-ZÀ-Þ][\w.'’/&\- ]{0,40}?[\w.])"
    r"(?P<extra>,\s+[A-Z][\w.'’ ]{0,30}?[\w.])?"
    r"\s*\((?P<agency>[^()]{1,40})\)\s*\.?[-–—_]+\s*(?P<rest>\S.*)$",
    re.DOTALL,
)


# Agencies by the names their feeds use for themselves, as a dateline credits them.
AGENCY_NAMES = {
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "reuters news": "Reuters",
    "the associated press": "AP",
    "associated press": "AP",
    "ap": "AP",
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "afp": "AFP",
    "deutsche presse-agentur": "dpa",
    "deutsche presse-agentur gmbh": "dpa",
    "dpa": "dpa",
    "australian associated press": "AAP",
    "aap": "AAP",
    "agencia efe": "EFE",
    "efe": "EFE",
    "agenzia nazionale stampa associata": "ANSA",
    "ansa": "ANSA",
    "pa media": "PA",
    "press association": "PA",
    "the press association": "PA",
    "pa": "PA",
    "norsk telegrambyrå": "NTB",
    "ntb": "NTB",
    "stt-info": "STT",
    "stt": "STT",
    "tt nyhetsbyrån": "TT",
    "tt": "TT",
    "athens news agency": "ANA",
    "ana-mpa": "ANA",
    "ana": "ANA",
}


def agency_name(value: str) -> str:
    """An agency as datelines name it: 'The Associated Press' -> 'AP', 'Thomson Reuters' -> 'Reuters'.

    Copyright lines ('Copyright 2019, dpa (www.dpa.de). Alle Rechte vorbehalten', '© 2026 Reuters')
    are read for the agency in them."""
    text = " ".join((value or "").split()).strip(" .,;")
    if not text:
        return ""
    bare = re.sub(r"^(?:copyright|\(c\)|©)\s*", "", text, flags=re.IGNORECASE)
    bare = re.sub(r"^\d{4}\s*,?\s*", "", bare)
    bare = re.split(r"\s*[.(]\s*(?:www\.|all rights|alle rechte|tous droits)|\s*\.\s+", bare, flags=re.IGNORECASE)[0]
    bare = bare.strip(" .,;")
    if re.fullmatch(r"(?:www\.)?[\w-]+\.(?:com|net|org|de|fr|it|es|no|fi|se|com\.au|co\.uk)", bare.lower()):
        bare = bare.lower().removeprefix("www.").split(".")[0]  # "reuters.com" -> "reuters"
    return AGENCY_NAMES.get(bare.lower(), AGENCY_NAMES.get(text.lower(), bare if len(bare) <= 60 else ""))


# What is never a person's name in a byline: user ids ("degenhardt.sandra"), dates ("MAR 04",
# "04.03.2026"), e-mail addresses, agency names, job titles and "By" alone.
_MONTH_WORDS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
    "august|september|october|november|december"
)
_NOT_A_NAME = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^[\w-]+\.[\w.-]+$",  # degenhardt.sandra
        r"^\S+@\S+$",
        rf"^(?:{_MONTH_WORDS})\.?\s+\d{{1,4}}$",  # MAR 04
        rf"^\d{{1,2}}\.?\s+(?:{_MONTH_WORDS})\.?(?:\s+\d{{2,4}})?$",
        r"^[\d\s./:-]+$",
        r"^(?:by|von|par|por|staff|staff writer|reporter|correspondent|editor|redaktion|desk)$",
        r"^(?:associated press|ap|reuters|afp|dpa|aap|efe|ansa|ntb|stt|tt|pa)\b.*(?:writer|reporter|correspondent)?$",
    )
]


_JUNK_NAME = _NOT_A_NAME[:5]  # ids, e-mail addresses and dates: never printed as a byline either


def printable_byline(byline: str) -> str:
    """The byline as readers should see it, or '' when it is no byline at all: 'By' alone, a user id
    ('degenhardt.sandra'), a date ('MAR 04'). 'By Staff' stays (it names no person, but says something)."""
    byline = " ".join((byline or "").split()).strip(" ,;")
    rest = BY_PREFIX.sub("", byline).strip(" ,;")
    if not rest or re.fullmatch(r"(?:By|Von|Par|Por)", byline, re.IGNORECASE):
        return ""
    if any(pattern.match(rest) for pattern in _JUNK_NAME):
        return ""
    return byline


def is_person(name: str) -> bool:
    name = name.strip()
    if len(name) < 3 or len(name) > 80 or not re.search(r"[^\W\d_]", name):
        return False
    if name.lower() in AGENCY_NAMES:
        return False
    return not any(pattern.match(name) for pattern in _NOT_A_NAME)


def person_name(name: str) -> str:
    """'JOHN SMITH' (AP's capitals) -> 'John Smith'; mixed case is kept as written."""
    name = " ".join(name.split()).strip(" ,;")
    if name.isupper() and len(name) > 3:
        return " ".join(part.capitalize() if not part.startswith("Mc") else part for part in name.title().split())
    return name


def split_names(byline: str, agency: str = "") -> tuple[str, ...]:
    """The people in a byline: 'By A and B', 'Von A, dpa', 'Karl Melander/TT'; never ids, dates or agencies."""
    names = BY_PREFIX.sub("", byline or "")
    if re.fullmatch(r"\s*(?:By|Von|Par|Por)\s*", byline or "", re.IGNORECASE):
        return ()
    names = names.split("/")[0]  # "Karl Melander/TT": the part before the agency
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s+und\s+|\s+et\s+|\s+y\s+|\s*&\s*|\s*;\s*", names)
    skip = {agency.strip().lower(), agency_name(agency).lower()} if agency else set()
    people = []
    for part in parts:
        part = person_name(part)
        if part and part.lower() not in skip and is_person(part):
            people.append(part)
    return tuple(dict.fromkeys(people))


PLACEHOLDERS = {"", "-", "--", "n/a", "na", "none", "null", "no-data-available", "no data available", "unknown", "xx"}


def normalise_dateline(city: str) -> str:
    """The dateline city as the site prints it: 'Fort Washington, Pa.' -> 'FORT WASHINGTON'; placeholders -> ''."""
    city = " ".join((city or "").split()).strip(" ,;:-–—_")
    if city.lower() in PLACEHOLDERS or not re.search(r"[^\W\d_]", city):
        return ""
    return city.split(",")[0].strip().upper()[:100]


def split_dateline(paragraphs: tuple[str, ...]) -> tuple[str, str, tuple[str, ...]]:
    """'BRUSSELS (Reuters) - text' leading the first paragraph -> city, agency, paragraphs without it.

    Also 'FORT WASHINGTON, Pa. (AP) _ text' and 'LONDON, Dec 2 (Reuters) - text'. The lead is taken
    off whatever the format says elsewhere, so a page never prints its dateline twice."""
    if not paragraphs:
        return "", "", paragraphs
    match = DATELINE.match(paragraphs[0])
    if not match:
        return "", "", paragraphs
    known = match["agency"].strip().lower() in AGENCY_NAMES
    if not known and not (match["city"].isupper() and len(match["agency"]) <= 30):
        # "Apple Inc (AAPL.O) - ..." is not a dateline: a city in capitals, or an agency we know, is.
        return "", "", paragraphs
    city = normalise_dateline(match["city"])
    return city, match["agency"].strip(), (match["rest"],) + tuple(paragraphs[1:])


# Paragraphs that are not body text.
_JUNK = re.compile(r"^(?:[-–—_=*~.\s]|&nbsp;|&#160;|\u00a0)*$")
_DISCLAIMER = re.compile(r"^\s*\*{3}")
_HEADER_KEYS = (
    "keywords|keyword|stichworte|stichwort|schlagworte|orte|ort|places|place|locations|ressort|rubrik|"
    "category|categories|slug|slugline|priority|priorität|dienst|service|subject|subjects|topics|themen|"
    "regions|region|länder|countries|sprache|language|wortzahl|words|word count|kennung"
)
_HEADER_LINE = re.compile(rf"^(?:{_HEADER_KEYS})\s*:\s*\S", re.IGNORECASE)
CORRECTION_NOTE = re.compile(
    r"^\(\s*(?:(?:In|This)\b[^()]{0,80}?\bstor(?:y|ies)\b[^()]*?,\s*)?"
    r"(?:corrects|correcting|updates to correct|fixes|refiles to correct|recasts to correct)\b[^()]*\)\s*$"
    r"|^\(\s*(?:Corrects|Correction)\b[^()]*\)\s*$",
    re.IGNORECASE,
)
TRAILER = re.compile(
    r"^\(\s*(?:Reporting|Additional reporting|Writing|Written|Editing|Compiled|Research) by\b.*\)\s*$",
    re.IGNORECASE | re.DOTALL,
)


def tidy_paragraphs(paragraphs: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], str, str]:
    """Body paragraphs without what is not body text.

    Returns (paragraphs, header keywords, correction note, trailer): a leading header block of
    'Keywords: ...'/'Orte: ...' lines (its values are returned as keywords), disclaimer lines
    ('*** ...'), paragraphs of only dashes or non-breaking spaces, the agency's correction note at
    the top ('(Corrects ... in paragraph 3)'), and the '(Reporting by ...; Editing by ...)' trailer.
    """
    kept = [p for p in paragraphs if not _JUNK.match(p) and not _DISCLAIMER.match(p)]
    keywords: list[str] = []
    while kept and _HEADER_LINE.match(kept[0]):
        key, _, values = kept.pop(0).partition(":")
        if key.strip().lower() in ("keywords", "keyword", "stichworte", "stichwort", "schlagworte", "topics", "themen"):
            keywords += [v.strip() for v in re.split(r"[,;/]", values) if v.strip()]
    note = ""
    if kept and CORRECTION_NOTE.match(kept[0]):
        note = kept.pop(0).strip().strip("()").strip()
    trailer = ""
    while kept and TRAILER.match(kept[-1]):
        trailer = (kept.pop().strip() + (" " + trailer if trailer else "")).strip()
    return tuple(kept), tuple(dict.fromkeys(keywords)), note, trailer


def subject_qcode(code: str) -> str:
    """A bare 8-digit IPTC subject code ('15000000') as the qcode the section mapping reads ('subj:15000000')."""
    code = (code or "").strip()
    return f"subj:{code}" if re.fullmatch(r"\d{8}", code) else code


WIRE_CHARSETS = ["cp1252", "latin_1", "iso8859_15"]


def decode_text(data: bytes) -> str:
    """The text in whatever character set it was written: UTF-8 if it is that, else the best guess."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise WireError(f"the text starts with a UTF-16 byte-order mark but is not UTF-16 ({exc.reason})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # The framing characters (SOH, STX, ETX, EOT, SYN) are ASCII in every character set: they are
    # left out of the detection, which reads the text.
    # Western European wires send Windows-1252 or ISO-8859-1/15: those are tried first (a short Finnish
    # text otherwise "fits" a Mac code page as well), then every set charset-normalizer knows.
    sample = data.translate(None, b"\x01\x02\x03\x04\x16")
    best = from_bytes(sample, cp_isolation=WIRE_CHARSETS).best() or from_bytes(sample).best()
    if best is None:
        raise WireError("the text's character set could not be told (it is not UTF-8, and no 8-bit set fits)")
    try:
        return data.decode(best.encoding)
    except UnicodeDecodeError:
        raise WireError(f"the text is not UTF-8, and not {best.encoding} either (the closest guess)") from None


def one_story(parse: Callable[[], WireStory]) -> list[tuple[str, WireStory | WireError]]:
    """The items of a format that carries one story a document: [(guid, story)], or [("", why not)]."""
    try:
        story = parse()
    except WireError as exc:
        return [("", exc)]
    return [(story.guid, story)]
