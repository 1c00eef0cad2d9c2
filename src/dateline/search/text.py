"""Words of a query, snippets with the words marked, and "did you mean" suggestions."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dateline.news.formatting import plain_text

OPERATORS = {"and", "or", "not"}
_WORD = re.compile(r"\w+", re.UNICODE)
SNIPPET_CHARS = 240


def query_words(query: str) -> list[str]:
    """The words a reader searched for (quotes and operators aside), lower-cased, each once."""
    return list(dict.fromkeys(w.lower() for w in _WORD.findall(query) if w.lower() not in OPERATORS))


def story_text(page) -> str:
    """What a result's snippet is cut from: the summary, the paragraphs, then a live story's updates."""
    paragraphs = [plain_text(block.value.source) for block in page.body if block.block_type == "paragraph"]
    return " ".join([page.summary, *paragraphs, page.live_update_text()])


def snippet(text: str, words: list[str], length: int = SNIPPET_CHARS) -> SafeString:
    """A passage around the first word found, every searched word in it wrapped in <mark>."""
    text = " ".join(text.split())
    if not words:
        return mark_safe(escape(text[:length]))
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
    first = pattern.search(text)
    start = max(0, (first.start() if first else 0) - length // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + length)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    passage = text[start:end]
    marked, last = [], 0
    for match in pattern.finditer(passage):
        marked += [escape(passage[last : match.start()]), "<mark>", escape(match.group(0)), "</mark>"]
        last = match.end()
    marked.append(escape(passage[last:]))
    return mark_safe(("… " if start else "") + "".join(marked) + (" …" if end < len(text) else ""))


def suggest(query: str, vocabulary: set[str]) -> str | None:
    """The query with each unknown word replaced by the closest known one, or None."""
    changed, out = False, []
    for word in query.split():
        bare = word.strip("\"'()").lower()
        if bare and bare not in OPERATORS and bare not in vocabulary and len(bare) > 2:
            close = difflib.get_close_matches(bare, vocabulary, n=1, cutoff=0.75)
            if close:
                out.append(close[0])
                changed = True
                continue
        out.append(word)
    return " ".join(out) if changed else None
