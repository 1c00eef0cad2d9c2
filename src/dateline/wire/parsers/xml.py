"""Safe XML for every XML format (NewsML-G2, NewsML 1.2, NITF, WordPress exports), and small helpers.

No entity expansion, no DTD loading, no network, and any document carrying a DOCTYPE is refused
outright (that is where XXE and "billion laughs" payloads live); none of the formats needs one.
"""

from __future__ import annotations

import re

from lxml import etree

from ..story import WireError

_SPACE = re.compile(r"\s+")
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][-\w.]*:)?([A-Za-z_][-\w.]*)")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        collect_ids=False,
    )


# A DOCTYPE that only names an external DTD ('<!DOCTYPE nitf SYSTEM "nitf-3-3.dtd">', as NITF and
# NewsML 1.2 files often carry) is allowed: the DTD is never loaded. One with an internal subset
# ('[...]') or any ENTITY declaration is refused.
_EXTERNAL_DOCTYPE = re.compile(
    rb"<!DOCTYPE\s+[\w.:-]+(\s+(SYSTEM\s+(\"[^\"]*\"|'[^']*')|PUBLIC\s+(\"[^\"]*\"|'[^']*')(\s+(\"[^\"]*\"|'[^']*'))?))?\s*>",
    re.IGNORECASE,
)
_NAMED_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = {b"amp", b"lt", b"gt", b"quot", b"apos"}


def _numeric_entities(data: bytes) -> bytes:
    """HTML's named entities (&nbsp; &mdash; ...), which an external DTD would define, as numeric references."""
    from html.entities import name2codepoint

    def replace(match: re.Match) -> bytes:
        name = match.group(1)
        if name in _XML_ENTITIES or name.decode() not in name2codepoint:
            return match.group(0)
        return b"&#%d;" % name2codepoint[name.decode()]

    return _NAMED_ENTITY.sub(replace, data)


def parse_xml(data: bytes):
    """The document's root element, or a WireError saying why the bytes are not safe, well-formed XML."""
    if not data.strip():
        raise WireError("the file is empty")
    first_element = re.search(rb"<[A-Za-z_]", data)
    prolog = data[: first_element.start()] if first_element else data
    doctype = re.search(rb"<!DOCTYPE", prolog, re.IGNORECASE)
    external = _EXTERNAL_DOCTYPE.match(prolog, doctype.start()) if doctype else None
    if re.search(rb"<!ENTITY", prolog, re.IGNORECASE) or (doctype and not external):
        raise WireError(
            "the XML has a DOCTYPE with declarations of its own or an ENTITY declaration; they are refused "
            "(XXE and entity-expansion attacks live there, and no wire format needs them)"
        )
    if external is not None:
        # Dropped (its line kept, so error line numbers still match the file), so no parser ever
        # reaches for the DTD; the HTML entities it would have defined become numeric references.
        removed = data[external.start() : external.end()]
        data = data[: external.start()] + b"\n" * removed.count(b"\n") + _numeric_entities(data[external.end() :])
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise WireError(f"malformed XML at line {exc.lineno}: {exc.msg}") from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise WireError("the XML has a DOCTYPE with declarations of its own; they are refused")
    return root


def local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def children(element, name: str) -> list:
    if element is None:
        return []
    return [child for child in element if isinstance(child.tag, str) and local(child) == name]


def child(element, name: str):
    found = children(element, name)
    return found[0] if found else None


def text(element) -> str:
    if element is None:
        return ""
    return _SPACE.sub(" ", "".join(element.itertext())).strip()


def root_name(data: bytes) -> str:
    """The local name of the document's first element, read without parsing ('' if none): for detection."""
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", data[:4096], flags=re.DOTALL)
    match = _FIRST_ELEMENT.search(head)
    return match.group(2).decode("ascii", "replace") if match else ""


def descend(element, *path: str):
    """The element reached by taking, in turn, the first child of each name in PATH; None if any is missing."""
    for name in path:
        element = child(element, name)
        if element is None:
            return None
    return element


def attr(element, name: str) -> str:
    return (element.get(name) or "").strip() if element is not None else ""
