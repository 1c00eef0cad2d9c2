"""IPTC NewsML-G2: ``newsItem``, ``packageItem`` and ``newsMessage`` documents -> WireStory.

The XML is parsed safely: no entity expansion, no DTD loading, no network, and any document
carrying a DOCTYPE is refused outright (that is where XXE and "billion laughs" payloads live).
Bodies come from ``inlineXML`` holding NITF or XHTML, or from plain-text ``inlineData``.
Picture items that a package in the same message groups with a text item become that story's
photos. Pure functions: bytes in, stories (or the reason an item is not one) out.
"""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import replace

from lxml import etree

from ..html import paragraphs_from_element, paragraphs_from_text
from ..story import EARLIEST, WireError, WirePhoto, WireStory
from .common import (
    BY_PREFIX,
    NotAStory,
    agency_name,
    is_person,
    normalise_dateline,
    parse_datetime,
    parse_version,
    person_name,
    printable_byline,
    split_dateline,
    split_names,
    subject_qcode,
    tidy_paragraphs,
)
from .xml import _parser, parse_xml  # noqa: F401 (the safe parser, tested through this module too)
from .xml import child as _child
from .xml import children as _children
from .xml import local as _local
from .xml import text as _text

ITEM_TAGS = ("newsItem", "packageItem", "conceptItem", "knowledgeItem", "planningItem", "catalogItem")
# NewsML-G2 says "withheld" for a story taken back; Dateline calls it withdrawn.
PUB_STATUS = {"usable": "usable", "withheld": "withdrawn", "canceled": "canceled", "cancelled": "canceled"}
PICTURE_RENDITIONS = ("highRes", "print", "web", "preview", "thumb")
_SPACE = re.compile(r"\s+")
VERSION_OF = "dateline-language-version-of"  # set on the per-language copies ``language_versions`` makes


def _name(element) -> str:
    """A concept's name: its <name> child (the first), or its own text."""
    if element is None:
        return ""
    names = _children(element, "name")
    return _text(names[0]) if names else ""


def _code(element, attribute: str = "qcode") -> str:
    """The code part of a qcode ("nprov:REUTERS" -> "REUTERS") or the last segment of a URI."""
    value = (
        (element.get(attribute) or element.get("uri") or element.get("literal") or "") if element is not None else ""
    )
    return re.split(r"[:/]", value.rstrip("/"))[-1] if value else ""


def _lang(element) -> str:
    return element.get("{http://www.w3.org/XML/1998/namespace}lang", "") if element is not None else ""


def _by_role(elements, *roles):
    """The element whose role names one of roles (e.g. 'drol:summary'), else one with no role."""
    for role in roles:
        for element in elements:
            if (element.get("role") or "").split(":")[-1] == role:
                return element
    for element in elements:
        if not element.get("role"):
            return element
    return None


def item_signals(item_meta) -> tuple[str, ...]:
    """The signals of an item ("update", "correction"), from a qcode or a URI."""
    signals = [_code(signal) for signal in _children(item_meta, "signal")]
    return tuple(dict.fromkeys(s for s in signals if s))


def _item_class(item) -> str:
    item_class = _child(_child(item, "itemMeta"), "itemClass")
    return _code(item_class) if item_class is not None else ""


def _subjects(content_meta) -> tuple[tuple[str, ...], tuple[str, ...]]:
    names, codes = [], []
    for subject in _children(content_meta, "subject"):
        name = _name(subject)
        if name:
            names.append(name)
        for element in [subject] + _children(subject, "broader") + _children(subject, "sameAs"):
            if element.get("qcode"):
                codes.append(subject_qcode(element.get("qcode")))
    return tuple(dict.fromkeys(names)), tuple(dict.fromkeys(codes))


def _located(content_meta) -> str:
    located = _child(content_meta, "located")
    if located is None:
        return ""
    name = _name(located) or (_code(located) if (located.get("qcode") or "").startswith("city:") else "")
    return normalise_dateline(name)


def _agency(item, item_meta, content_meta, body_agency: str = "") -> str:
    """Who the story is credited to: the original's source, credit line or copyright holder, and the agency
    its own dateline names, before the provider that only relays it (AAP sending a Reuters story)."""
    provider = _child(item_meta, "provider")
    holder = _child(_child(item, "rightsInfo"), "copyrightHolder")
    sources = [s for s in _children(content_meta, "infoSource") if "origin" in (s.get("role") or "")]
    for candidate in (
        _name(sources[0]) if sources else "",
        _text(_child(content_meta, "creditline")),
        _name(holder),
        body_agency,
        _name(provider),
        _name(_child(content_meta, "infoSource")),
        _code(provider) if provider is not None else "",
    ):
        if agency_name(candidate):
            return agency_name(candidate)
    return ""


