"""How much text one story may carry, whoever writes it (an agency, an import or an editor).

A 19 MB paragraph is not a story: it is a mistake or an attack, and every feed, e-mail and page would
carry it whole. The caps sit well above real copy (a long agency feature is about 60 KB; a
paragraph rarely passes 2 KB): ``DATELINE_STORY_MAX_KB`` (default 200) for the whole text and
``DATELINE_PARAGRAPH_MAX_KB`` (default 20) for any one paragraph, counted in UTF-8 bytes of the
stored HTML.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings


def _kb(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size >= 1024 else f"{size:,} bytes"


def size_problem(paragraphs: Iterable[str]) -> str | None:
    """Why this text is too big to be a story, or None."""
    paragraph_cap = settings.DATELINE_PARAGRAPH_MAX_KB * 1024
    story_cap = settings.DATELINE_STORY_MAX_KB * 1024
    total = 0
    for number, text in enumerate(paragraphs, start=1):
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > paragraph_cap:
            return (
                f"paragraph {number} is {_kb(size)}; a paragraph may be at most "
                f"{settings.DATELINE_PARAGRAPH_MAX_KB} KB (DATELINE_PARAGRAPH_MAX_KB). Split it, or check the copy."
            )
        total += size
    if total > story_cap:
        return (
            f"the story's text is {_kb(total)}; a story may be at most {settings.DATELINE_STORY_MAX_KB} KB "
            "(DATELINE_STORY_MAX_KB). Split it into several stories, or check the copy."
        )
    return None
