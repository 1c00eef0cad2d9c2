"""IPTC NewsML 1.2 (AFP, ANA and others still send it) -> WireStory, one per text NewsItem.

The parts read (NewsML 1.2 specification, IPTC 2003):

- ``NewsEnvelope``: ``DateAndTime`` and ``Priority`` (the urgency when the item has none);
- ``NewsItem/Identification/NewsIdentifier``: ``ProviderId``, ``DateId`` and ``NewsItemId`` make
  the guid (``urn:newsml:PROVIDER:DATE:ID``, the same for every revision); ``RevisionId`` is the
  version (its ``PreviousRevision`` and ``Update`` attributes are read for the notes);
- ``NewsManagement``: ``Status`` (Usable, Embargoed, Withheld, Canceled), ``Urgency``,
  ``FirstCreated``, ``ThisRevisionCreated``, ``StatusWillChange`` (an embargo), ``Instruction``
  (a correction or a kill);
- ``NewsComponent``: ``NewsLines`` (``HeadLine``, ``SubHeadLine``, ``ByLine``, ``DateLine``,
  ``CreditLine``, ``CopyrightLine``, ``SlugLine``, ``KeywordLine``, ``NewsLine``),
  ``AdministrativeMetadata`` (``Provider``, ``Creator``, ``Source``), ``RightsMetadata``
  (``CopyrightHolder``), ``DescriptiveMetadata`` (``Language``, ``SubjectCode``, ``Location``),
  and nested components: the text ``ContentItem`` whose ``DataContent`` carries NITF, XHTML or
  text, and sibling photo components (a ``ContentItem`` with ``Href``, its caption in a text item
  or the component's ``HeadLine``).

Pure functions: bytes in, stories (or the reason an item is not one) out.
"""

from __future__ import annotations

import re

from ..html import paragraphs_from_element, paragraphs_from_text
from ..story import EARLIEST, WireError, WirePhoto, WireStory
from . import nitf
from .common import (
    BY_PREFIX,
    NotAStory,
    agency_name,
    normalise_dateline,
    printable_byline,
    split_dateline,
    split_names,
    subject_qcode,
    tidy_paragraphs,
)
from .xml import attr, child, children, descend, local, parse_xml, text

STATUS = {"usable": "usable", "embargoed": "usable", "withheld": "withdrawn", "canceled": "canceled"}
STATUS["cancelled"] = STATUS["killed"] = "canceled"
TEXT_TYPES = {"text", "complex", ""}


def _formal(element) -> str:
    return attr(element, "FormalName")


def _party(element) -> str:
    parties = children(element, "Party")
    return _formal(parties[0]) if parties else text(element)


def _components(component):
    """The component and every component nested in it, depth first."""
    yield component
    for nested in children(component, "NewsComponent"):
        yield from _components(nested)


def _media_type(item) -> str:
    return _formal(child(item, "MediaType")).lower()


def _text_content(component) -> tuple[tuple[str, ...], str, tuple[WirePhoto, ...]]:
    """Paragraphs (and an NITF byline and photos) from the first text ContentItem that has any."""
    for part in _components(component):
        role = _formal(child(part, "Role")).lower()
        if role in ("photo", "picture", "caption", "graphic", "video"):
            continue
        for item in children(part, "ContentItem"):
            if _media_type(item) not in ("text", ""):
                continue
            data = child(item, "DataContent")
            if data is None:
                continue
            for element in data:
                if local(element).lower() == "nitf":
                    paragraphs, byline, photos = nitf.body_parts(element)
                    if paragraphs:
                        return paragraphs, byline, photos
            paragraphs = paragraphs_from_element(data)
            if paragraphs:
                return paragraphs, "", ()
            paragraphs = paragraphs_from_text("".join(data.itertext()))
            if paragraphs:
                return paragraphs, "", ()
    return (), "", ()