def _ed_corrected(item_meta) -> bool:
    """An editorial status saying 'correction' (agencies' edStat extensions), not only a signal."""
    for element in item_meta.iter() if item_meta is not None else ():
        if isinstance(element.tag, str) and _local(element).lower() in ("edstat", "editorialstatus", "edstatus"):
            value = " ".join([element.get("qcode") or "", element.get("literal") or "", _text(element)]).lower()
            if "correct" in value:
                return True
    return False


def _nitf_byline(nitf_body) -> str:
    byline = _child(_child(nitf_body, "body.head"), "byline")
    if byline is None:
        return ""
    parts = [byline.text or ""] + [child.tail or "" for child in byline]  # leave <byttl> (job titles) out
    return _SPACE.sub(" ", "".join(parts)).strip(" ,;")


def _nitf_photos(body_content) -> tuple[WirePhoto, ...]:
    photos = []
    for media in body_content.iter("{*}media"):
        if (media.get("media-type") or "image") not in ("image", "photo", "graphic"):
            continue
        reference = _child(media, "media-reference")
        photos.append(
            WirePhoto(
                caption=_text(_child(media, "media-caption")),
                credit=_text(_child(media, "media-producer")),
                href=(reference.get("source") or "") if reference is not None else "",
            )
        )
    return tuple(photos)


def _body(item) -> tuple[tuple[str, ...], str, tuple[WirePhoto, ...]]:
    """Paragraphs, the NITF byline (if any) and photos placed in the body."""
    content_set = _child(item, "contentSet")
    for inline in _children(content_set, "inlineXML"):
        kind = (inline.get("contenttype") or "").lower()
        for nitf in [e for e in inline if _local(e) == "nitf"] if "html" not in kind else []:
            body = _child(nitf, "body")
            content = _child(body, "body.content")
            if content is not None:
                paragraphs = paragraphs_from_element(content)
                if paragraphs:
                    return paragraphs, _nitf_byline(body), _nitf_photos(content)
        for html in [e for e in inline if _local(e) in ("html", "body", "div", "article", "section", "p")]:
            paragraphs = paragraphs_from_element(html)
            if paragraphs:
                return paragraphs, "", ()
    for inline in _children(content_set, "inlineData"):
        if (inline.get("contenttype") or "text/plain").lower().startswith("text/plain"):
            paragraphs = paragraphs_from_text(inline.text or "")
            if paragraphs:
                return paragraphs, "", ()
    return (), "", ()


def picture_from_item(item) -> WirePhoto:
    """A picture newsItem as a photo: caption, credit (photographer/credit line) and the best rendition's href."""
    content_meta = _child(item, "contentMeta")
    caption = _text(_by_role(_children(content_meta, "description"), "caption", "summary")) or _text(
        _child(content_meta, "headline")
    )
    creditline = _text(_child(content_meta, "creditline"))
    creators = [_name(c) for c in _children(content_meta, "creator") if _name(c)]
    photographer = ", ".join(creators)
    if photographer and creditline and photographer.lower() not in creditline.lower():
        credit = f"{photographer}/{creditline}"
    else:
        credit = creditline or photographer
    renditions = _children(_child(item, "contentSet"), "remoteContent")
    ranked = sorted(
        (r for r in renditions if r.get("href")),
        key=lambda r: (
            PICTURE_RENDITIONS.index(_code(r, "rendition")) if _code(r, "rendition") in PICTURE_RENDITIONS else 99
        ),
    )
    return WirePhoto(caption=caption, credit=credit, href=ranked[0].get("href").strip() if ranked else "")


