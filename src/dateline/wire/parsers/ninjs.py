"""IPTC ninjs (News in JSON), versions 1.x, 2.x and 3.x, detected from the document.

1.x has flat fields (headline, body_html, byline, subject); 2.x has lists (headlines,
bodies, descriptions, subjects) in lower case; 3.x has the 2.x lists with camelCase names
(versionCreated, pubStatus). Pure functions: bytes in, WireStory out.
"""

from __future__ import annotations

import json

from ..html import clean_inline, paragraphs_from_html, paragraphs_from_text
from ..story import EARLIEST, WireError, WirePhoto, WireStory
from .common import (
    NotAStory,
    agency_name,
    normalise_dateline,
    parse_datetime,
    parse_version,
    printable_byline,
    split_dateline,
    split_names,
    subject_qcode,
    tidy_paragraphs,
)

MAX_DEPTH = 64
# ninjs says "withheld" where NewsML-G2 says "withdrawn".
PUB_STATUS = {
    "usable": "usable",
    "withheld": "withdrawn",
    "withdrawn": "withdrawn",
    "canceled": "canceled",
    "cancelled": "canceled",
}
MEDIA_TOPIC_URI = "http://cv.iptc.org/newscodes/mediatopic/"
SUBJECT_CODE_URI = "http://cv.iptc.org/newscodes/subjectcode/"


def detect_version(doc: dict) -> str:
    if any(key in doc for key in ("versionCreated", "pubStatus", "firstCreated", "copyrightHolder", "contentCreated")):
        return "3"
    if any(key in doc for key in ("headlines", "bodies", "descriptions", "subjects")):
        return "2"
    return "1"


