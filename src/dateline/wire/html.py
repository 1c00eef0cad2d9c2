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
    "media",  # NITF's pictures: read as photos, never as body text
    "media-caption",
    "body.end",
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
    """An element's name without its namespace; "" for a comment or a processing instruction.

    lxml's HTML parser keeps whatever a broken tag held as its name (a cut file gives one named
    'class="main"'), which QName refuses: such a name is taken as it is, and matches no known tag."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


_DOUBLE_BREAK = re.compile(r"(?:<br\s*/?>\s*){2,}", re.IGNORECASE)


def _inline_html(text: str | None, children) -> str:
    inner = (text or "") + "".join(
        etree.tostring(child, encoding="unicode", method="html", with_tail=True) for child in children
    )
    return re.sub(r"\s+xmlns(:\w+)?=\"[^\"]*\"", "", inner)


def paragraphs_from_element(root) -> tuple[str, ...]:
    """Paragraphs of an (X)HTML or NITF element tree: every block element's inline content.

    A double line break (``<br><br>``) inside a block also ends a paragraph, and text standing
    loose in a container (``<div>One.<br><br>Two.</div>``) is kept as paragraphs of its own."""
    paragraphs: list[str] = []

    def add(inner: str) -> None:
        for part in _DOUBLE_BREAK.split(inner):
            text = clean_inline(part)
            text = re.sub(r"^(?:<br>\s*)+|(?:\s*<br>)+$", "", text).strip()
            if text:
                paragraphs.append(text)

    def walk(element) -> None:
        name = _local(element.tag)
        if name in DROP_TAGS:
            return
        if name in BLOCK_TAGS:
            add(_inline_html(element.text, list(element)))
            return
        run_text, run = element.text, []
        for child in element:
            child_name = _local(child.tag)
            if child_name in INLINE_TAGS or child_name in ("span", "font", "u", "sup", "sub", "small", "big"):
                run.append(child)
                continue
            if (run_text or "").strip() or run:
                add(_inline_html(run_text, run))
            run_text, run = None, []
            walk(child)
            run_text = child.tail
        if (run_text or "").strip() or run:
            add(_inline_html(run_text, run))

    walk(root)
    return tuple(paragraphs)


_ESCAPED_MARKUP = re.compile(r"&lt;\s*/?\s*(?:p|br|div|b|i|em|strong|a|span|section)\b", re.IGNORECASE)


def unescape_markup(html: str) -> str:
    """A body whose markup arrived escaped once ('&lt;p&gt;Text&lt;/p&gt;', as an ANSA feed sends it),
    with no real tags of its own, unescaped once so it is read as the HTML it is (then sanitised)."""
    if _ESCAPED_MARKUP.search(html) and not re.search(r"<\s*(?:p|br|div|section)\b", html, re.IGNORECASE):
        return html_lib.unescape(html)
    return html


def paragraphs_from_html(html: str) -> tuple[str, ...]:
    if not html or not html.strip():
        return ()
    # huge_tree: libxml2 otherwise drops a text node over 10 MB without a word, and a story with one
    # giant paragraph would be refused as having "no body text" instead of for its size (files are
    # bounded by DATELINE_WIRE_MAX_MB before they are read; an HTML parser expands no entities).
    document = lxml.html.document_fromstring(unescape_markup(html), parser=lxml.html.HTMLParser(huge_tree=True))
    return paragraphs_from_element(document)


def paragraphs_from_text(text: str) -> tuple[str, ...]:
    """Plain text: paragraphs are separated by blank lines (or by single lines when none are)."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ()
    blocks = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return tuple(html_lib.escape(_SPACE.sub(" ", block).strip(), quote=False) for block in blocks if block.strip())