def parse_item(item) -> WireStory:
    """One newsItem -> WireStory; NotAStory for pictures, videos, events and empty items; WireError for bad ones."""
    guid = (item.get("guid") or "").strip()
    if not guid:
        raise WireError(f"a {_local(item)} has no guid attribute")
    if _local(item) == "packageItem":
        refs = len(list(item.iter("{*}itemRef")))
        raise NotAStory(
            f"not a text story: {guid} is a package of {refs} item reference(s); "
            "its items are ingested when they arrive as news items"
        )
    if _local(item) != "newsItem":
        raise NotAStory(f"not a text story: {guid} is a {_local(item)}")
    item_meta = _child(item, "itemMeta")
    if item_meta is None:
        raise WireError(f"newsItem {guid} has no itemMeta (it cannot be a complete NewsML-G2 item)")
    kind = _item_class(item) or "text"
    if kind != "text":
        raise NotAStory(f"not a text story: {guid} is a {kind} item (itemClass ninat:{kind})")
    content_meta = _child(item, "contentMeta")

    # The life cycle comes before the content: a kill is applied whatever the body holds.
    status = _child(item_meta, "pubStatus")
    status_code = _code(status).lower() if status is not None else "usable"
    if status_code not in PUB_STATUS:
        raise WireError(f"newsItem {guid} has an unknown pubStatus {status.get('qcode')!r}")
    killed = PUB_STATUS[status_code] != "usable"

    headlines = _children(content_meta, "headline")
    headline = _text(_by_role(headlines, "main", "headline")) or (_text(headlines[0]) if headlines else "")
    if not headline and not killed:
        raise WireError(f"newsItem {guid} has no headline")
    subheadline = _text(_child(content_meta, "subheadline")) or _text(_by_role(headlines, "subheadline", "sub"))
    if subheadline == headline:
        subheadline = ""

    description = _text(_by_role(_children(content_meta, "description"), "summary", "abstract", "teaser"))
    paragraphs, nitf_byline, body_photos = _body(item)
    if not paragraphs and description:
        paragraphs, description = paragraphs_from_text(description), ""  # a text item whose abstract is all there is
    if not paragraphs and not killed:
        raise WireError(
            f"newsItem {guid} is a text item with no body text Dateline can read "
            "(no NITF or XHTML in inlineXML, no text/plain inlineData)"
        )

    version_created = parse_datetime(_text(_child(item_meta, "versionCreated")), f"{guid} versionCreated")
    first_created = parse_datetime(_text(_child(item_meta, "firstCreated")), f"{guid} firstCreated") or parse_datetime(
        _text(_child(content_meta, "contentCreated")), f"{guid} contentCreated"
    )
    published = first_created or version_created
    if published is None and killed:
        published = EARLIEST  # a kill needs no time stamp of its own: nothing of it is shown
    if published is None:
        raise WireError(f"newsItem {guid} has no firstCreated, contentCreated or versionCreated time")

    paragraphs, keywords, note, trailer = tidy_paragraphs(paragraphs)
    city, body_agency, paragraphs = split_dateline(paragraphs)
    agency = _agency(item, item_meta, content_meta, body_agency)
    byline = _text(_child(content_meta, "by")) or nitf_byline
    creators = tuple(
        person_name(_name(c))
        for c in _children(content_meta, "creator")
        if _name(c) and "organisation" not in (c.get("type") or "") and is_person(_name(c))
    )
    if byline and not BY_PREFIX.match(byline):
        byline = f"By {byline}"
    authors = split_names(byline, agency) if byline else creators
    byline = printable_byline(byline)
    if not byline and creators:
        authors = creators
        byline = "By " + " and ".join(creators)
    tags, codes = _subjects(content_meta)
    urgency = _text(_child(content_meta, "urgency"))
    language = _child(content_meta, "language")
    embargo = parse_datetime(_text(_child(item_meta, "embargoed")), f"{guid} embargoed")

    return WireStory(
        guid=guid,
        version=parse_version(item.get("version"), f"newsItem {guid} version"),
        headline=headline,
        subheadline=subheadline,
        published=published,
        updated=version_created if version_created and version_created > published else None,
        version_created=version_created,
        paragraphs=paragraphs,
        summary=description,
        byline=byline,
        authors=authors,
        dateline=_located(content_meta) or city,
        trailer=trailer,
        agency=agency,
        photos=body_photos,
        tags=tuple(dict.fromkeys(tags + keywords)),
        subject_codes=codes,
        language=(language.get("tag") if language is not None else "") or _lang(item) or "en",
        pub_status=PUB_STATUS[status_code],
        urgency=int(urgency) if urgency.isdigit() else None,
        slugline=_text(_child(content_meta, "slugline")),
        ednote=" ".join([note, *(_text(n) for n in _children(item_meta, "edNote"))]).strip(),
        signals=tuple(
            dict.fromkeys(item_signals(item_meta) + (("correction",) if note or _ed_corrected(item_meta) else ()))
        ),
        embargo=embargo,
        source_format="newsml-g2",
        language_version_of=item.get(VERSION_OF) or "",
    )


