"""Text wires: IPTC 7901 and ANPA 1312 transmissions, and copy e-mailed by an agency or a stringer.

A 7901 or ANPA 1312 message is framed by control characters: SOH (0x01) opens the header (service
and message number, priority, category, slugline, word count), STX (0x02) opens the text, ETX
(0x03) closes it, and what follows up to EOT (0x04) is the post-text (often the time it was
filed, "12-02-12 1012EST"). Telex-era copies open with "ZCZC" and close with "NNNN" instead.
Paragraphs are separated by blank lines or start with an indent (a tab or spaces); the first
line of the text is the headline (AP marks it "^...<"). End markers ("(END)", "MORE", "xxx",
"AP-NY-12-02-12 1012EST") are not body text.

An e-mail (RFC 5322 headers, then the text) gives its Subject as the headline, its Date as the
time stamp and its Message-ID as the guid.

The character set is detected (charset-normalizer: UTF-8, ISO-8859-1, Windows-1252 ...), never
assumed. Pure functions; ``received`` (the file's time) is used only when the copy states no time.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import hashlib
import html
import re
from datetime import UTC, datetime, timedelta, timezone

from ..story import WireError, WireStory
from .common import (
    AGENCY_NAMES,
    BY_PREFIX,
    agency_name,
    decode_text,
    one_story,
    printable_byline,
    split_dateline,
    split_names,
    tidy_paragraphs,
)
from .plaintext import ZONES

SOH, STX, ETX, EOT = "\x01", "\x02", "\x03", "\x04"
_EMAIL_HEADERS = re.compile(rb"^(?:From|Date|Subject|Message-ID|Received|Return-Path|MIME-Version|To):", re.I | re.M)
_END_MARKERS = re.compile(
    r"^(?:\(?\s*(?:END|ENDS|MORE|FIN|ENDE|SLUT|LOPPU)\s*\)?|x{3,}|#{3,}|-{2,}\s*\d*\s*-{0,}|NNNN|"
    r"[A-Z]{2,4}-[A-Z]{2}-\d{2}-\d{2}-\d{2}\s+\d{3,4}\s*[A-Z]{3,4}<?)\s*$",
    re.IGNORECASE,
)
# "12-02-12 1012EST", "02-12-2012 10:12 EST", "2012-12-02 15:12 GMT"
_FILED = re.compile(
    r"(?P<a>\d{1,4})-(?P<b>\d{1,2})-(?P<c>\d{2,4})\s+(?P<h>\d{1,2}):?(?P<m>\d{2})\s*(?P<zone>[A-Z]{1,5})\b"
)
_PRIORITIES = {"f": 1, "b": 2, "u": 3, "r": 4, "d": 5, "a": 4, "w": 5, "s": 5}


def looks_like(data: bytes) -> bool:
    """A 7901/ANPA transmission (control characters or ZCZC) or an e-mail (its headers first)."""
    head = data[:2048]
    if b"\x01" in head[:16] or (b"\x02" in head and b"\x01" in head) or head.lstrip(b"\x16 \r\n").startswith(b"ZCZC"):
        return True
    first = head.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    return len(_EMAIL_HEADERS.findall(first)) >= 2


def _zone(name: str) -> timezone:
    if name.upper() not in ZONES:
        raise WireError(f"unknown time zone {name!r} in the filing time")
    return timezone(timedelta(hours=ZONES[name.upper()]), name.upper())


def _filed(text: str) -> datetime | None:
    match = _FILED.search(text)
    if not match:
        return None
    a, b, c = match["a"], match["b"], match["c"]
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    else:  # AP's month-day-year
        month, day, year = int(a), int(b), int(c) + (2000 if len(c) == 2 else 0)
    try:
        return datetime(year, month, day, int(match["h"]), int(match["m"]), tzinfo=_zone(match["zone"]))
    except ValueError:
        raise WireError(f"impossible filing time {match.group(0)!r}") from None


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank lines and indented first lines both start a paragraph."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line.strip() or _END_MARKERS.match(line.strip()):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if line[:1] in ("\t", " ") and current:
            paragraphs.append(" ".join(current))
            current = []
        current.append(" ".join(line.split()))
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _header(header: str) -> dict:
    """Service, message number, priority, category, slugline and word count from a 7901/ANPA header."""
    words = header.replace("\x16", " ").split()
    found: dict = {"service": "", "number": "", "priority": None, "category": "", "slug": "", "words": ""}
    for word in words:
        numbered = re.fullmatch(r"([a-zA-Z]{1,3})(\d{3,5})", word)
        if numbered and not found["number"]:
            found["service"], found["number"] = numbered.groups()
        elif re.fullmatch(r"[1-6]", word) and found["priority"] is None:
            found["priority"] = int(word)
        elif re.fullmatch(r"[fburdaws]", word) and found["priority"] is None:
            found["priority"] = _PRIORITIES[word]
        elif re.fullmatch(r"[a-z]{1,3}", word) and not found["category"]:
            found["category"] = word
        elif re.fullmatch(r"\d{2,5}", word) and not found["words"]:
            found["words"] = word
        elif re.search(r"[A-Za-z]", word) and "-" in word and not found["slug"]:
            found["slug"] = word.split(",")[0]
    return found


def _story(headline: str, body_lines: list[str], published: datetime, guid: str, **extra) -> WireStory:
    lines = list(body_lines)
    byline = ""
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and BY_PREFIX.match(lines[0].strip()) and len(lines[0].strip()) < 120:
        byline = " ".join(lines.pop(0).split())
    raw = tuple(html.escape(p, quote=False) for p in _paragraphs(lines))
    paragraphs, keywords, note, trailer = tidy_paragraphs(raw)
    city, lead_agency, paragraphs = split_dateline(paragraphs)
    agency = agency_name(lead_agency) or extra.pop("fallback_agency", "")
    extra.pop("fallback_agency", None)
    authors = split_names(byline, agency)
    return WireStory(
        guid=guid,
        headline=" ".join(headline.split()),
        published=published,
        paragraphs=paragraphs,
        byline=printable_byline(byline),
        authors=authors,
        dateline=city,
        agency=agency,
        tags=keywords,
        ednote=note,
        signals=("correction",) if note else (),
        trailer=trailer,
        versioned=False,
        **extra,
    )


def _guid(kind: str, *parts: str) -> str:
    return f"urn:dateline:{kind}:" + hashlib.sha256("|".join(parts).lower().encode()).hexdigest()[:24]


def parse_transmission(text: str, received: datetime | None = None) -> WireStory:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    start = text.find(SOH)
    body_start = text.find(STX)
    if start == -1 and text.lstrip("\x16 \n").startswith("ZCZC"):
        head_text, _, rest = text.lstrip("\x16 \n")[4:].partition("\n\n")
        body, post = rest.split("NNNN")[0], ""
    else:
        head_text = text[start + 1 : body_start] if body_start != -1 else text[start + 1 :].split("\n", 1)[0]
        rest = text[body_start + 1 :] if body_start != -1 else text[start + 1 :].split("\n", 1)[-1]
        body, _, post = rest.partition(ETX)
        post = post.split(EOT)[0]
    header = _header(head_text)
    lines = body.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise WireError("the text wire message has no text between STX and ETX")
    headline = lines.pop(0).strip().lstrip("^").rstrip("<").strip()
    if not headline:
        raise WireError("the text wire message has no headline (its first line of text is empty)")
    filed = _filed(post) or _filed(body[-200:]) or _filed(head_text)
    if filed is None and received is None:
        raise WireError(
            "no filing time in the text wire message (looked for one like '12-02-12 1012EST' "
            f"after the text and in the header {head_text.strip()[:60]!r})"
        )
    published = filed or received
    assert published is not None
    guid = _guid("wire", header["service"], header["slug"] or headline, f"{published.astimezone(UTC):%Y-%m-%d}")
    return _story(
        headline,
        lines,
        published,
        guid,
        slugline=header["slug"],
        urgency=header["priority"],
        source_format="iptc7901",
    )


def parse_email(data: bytes, received: datetime | None = None) -> WireStory:
    message = email.message_from_bytes(data, policy=email.policy.default)
    subject = str(message.get("Subject") or "").strip()
    if not subject:
        raise WireError("the e-mail has no Subject (its headline)")
    try:
        dated = message["Date"].datetime if message.get("Date") else None
    except (TypeError, ValueError, AttributeError):
        raise WireError(f"the e-mail's Date header is not a date: {message.get('Date')!r}") from None
    if dated is not None and dated.tzinfo is None:
        dated = dated.replace(tzinfo=UTC)
    published = dated or received
    if published is None:
        raise WireError("the e-mail has no Date header")
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        raise WireError("the e-mail has no plain-text part")
    try:
        body = part.get_content()
    except (ValueError, LookupError) as exc:  # a NUL, an unknown charset, broken encoding
        raise WireError(f"the e-mail's text cannot be decoded: {exc}") from None
    message_id = str(message.get("Message-ID") or "").strip("<> ")
    guid = f"urn:dateline:email:{message_id}" if message_id else _guid("email", subject, published.isoformat())
    # The sender's name counts as the agency only if it is one ("Reuters Desk" is not a known agency).
    sender = agency_name(email.utils.parseaddr(str(message.get("From") or ""))[0])
    known = sender if sender in set(AGENCY_NAMES.values()) else ""
    return _story(subject, body.split("\n"), published, guid, fallback_agency=known, source_format="email")


def parse_items(data: bytes, received: datetime | None = None) -> list[tuple[str, WireStory | WireError]]:
    if data.lstrip()[:1] not in (b"\x01", b"\x16") and b"\x01" not in data[:16] and looks_like_email(data):
        return one_story(lambda: parse_email(data, received))
    return one_story(lambda: parse_transmission(decode_text(data), received))


def looks_like_email(data: bytes) -> bool:
    first = data[:2048].split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    return len(_EMAIL_HEADERS.findall(first)) >= 2 and not data.lstrip(b"\x16 \r\n").startswith(b"ZCZC")