def _kind(value) -> str:
    return {dict: "an object", list: "a list", bool: "true/false", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _text(doc: dict, *names) -> str:
    """The first non-empty of the named fields, which must be text: a schema mismatch is a clear error."""
    for name in names:
        value = doc.get(name)
        if value in (None, "", [], {}):
            continue
        if not isinstance(value, str):
            raise WireError(f"the ninjs field {name!r} should be text, not {_kind(value)}")
        return value
    return ""


def _list(doc: dict, name: str) -> list:
    value = doc.get(name)
    if value in (None, "", {}):
        return []
    if not isinstance(value, list):
        raise WireError(f"the ninjs field {name!r} should be a list, not {_kind(value)}")
    return value


def _number(doc: dict, name: str) -> int | None:
    value = doc.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
        raise WireError(f"the ninjs field {name!r} should be a whole number, not {value!r}")
    return int(value)


def _by_role(items, *roles):
    if items is not None and not isinstance(items, list):
        raise WireError(
            f"a ninjs list ({', '.join(r for r in roles if r) or 'values'}) should be a list, not {_kind(items)}"
        )
    items = [item for item in items or [] if isinstance(item, dict) and item.get("value")]
    for item in items:
        if not isinstance(item["value"], str):
            raise WireError(f"a ninjs value should be text, not {_kind(item['value'])}")
    for role in roles:
        for item in items:
            if item.get("role") == role:
                return item
    return items[0] if items else None


def _body(doc: dict, version: str) -> tuple[str, ...]:
    if version == "1":
        html = _text(doc, "body_html", "body_xhtml", "body_richtext")
        if html:
            return paragraphs_from_html(html)
        return paragraphs_from_text(_text(doc, "body_text", "body_main"))
    if not isinstance(doc.get("bodies") or [], list):
        raise WireError(f"the ninjs field 'bodies' should be a list, not {_kind(doc['bodies'])}")
    bodies = [
        b for b in doc.get("bodies") or [] if isinstance(b, dict) and isinstance(b.get("value"), str) and b["value"]
    ]
    for body in bodies:
        kind = str(body.get("contenttype") or body.get("contentType") or "").lower()
        if "html" in kind or body.get("role") in ("html", "html5", "richhtml5"):
            paragraphs = paragraphs_from_html(body["value"])
            if paragraphs:
                return paragraphs
    for body in bodies:
        kind = str(body.get("contenttype") or body.get("contentType") or "text/plain").lower()
        if kind.startswith("text/plain"):
            return paragraphs_from_text(body["value"])
    return ()


def _photos(doc: dict) -> tuple[WirePhoto, ...]:
    associations = doc.get("associations") or []
    if isinstance(associations, dict):
        associations = list(associations.values())
    if not isinstance(associations, list):
        raise WireError(f"the ninjs field 'associations' should be a list or an object, not {_kind(associations)}")
    photos = []
    for item in associations:
        if not isinstance(item, dict) or item.get("type") not in ("picture", "graphic"):
            continue
        description = _by_role(item.get("descriptions"), "caption", "text") if "descriptions" in item else None
        caption = description["value"] if description else _text(item, "description_text", "headline")
        renditions = item.get("renditions") or []
        if isinstance(renditions, dict):
            renditions = list(renditions.values())
        if not isinstance(renditions, list):
            raise WireError(f"the ninjs field 'renditions' should be a list or an object, not {_kind(renditions)}")
        hrefs = [r["href"] for r in renditions if isinstance(r, dict) and isinstance(r.get("href"), str) and r["href"]]
        photos.append(
            WirePhoto(caption=clean_text(caption), credit=_text(item, "by", "byline"), href=hrefs[0] if hrefs else "")
        )
    return tuple(photos)


def pub_status(value) -> str:
    status = str(value or "usable").strip().lower()
    if status not in PUB_STATUS:
        raise WireError(f"unknown pubstatus {value!r} (expected usable, withheld or canceled)")
    return PUB_STATUS[status]


def _subject_codes(subjects) -> tuple[str, ...]:
    """IPTC codes of the subjects, written as qcodes ("medtop:04000000", "subj:15000000")."""
    codes = []
    for subject in subjects if isinstance(subjects, list) else []:
        if not isinstance(subject, dict):
            continue
        uri, code = str(subject.get("uri") or ""), str(subject.get("code") or subject.get("qcode") or "")
        if uri.startswith(MEDIA_TOPIC_URI):
            code = "medtop:" + uri[len(MEDIA_TOPIC_URI) :].strip("/")
        elif uri.startswith(SUBJECT_CODE_URI):
            code = "subj:" + uri[len(SUBJECT_CODE_URI) :].strip("/")
        if code:
            codes.append(subject_qcode(code))
    return tuple(dict.fromkeys(codes))


def _signals(doc: dict) -> list[str]:
    """ninjs 2/3 signals ('sig:correction', {"code": "correction"}) and an editorial status of 'correction'."""
    found = []
    signals = doc.get("signals")
    for signal in signals if isinstance(signals, list) else []:
        if isinstance(signal, dict):
            value = signal.get("code") or signal.get("uri") or signal.get("name")
        else:
            value = signal
        if isinstance(value, str) and value:
            found.append(value.rsplit(":", 1)[-1].rsplit("/", 1)[-1].lower())
    for name in ("edstat", "edStat", "editorialstatus"):
        if "correct" in str(doc.get(name) or "").lower():
            found.append("correction")
    return found


def clean_text(value: str) -> str:
    return " ".join(str(value or "").split())


def parse_document(doc) -> WireStory:
    if not isinstance(doc, dict):
        raise WireError("a ninjs document must be a JSON object")
    version = detect_version(doc)
    kind = doc.get("type", "text")
    if kind not in ("text", "composite", None):
        raise NotAStory(f"not a text story: ninjs item of type {kind!r}")
    guid = _text(doc, "uri", "guid")
    if not guid:
        raise WireError("the ninjs document has no uri (its guid)")

    if version == "1":
        headline = _text(doc, "headline", "headline_main")
        summary = _text(doc, "description_text", "description_main")
        byline = _text(doc, "byline")
        located = _text(doc, "located")
        subjects = [s["name"] for s in _list(doc, "subject") if isinstance(s, dict) and isinstance(s.get("name"), str)]
    else:
        headline_item = _by_role(doc.get("headlines"), "main", "")
        headline = headline_item["value"] if headline_item else ""
        description = _by_role(doc.get("descriptions"), "summary", "text", "")
        summary = description["value"] if description else ""
        byline = _text(doc, "by")
        located = _text(doc, "located")
        subjects = [s["name"] for s in _list(doc, "subjects") if isinstance(s, dict) and isinstance(s.get("name"), str)]
    # The life cycle before the content: a kill is applied whatever its body holds (often nothing).
    status = pub_status(_text(doc, "pubstatus", "pubStatus"))
    killed = status != "usable"
    if not headline.strip() and not killed:
        raise WireError("the ninjs document has no headline")
    paragraphs = _body(doc, version)
    if not paragraphs and kind == "text" and summary:
        paragraphs = paragraphs_from_text(summary)  # a text item whose lead is all there is (NTB)
        summary = ""
    if not paragraphs and not killed:
        raise WireError("the ninjs text item has no body text Dateline can read (bodies, body_html or body_text)")
    paragraphs, keywords, note, trailer = tidy_paragraphs(paragraphs)
    city, body_agency, paragraphs = split_dateline(paragraphs)
    agency = (
        agency_name(_text(doc, "copyrightholder", "copyrightHolder"))
        or agency_name(body_agency)
        or agency_name(_text(doc, "copyrightnotice", "copyrightNotice"))
    )
    versioncreated = parse_datetime(_text(doc, "versioncreated", "versionCreated"), "versioncreated")
    firstcreated = parse_datetime(_text(doc, "firstcreated", "firstCreated", "contentCreated"), "firstcreated")
    published = firstcreated or versioncreated
    if published is None and killed:
        published = EARLIEST
    if published is None:
        raise WireError("the ninjs document has no firstcreated or versioncreated time")
    authors = split_names(byline, agency)
    signals = tuple(_signals(doc)) + (("correction",) if note else ())
    return WireStory(
        guid=str(guid),
        version=parse_version(_number(doc, "version")),
        headline=clean_text(headline),
        published=published,
        updated=versioncreated if firstcreated and versioncreated and versioncreated > firstcreated else None,
        paragraphs=paragraphs,
        summary=clean_text(clean_inline(summary)) if summary else "",
        byline=printable_byline(byline),
        authors=authors,
        dateline=normalise_dateline(located) or city,
        agency=agency,
        photos=_photos(doc),
        tags=tuple(dict.fromkeys([clean_text(s) for s in subjects] + list(keywords))),
        language=_text(doc, "language") or "en",
        pub_status=status,
        urgency=_number(doc, "urgency"),
        slugline=_text(doc, "slugline"),
        ednote=" ".join(p for p in (note, clean_text(_text(doc, "ednote", "edNote"))) if p),
        signals=tuple(dict.fromkeys(signals)),
        trailer=trailer,
        embargo=parse_datetime(_text(doc, "embargoed", "embargoedUntil"), "embargoed"),
        source_format=f"ninjs-{version}",
        subject_codes=_subject_codes(doc.get("subjects") or doc.get("subject") or []),
        version_created=versioncreated,
    )


def load_json(data: bytes):
    """The JSON document in DATA, or a WireError saying why it is not one."""
    if not data.strip():
        raise WireError("the file is empty")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise WireError(f"not UTF-8 JSON: undecodable byte at position {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise WireError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise WireError("JSON nested too deeply") from None


def parse_bytes(data: bytes) -> WireStory:
    return parse_document(load_json(data))


# Keys under which agencies' APIs wrap ninjs items: {"data": {"item": {...}}}, {"data": {"items": [...]}},
# {"items": [...]}, {"results": [...]}, {"entries": [...]}, {"item": {...}} ... and a bare list.
ENVELOPE_KEYS = ("data", "item", "items", "results", "entries", "hits", "documents", "content", "payload")
NINJS_KEYS = ("uri", "guid", "headline", "headlines", "type", "versioncreated", "versionCreated", "body_html", "bodies")


def _is_item(doc) -> bool:
    return isinstance(doc, dict) and any(key in doc for key in NINJS_KEYS)


def unwrap(doc, depth: int = 0) -> list:
    """The ninjs items an agency API response holds, in order (one document may be one item)."""
    if depth > 6:
        return []
    if isinstance(doc, list):
        return [item for element in doc for item in unwrap(element, depth + 1)]
    if _is_item(doc):
        return [doc]
    if isinstance(doc, dict):
        for key in ENVELOPE_KEYS:
            if key in doc:
                found = unwrap(doc[key], depth + 1)
                if found:
                    return found
    return []


def _text_associations(doc: dict) -> list[dict]:
    """ninjs 2/3 associations that are text items of their own (a sidebar, a fact box): stories too."""
    associations = doc.get("associations") or []
    if isinstance(associations, dict):
        associations = list(associations.values())
    if not isinstance(associations, list):
        return []
    return [a for a in associations if isinstance(a, dict) and a.get("type") == "text" and _is_item(a)]


def parse_items(data: bytes) -> list[tuple[str, WireStory | WireError]]:
    """Every ninjs item in a document: one item, a list, or an agency's envelope around either."""
    doc = load_json(data)
    items = unwrap(doc)
    if not items:
        keys = ", ".join(list(doc)[:8]) if isinstance(doc, dict) else type(doc).__name__
        raise WireError(f"no ninjs item in the JSON (no uri, headlines or bodies; top-level keys: {keys})")
    results: list[tuple[str, WireStory | WireError]] = []
    for position, item in enumerate(items, 1):
        for document in [item, *_text_associations(item)]:
            label = str(document.get("uri") or document.get("guid") or f"item {position}")
            try:
                results.append((label, parse_document(document)))
            except WireError as exc:
                results.append((label, exc))
    return results