def _package_pictures(items) -> dict[str, list[str]]:
    """For each text item grouped in a package with picture items: the pictures' guids, in package order."""
    by_guid = {item.get("guid"): item for item in items if item.get("guid")}
    grouped: dict[str, list[str]] = {}
    for package in (item for item in items if _local(item) == "packageItem"):
        refs = [ref.get("residref") for ref in package.iter("{*}itemRef") if ref.get("residref") in by_guid]
        texts = [ref for ref in refs if _local(by_guid[ref]) == "newsItem" and _item_class(by_guid[ref]) == "text"]
        pictures = [ref for ref in refs if _item_class(by_guid[ref]) in ("picture", "graphic")]
        if texts and pictures:
            grouped.setdefault(texts[0], []).extend(pictures)
    return grouped


def parse_items(data: bytes) -> list[tuple[str, WireStory | WireError]]:
    """Every item in a document, as (guid or position, story or the error that item gave).

    A document that is not XML, or not NewsML-G2 at all, raises WireError; one bad item in a
    newsMessage is reported beside the good ones.
    """
    root = parse_xml(data)
    name = _local(root)
    if name == "newsMessage":
        items = (
            [child for child in _child(root, "itemSet") if isinstance(child.tag, str) and _local(child) in ITEM_TAGS]
            if _child(root, "itemSet") is not None
            else []
        )
        if not items:
            raise NotAStory("not a text story: the newsMessage carries no items")
    elif name in ITEM_TAGS:
        items = [root]
    else:
        raise NotAStory(
            f"not a text story: the root element <{name}> is not a NewsML-G2 newsItem, packageItem or newsMessage"
        )

    pictures_of = _package_pictures(items)
    attached = {picture: text for text, pictures in pictures_of.items() for picture in pictures}
    by_guid = {item.get("guid"): item for item in items}
    results: list[tuple[str, WireStory | WireError]] = []
    for position, item in enumerate(items, 1):
        guid = item.get("guid") or f"item {position}"
        if guid in attached:
            results.append((guid, NotAStory(f"picture item {guid}: imported as a photo of {attached[guid]}")))
            continue
        if _local(item) == "packageItem" and any(ref.get("residref") in by_guid for ref in item.iter("{*}itemRef")):
            results.append((guid, NotAStory(f"package {guid}: groups items carried in this message, imported from it")))
            continue
        for version in language_versions(item):
            label = version.get("guid") or guid
            try:
                story = parse_item(version)
            except WireError as exc:
                results.append((label, exc))
                continue
            if guid in pictures_of:
                photos = tuple(picture_from_item(by_guid[picture]) for picture in pictures_of[guid])
                story = replace(story, photos=story.photos + photos)
            results.append((label, story))
    return results


def _lang_of(element) -> str:
    return (_lang(element) or element.get("lang") or "").lower()


def language_versions(item) -> list:
    """One item carrying its story in several languages (STT sends Finnish, Swedish and English in one
    newsItem: an inlineXML each, headlines with xml:lang) as one item a language, each with the guid
    GUID:LANG and only its own headline and body. An item in one language is returned as it is."""
    content_set = _child(item, "contentSet")
    bodies = [e for e in content_set if isinstance(e.tag, str) and _lang_of(e)] if content_set is not None else []
    languages = list(dict.fromkeys(_lang_of(e) for e in bodies))
    if len(languages) < 2 or _local(item) != "newsItem":
        return [item]
    versions = []
    for language in languages:
        version = deepcopy(item)
        version.set("guid", f"{item.get('guid')}:{language}")
        version_set = _child(version, "contentSet")
        for element in list(version_set):
            if isinstance(element.tag, str) and _lang_of(element) not in ("", language):
                version_set.remove(element)
        meta = _child(version, "contentMeta")
        if meta is not None:
            texts = [e for e in meta if isinstance(e.tag, str) and _local(e) in ("headline", "description", "slugline")]
            for element in texts:
                mine = [e for e in texts if _local(e) == _local(element) and _lang_of(e) == language]
                if _lang_of(element) not in ("", language) or (mine and element not in mine):
                    meta.remove(element)
            for element in _children(meta, "language"):
                meta.remove(element)
            tag = etree.SubElement(
                meta, f"{{{etree.QName(item).namespace}}}language" if etree.QName(item).namespace else "language"
            )
            tag.set("tag", language)
        version.set(VERSION_OF, item.get("guid") or "")
        versions.append(version)
    return versions


def parse_bytes(data: bytes) -> WireStory:
    """A document holding exactly one text story -> that story."""
    results = parse_items(data)
    stories = [outcome for _, outcome in results if isinstance(outcome, WireStory)]
    if len(stories) == 1:
        return stories[0]
    if not stories:
        raise next((outcome for _, outcome in results if isinstance(outcome, WireError)), WireError("no item"))
    raise WireError(f"the document holds {len(stories)} stories; use parse_items")