def _photos(component) -> tuple[WirePhoto, ...]:
    photos = []
    for part in _components(component):
        pictures = [i for i in children(part, "ContentItem") if _media_type(i) in ("photo", "graphic", "image")]
        if not pictures:
            continue
        lines = child(part, "NewsLines")
        captions = [
            " ".join(paragraphs_from_element(child(i, "DataContent")) or (text(child(i, "DataContent")),))
            for i in children(part, "ContentItem")
            if _media_type(i) == "text" and child(i, "DataContent") is not None
        ]
        caption = next((c for c in captions if c), "") or text(child(lines, "HeadLine"))
        credit = text(child(lines, "CreditLine")) or text(child(lines, "CopyrightLine"))
        href = next((attr(i, "Href") for i in pictures if attr(i, "Href")), "")
        photos.append(WirePhoto(caption=caption, credit=credit, href=href))
    return tuple(photos)


def _subjects(component) -> tuple[str, ...]:
    codes = []
    for code in component.iter("{*}SubjectCode", "SubjectCode"):
        for element in code:
            value = _formal(element)
            if value:
                codes.append(subject_qcode(value))
    return tuple(dict.fromkeys(codes))


def _city(metadata, dateline_line: str) -> str:
    for location in children(metadata, "Location"):
        for prop in children(location, "Property"):
            if _formal(prop).lower() == "city" and attr(prop, "Value"):
                return normalise_dateline(attr(prop, "Value"))
    # "PARIS, March 6 (AFP) -": the city before the first comma or parenthesis.
    return normalise_dateline(re.split(r"[,(]", dateline_line)[0]) if dateline_line else ""


