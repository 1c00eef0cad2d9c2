"""IPTC NITF 3.x (News Industry Text Format) -> WireStory, standalone or carried in NewsML.

What each part gives (NITF 3.6, the schema in tests/fixtures/iptc/newsml-g2/xsd/nitf-3-6.xsd):

- ``head/title``: the headline when ``hedline`` has none;
- ``head/docdata``: ``doc-id@id-string`` (the guid), ``@management-status`` (usable, embargoed,
  withheld, canceled; also a ``doc.status`` element some agencies send), ``date.issue@norm``
  (the time stamp), ``date.release@norm`` (an embargo when later than the issue), ``urgency@ed-urg``,
  ``doc.copyright@holder`` (the agency), ``key-list/keyword@key`` (tags), ``correction@info`` and
  ``ed-msg@info`` (corrections and editors' notes), ``identified-content/classifier`` and
  ``head/tobject/tobject.subject@tobject.subject.refnum`` (IPTC subject codes);
- ``body/body.head``: ``hedline/hl1`` and ``hl2``, ``byline`` with ``person`` (the authors) and
  ``byttl`` (a job title, left out), ``dateline`` with ``location`` and ``story.date``,
  ``abstract`` (the summary), ``distributor``;
- ``body/body.content``: the paragraphs, and ``media`` (``media-reference@source``,
  ``media-caption``, ``media-producer``) as photos;
- ``body/body.end/tagline``: the credit line under the story.

Pure functions: bytes (or an element) in, WireStory out.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta, timezone

from ..html import paragraphs_from_element
from ..story import EARLIEST, WireError, WirePhoto, WireStory
from .common import (
    BY_PREFIX,
    agency_name,
    normalise_dateline,
    one_story,
    printable_byline,
    split_dateline,
    split_names,
    subject_qcode,
    tidy_paragraphs,
)
from .xml import attr, child, children, descend, local, parse_xml, text

STATUS = {
    "usable": "usable",
    "embargoed": "usable",
    "withheld": "withdrawn",
    "withdrawn": "withdrawn",
    "canceled": "canceled",
    "cancelled": "canceled",
    "killed": "canceled",
    "kill": "canceled",
}
_BASIC = re.compile(
    r"^(?P<y>\d{4})-?(?P<mo>\d{2})-?(?P<d>\d{2})(?:T(?P<h>\d{2}):?(?P<mi>\d{2})(?::?(?P<s>\d{2}))?(?:[.,]\d+)?)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)


def parse_norm(value: str, what: str, default_zone: timezone | None = UTC) -> datetime | None:
    """An ISO 8601 time, basic ('20121202T151200Z', '20121202T101200-0500') or extended; None if empty.

    NITF's @norm often has no zone: UTC is assumed (``default_zone``), as NITF's examples read."""
    value = (value or "").strip()
    if not value:
        return None
    match = _BASIC.match(value)
    if not match:
        raise WireError(f"invalid date in {what}: {value!r}")
    g = match.groupdict()
    zone: timezone | None = default_zone
    if g["tz"] == "Z":
        zone = UTC
    elif g["tz"]:
        sign = 1 if g["tz"][0] == "+" else -1
        digits = g["tz"][1:].replace(":", "")
        zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    if zone is None:
        raise WireError(f"{what} {value!r} has no time zone")
    try:
        return datetime(
            int(g["y"]), int(g["mo"]), int(g["d"]), int(g["h"] or 0), int(g["mi"] or 0), int(g["s"] or 0), tzinfo=zone
        )
    except ValueError:
        raise WireError(f"impossible date in {what}: {value!r}") from None


def _status(docdata) -> str:
    raw = (
        attr(docdata, "management-status")
        or text(child(docdata, "doc.status"))
        or attr(child(docdata, "doc.status"), "value")
    )
    raw = raw.strip().lower()
    if raw and raw not in STATUS:
        raise WireError(f"unknown NITF management-status {raw!r} (usable, embargoed, withheld or canceled)")
    return STATUS.get(raw, "usable")


def _byline(body_head) -> tuple[str, tuple[str, ...]]:
    """The byline as printed (job titles left out) and the people in it (``person`` elements first)."""
    bylines = children(body_head, "byline")
    if not bylines:
        return "", ()
    people: list[str] = []
    printed: list[str] = []
    for byline in bylines:
        people += [text(person) for person in byline.iter("{*}person", "person") if text(person)]
        parts = [byline.text or ""]
        for element in byline:
            if local(element) != "byttl":
                parts.append("".join(element.itertext()))
            parts.append(element.tail or "")
        printed.append(" ".join("".join(parts).split()).strip(" ,;"))
    line = printable_byline("; ".join(p for p in printed if p))
    names = split_names(", ".join(people)) if people else split_names(line)
    if line and not BY_PREFIX.match(line):
        line = f"By {line}"
    return line, names


def _dateline(body_head) -> str:
    dateline = child(body_head, "dateline")
    if dateline is None:
        return ""
    location = child(dateline, "location")
    if location is not None:
        city = child(location, "city")
        return normalise_dateline(text(city) if city is not None else (location.text or text(location)))
    return normalise_dateline((dateline.text or "").strip() or text(dateline))


def _subjects(head) -> tuple[str, ...]:
    codes = []
    for subject in head.iter("{*}tobject.subject", "tobject.subject"):
        codes.append(subject_qcode(attr(subject, "tobject.subject.refnum")))
    for classifier in head.iter("{*}classifier", "classifier"):
        value = attr(classifier, "value") or attr(classifier, "id-string")
        if value:
            codes.append(subject_qcode(value))
    return tuple(dict.fromkeys(code for code in codes if code))


def _photos(content) -> tuple[WirePhoto, ...]:
    photos = []
    for media in content.iter("{*}media", "media"):
        if (attr(media, "media-type") or "image").lower() not in ("image", "photo", "graphic"):
            continue
        references = children(media, "media-reference")
        source = next((attr(r, "source") for r in references if attr(r, "source")), "")
        photos.append(
            WirePhoto(
                caption=text(child(media, "media-caption")),
                credit=text(child(media, "media-producer")),
                href=source,
            )
        )
    return tuple(photos)


def body_parts(nitf) -> tuple[tuple[str, ...], str, tuple[WirePhoto, ...]]:
    """Paragraphs, the byline as printed, and photos of an NITF element (for NewsML's inline NITF)."""
    body = child(nitf, "body")
    content = child(body, "body.content")
    if content is None:
        return (), "", ()
    byline, _ = _byline(child(body, "body.head"))
    return paragraphs_from_element(content), byline, _photos(content)


def story_from_element(nitf, guid: str = "", version: int = 1, fmt: str = "nitf") -> WireStory:
    """One ``<nitf>`` element -> WireStory. ``guid`` and ``version`` come from an envelope if it has them."""
    head = child(nitf, "head")
    docdata = child(head, "docdata")
    body = child(nitf, "body")
    body_head = child(body, "body.head")
    content = child(body, "body.content")

    status = _status(docdata)
    killed = status != "usable"
    hedline = child(body_head, "hedline")
    headline = text(child(hedline, "hl1")) or text(child(head, "title"))
    subheadline = text(child(hedline, "hl2"))
    raw = paragraphs_from_element(content) if content is not None else ()
    paragraphs, keywords, note, trailer = tidy_paragraphs(raw)

    guid = guid or attr(child(docdata, "doc-id"), "id-string")
    issued = parse_norm(attr(child(docdata, "date.issue"), "norm"), "date.issue")
    story_date = descend(body_head, "dateline", "story.date")
    if issued is None and story_date is not None:
        issued = parse_norm(attr(story_date, "norm"), "story.date")
    if not guid and headline and issued:
        # No identifier: the same headline at the same time is the same story.
        key = f"{headline.lower()}|{issued.astimezone(UTC):%Y%m%dT%H%M}"
        guid = "urn:dateline:nitf:" + hashlib.sha256(key.encode()).hexdigest()[:24]
    if not guid:
        raise WireError("the NITF document has no doc-id id-string and no headline and date.issue to name it by")
    if not headline and not killed:
        raise WireError(f"NITF {guid} has no headline (body.head/hedline/hl1 or head/title)")
    if not paragraphs and not killed:
        raise WireError(f"NITF {guid} has no body text (body/body.content holds no paragraphs)")
    if issued is None and not killed:
        raise WireError(f"NITF {guid} has no time stamp (docdata/date.issue@norm or dateline/story.date@norm)")

    released = parse_norm(attr(child(docdata, "date.release"), "norm"), "date.release")
    embargo = released if released and issued and released > issued else None

    lead_city, lead_agency, paragraphs = split_dateline(paragraphs)
    copyright_holder = agency_name(attr(child(docdata, "doc.copyright"), "holder"))
    distributor = agency_name(text(child(body_head, "distributor")))
    agency = copyright_holder or agency_name(lead_agency) or distributor

    byline, authors = _byline(body_head)
    urgency = attr(child(docdata, "urgency"), "ed-urg")
    corrections = [attr(c, "info") for c in children(docdata, "correction")]
    ednotes = [attr(e, "info") or text(e) for e in children(docdata, "ed-msg")]
    signals = ("correction",) if (note or corrections) else ()
    key_list = child(docdata, "key-list")
    keys = [attr(k, "key") for k in key_list] if key_list is not None else []
    abstract = child(body_head, "abstract")
    language = attr(nitf, "{http://www.w3.org/XML/1998/namespace}lang") or attr(
        body, "{http://www.w3.org/XML/1998/namespace}lang"
    )
    return WireStory(
        guid=guid,
        version=version,
        headline=headline,
        subheadline=subheadline if subheadline != headline else "",
        published=issued or EARLIEST,
        paragraphs=paragraphs,
        summary=" ".join(paragraphs_from_element(abstract)) if abstract is not None else "",
        byline=byline,
        authors=authors,
        dateline=_dateline(body_head) or lead_city,
        agency=agency,
        photos=_photos(content) if content is not None else (),
        tags=tuple(dict.fromkeys([k for k in keys if k] + list(keywords))),
        subject_codes=_subjects(head) if head is not None else (),
        language=language or "en",
        pub_status=status,
        urgency=int(urgency) if urgency.isdigit() and 0 <= int(urgency) <= 9 else None,
        ednote=" ".join([note, *[c for c in corrections if c], *[e for e in ednotes if e]]).strip(),
        signals=signals,
        embargo=embargo,
        trailer=" ".join(t for t in [text(descend(body, "body.end", "tagline")), trailer] if t),
        source_format=fmt,
    )


def parse_items(data: bytes) -> list[tuple[str, WireStory | WireError]]:
    root = parse_xml(data)
    if local(root).lower() != "nitf":
        raise WireError(f"not NITF: the root element is <{local(root)}>")
    return one_story(lambda: story_from_element(root))
