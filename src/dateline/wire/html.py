"""Agency body HTML -> the paragraphs a story body holds: sanitised inline HTML, nothing else.

Only what a paragraph block allows survives (bold, italic, links to http(s) and mailto, line
breaks); scripts, styles, event handlers, iframes and javascript: URLs never do.
"""

from __future__ import annotations

import html as html_lib
import re

import lxml.html
import nh3
from lxml import etree

INLINE_TAGS = {"b", "strong", "i", "em", "a", "br"}
BLOCK_TAGS = {"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"}
DROP_TAGS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "noscript",
    "template",
    "head",
    "title",
    "h1",
    "figure",
    "figcaption",
    "img",
    "video",
    "audio",
    "svg",
    "math",
    "form",
}
_SPACE = re.compile(r"\s+")


def clean_inline(html: str) -> str:
    """Sanitise a fragment down to the inline markup a paragraph allows."""
    cleaned = nh3.clean(
        html,
        tags=INLINE_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return _SPACE.sub(" ", cleaned).strip()


def _local(tag) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def paragraphs_from_element(root) -> tuple[str, ...]:
    """Paragraphs of an (X)HTML or NITF element tree: every block element's inline content."""
    paragraphs: list[str] = []

    def walk(element) -> None:
        name = _local(element.tag)
        if name in DROP_TAGS:
            return
        if name in BLOCK_TAGS:
            inner = (element.text or "") + "".join(
                etree.tostring(child, encoding="unicode", method="html", with_tail=True) for child in element
            )
            inner = re.sub(r"\s+xmlns(:\w+)?=\"[^\"]*\"", "", inner)
            text = clean_inline(inner)
            if text:
                paragraphs.append(text)
            return
        for child in element:
            walk(child)

    walk(root)
    return tuple(paragraphs)


def paragraphs_from_html(html: str) -> tuple[str, ...]:
    if not html or not html.strip():
        return ()
    document = lxml.html.document_fromstring(html)
    return paragraphs_from_element(document)


def paragraphs_from_text(text: str) -> tuple[str, ...]:
    """Plain text: paragraphs are separated by blank lines (or by single lines when none are)."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ()
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return tuple(html_lib.escape(_SPACE.sub(" ", block).strip(), quote=False) for block in blocks if block.strip())