def parse_news_item(item, envelope=None) -> WireStory:
    identifier = descend(item, "Identification", "NewsIdentifier")
    provider = text(child(identifier, "ProviderId"))
    date_id = text(child(identifier, "DateId"))
    item_id = text(child(identifier, "NewsItemId"))
    if not (provider and item_id):
        public = text(child(identifier, "PublicIdentifier"))
        if not public:
            raise WireError("a NewsItem has no NewsIdentifier (ProviderId and NewsItemId, or PublicIdentifier)")
        guid = re.sub(r":\d+[A-Z]?$", "", public)  # the public identifier ends with the revision
    else:
        guid = f"urn:newsml:{provider}:{date_id}:{item_id}"
    revision = child(identifier, "RevisionId")
    version_text = text(revision) or "1"
    if not version_text.isdigit():
        raise WireError(f"NewsItem {guid} has a RevisionId that is not a whole number: {version_text!r}")
    version = int(version_text)

    management = child(item, "NewsManagement")
    item_type = _formal(child(management, "NewsItemType")).lower()
    if item_type and item_type not in ("news", "advisory", "alert", "flash", "alert/flash"):
        raise NotAStory(f"not a text story: NewsItem {guid} is of NewsItemType {item_type!r}")
    status_name = _formal(child(management, "Status")).lower() or "usable"
    if status_name not in STATUS:
        raise WireError(f"NewsItem {guid} has an unknown Status {status_name!r}")
    instructions = [_formal(i).lower() for i in children(management, "Instruction")]
    status = STATUS[status_name]
    if any(i in ("kill", "killed", "cancel", "canceled", "withdraw", "withhold") for i in instructions):
        status = "canceled"
    killed = status != "usable"

    component = child(item, "NewsComponent")
    if component is None:
        if killed:
            component = item  # a kill may carry no content at all
        else:
            raise WireError(f"NewsItem {guid} has no NewsComponent")
    media = {_media_type(i) for part in _components(component) for i in children(part, "ContentItem")}
    if media and not media & {"text", ""} and not killed:
        kind = ", ".join(sorted(media))
        raise NotAStory(f"not a text story: NewsItem {guid} carries {kind} only")

    lines = child(component, "NewsLines")
    headline = text(child(lines, "HeadLine"))
    raw, nitf_byline, body_photos = _text_content(component)
    paragraphs, keywords, note, trailer = tidy_paragraphs(raw)
    if not headline and not killed:
        raise WireError(f"NewsItem {guid} has no HeadLine")
    if not paragraphs and not killed:
        raise WireError(f"NewsItem {guid} has no text Dateline can read (no NITF, XHTML or text DataContent)")

    created = nitf.parse_norm(text(child(management, "FirstCreated")), "FirstCreated")
    revised = nitf.parse_norm(text(child(management, "ThisRevisionCreated")), "ThisRevisionCreated")
    sent = nitf.parse_norm(text(child(envelope, "DateAndTime")), "DateAndTime") if envelope is not None else None
    published = created or revised or sent
    if published is None and not killed:
        raise WireError(f"NewsItem {guid} has no FirstCreated or ThisRevisionCreated time")
    will_change = child(management, "StatusWillChange")
    embargo = None
    if status_name == "embargoed" and will_change is not None:
        embargo = nitf.parse_norm(text(child(will_change, "DateAndTime")), "StatusWillChange")

    dateline_line = text(child(lines, "DateLine"))
    lead_city, lead_agency, paragraphs = split_dateline(paragraphs)
    admin = child(component, "AdministrativeMetadata")
    holder = text(descend(component, "RightsMetadata", "Copyright", "CopyrightHolder"))
    agency = (
        agency_name(holder)
        or agency_name(text(child(lines, "CreditLine")))
        or agency_name(lead_agency)
        or agency_name(_party(child(admin, "Source")))
        or agency_name(_party(child(admin, "Provider")))
        or agency_name(provider.split(".")[0])
    )
    byline = text(child(lines, "ByLine")) or nitf_byline
    authors = split_names(byline, agency)
    byline = printable_byline(byline)
    if byline and not BY_PREFIX.match(byline):
        byline = f"By {byline}"

    metadata = child(component, "DescriptiveMetadata")
    language = _formal(child(metadata, "Language")) or "en"
    urgency = _formal(child(management, "Urgency")) or (
        _formal(child(envelope, "Priority")) if envelope is not None else ""
    )
    news_lines = {
        _formal(child(line, "NewsLineType")).lower(): text(child(line, "NewsLineText"))
        for line in children(lines, "NewsLine")
    }
    correction_lines = [v for k, v in news_lines.items() if "correct" in k or "rectif" in k]
    revision_note = ""
    if revision is not None and attr(revision, "Update") in ("U", "A") and attr(revision, "PreviousRevision"):
        revision_note = f"replaces revision {attr(revision, 'PreviousRevision')}"
    corrected = bool(note or correction_lines) or any("correct" in i or "rectif" in i for i in instructions)
    keyword_line = [k.strip() for k in re.split(r"[,;/]", text(child(lines, "KeywordLine"))) if k.strip()]
    return WireStory(
        guid=guid,
        version=version,
        headline=headline,
        subheadline=text(child(lines, "SubHeadLine")),
        published=published or EARLIEST,
        updated=revised if revised and published and revised > published else None,
        version_created=revised,
        paragraphs=paragraphs,
        byline=byline,
        authors=authors,
        dateline=_city(metadata, dateline_line) or lead_city,
        agency=agency,
        photos=body_photos + _photos(component),
        tags=tuple(dict.fromkeys(keyword_line + list(keywords))),
        subject_codes=_subjects(component),
        language=language,
        pub_status=status,
        urgency=int(urgency) if urgency.isdigit() and 0 <= int(urgency) <= 9 else None,
        slugline=text(child(lines, "SlugLine")),
        ednote=" ".join(p for p in [note, *correction_lines, news_lines.get("editorialnote", "")] if p),
        signals=("correction",) if corrected else (("update",) if revision_note else ()),
        embargo=embargo,
        trailer=trailer,
        source_format="newsml-1.2",
    )


def parse_items(data: bytes) -> list[tuple[str, WireStory | WireError]]:
    root = parse_xml(data)
    if local(root) != "NewsML":
        raise WireError(f"not NewsML 1.2: the root element is <{local(root)}>")
    envelope = child(root, "NewsEnvelope")
    items = children(root, "NewsItem")
    if not items:
        raise NotAStory("not a text story: the NewsML document carries no NewsItem")
    results: list[tuple[str, WireStory | WireError]] = []
    for position, item in enumerate(items, 1):
        label = text(descend(item, "Identification", "NewsIdentifier", "NewsItemId")) or f"NewsItem {position}"
        try:
            results.append((label, parse_news_item(item, envelope)))
        except WireError as exc:
            results.append((label, exc))
    return results
