"""Splitting a story body into reader pages: at editors' page breaks, and at paragraph
boundaries when a page would pass the word budget. Pure functions, no database."""

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

Block = TypeVar("Block")


def split_pages(
    blocks: Iterable[Block],
    budget: int,
    word_count: Callable[[Block], int],
    is_break: Callable[[Block], bool],
) -> list[list[Block]]:
    """Return the body as pages, each a list of blocks (page-break blocks removed).

    A page closes at an editor's break, or before a block whose words would take the
    page past ``budget``. A single block longer than the budget keeps a page to itself;
    blocks without words (photos) stay with the text before them.
    """
    pages: list[list[Block]] = [[]]
    words = 0
    for block in blocks:
        if is_break(block):
            if pages[-1]:
                pages.append([])
                words = 0
            continue
        count = word_count(block)
        if count and words and words + count > budget:
            pages.append([])
            words = 0
        pages[-1].append(block)
        words += count
    if len(pages) > 1 and not pages[-1]:
        pages.pop()
    return pages


def without_breaks(blocks: Sequence[Block], is_break: Callable[[Block], bool]) -> list[Block]:
    return [block for block in blocks if not is_break(block)]
