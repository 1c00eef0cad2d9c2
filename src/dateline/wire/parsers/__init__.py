"""Every input format, one module each, and the registry that detects which one a file is.

Each format module has ``parse_items(data: bytes) -> list[(label, WireStory | WireError)]``: pure,
no database. ``detect`` looks at the bytes (and the file's name only for plain text) and names
the format; ``parse`` runs its module. A document of a format Dateline does not read is a
``WireError`` (failed), never "skipped": skipped is only for items that are not stories.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ..story import WireError, WireStory
from . import newsml12, newsmlg2, ninjs, nitf, plaintext, textwire, wxr
from .xml import root_name

Items = list[tuple[str, WireStory | WireError]]

# name -> (what the format is, to people; its parser)
FORMATS: dict[str, tuple[str, Callable[[bytes], Items]]] = {
    "newsml-g2": ("IPTC NewsML-G2", newsmlg2.parse_items),
    "newsml-1.2": ("IPTC NewsML 1.2", newsml12.parse_items),
    "nitf": ("IPTC NITF", nitf.parse_items),
    "ninjs": ("IPTC ninjs (JSON)", ninjs.parse_items),
    "iptc7901": ("IPTC 7901 / ANPA 1312 text wire", textwire.parse_items),
    "text": ("plain-text capture", plaintext.parse_items),
    "wxr": ("WordPress export (WXR)", wxr.parse_items),
}

NEWSML_G2_ROOTS = {"newsMessage", "newsItem", "packageItem", "conceptItem", "knowledgeItem", "planningItem"}
NEWSML_G2_ROOTS |= {"catalogItem", "conceptSet"}
TEXT_SUFFIXES = {".txt", ".text", ".eml", ".msg", ".wire", ".anpa", ".7901", ".ipt", ".nws", ""}


def detect(path: Path, data: bytes) -> str:
    """The format's name in FORMATS; WireError when the bytes are none Dateline reads."""
    body = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body:
        raise WireError("the file is empty")
    if body[:1] in (b"{", b"["):
        return "ninjs"
    if body[:1] == b"<":
        root = root_name(body)
        if root in NEWSML_G2_ROOTS:
            return "newsml-g2"
        if root.lower() == "nitf":
            return "nitf"
        if root == "NewsML":
            return "newsml-1.2"
        if root == "rss" and b"wordpress.org/export/" in body[:8192]:
            return "wxr"
        raise WireError(
            f"an XML document whose root is <{root or '?'}>: not a format Dateline reads "
            "(NewsML-G2, NewsML 1.2, NITF, a WordPress export)"
        )
    if textwire.looks_like(body):
        return "iptc7901"
    if path.suffix.lower() in TEXT_SUFFIXES:
        return "text"
    raise WireError(
        f"not NewsML-G2, NewsML 1.2 or NITF (XML), ninjs (JSON), a text wire or a plain-text story "
        f"(a {path.suffix or 'nameless'} file starting {body[:20]!r})"
    )


def parse(data: bytes, fmt: str, received: datetime | None = None) -> Items:
    """The items of a document in format FMT. ``received`` (the file's time) is the time stamp of
    text-wire copy that states none; no other format uses it."""
    if fmt == "iptc7901":
        return textwire.parse_items(data, received)
    return FORMATS[fmt][1](data)
