"""Candidate topics: capitalised names that stories repeat but no topic covers yet."""

from __future__ import annotations

import re
from collections import Counter

from dateline.news.formatting import plain_text

from .matcher import normalise

# A run of capitalised words ("Sergei Lavrov", "Ostrel Sea"), joined by spaces, "of" or "al-".
NAME = re.compile(r"[A-Z][\w'’.&-]*[\w](?:\s+(?:(?:of|al|de|van|von|la)\s+)?[A-Z][\w'’.-]*[\w])*")
SENTENCE = re.compile(r"(?<=[.!?\"”:])\s+|\n+")
LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")
SKIP = set(
    """Mr Mrs Ms Dr Reuters Continued Updated Monday Tuesday Wednesday Thursday Friday Saturday Sunday
January February March April May June July August September October November December""".split()
)
POSSESSIVE = re.compile(r"['’]s$")


def _names(sentence: str, common: set[str]) -> list[tuple[str, bool]]:
    """Names in a sentence. Words that also occur in lower case (the sentence's first word, 'Residents',
    'Coastal') are common words, not names, wherever they lead a run."""
    names = []
    for match in NAME.finditer(sentence):
        words = POSSESSIVE.sub("", match.group(0).rstrip(".'’")).split()
        at_start = not sentence[: match.start()].strip(" \"“‘'(")
        while words and (
            (at_start and words[0].lower() in common) or words[0] in SKIP or words[0] in ("of", "al", "de")
        ):
            words, at_start = words[1:], True
        if not words or (len(words) == 1 and (words[0].lower() in common or len(words[0]) < 3)):
            continue
        names.append((" ".join(words), at_start))
    return names


def _key(name: str) -> str:
    return name.lower().replace(".", "")


def suggest(pages, known: set[str], min_count: int = 2) -> list[tuple[str, int, int]]:
    """[(name, mentions, stories)], in most stories first, for names in at least ``min_count`` stories."""
    texts = []
    for page in pages:
        parts = [page.title] + [plain_text(b.value.source) for b in page.body if b.block_type == "paragraph"]
        texts.append("\n".join(normalise(part) for part in parts))  # a headline is a sentence of its own
    common = {word for text in texts for word in LOWER_WORD.findall(text)}
    found_in = [[hit for sentence in SENTENCE.split(text) for hit in _names(sentence, common)] for text in texts]
    # Words written with a capital in mid-sentence somewhere: names, not just a sentence's first word.
    capitalised = {word for found in found_in for name, at_start in found if not at_start for word in name.split()}
    mentions: Counter[str] = Counter()
    stories: Counter[str] = Counter()
    mid_sentence: set[str] = set()  # a lone capitalised word counts only if it is capitalised mid-sentence too
    for found in found_in:
        names = []
        for name, at_start in found:
            words = name.split()
            if at_start and len(words) > 1 and words[0] not in capitalised:
                name = " ".join(words[1:])  # "Envoy Ilse Varga" at a sentence's start: "Ilse Varga"
            elif not at_start:
                mid_sentence.add(name)
            names.append(name)
        mentions.update(names)
        stories.update(set(names))
    for name in [n for n in mentions if " " not in n and n not in mid_sentence]:
        del mentions[name]
    known_keys = {_key(k) for k in known}
    rows = [
        (name, n, stories[name])
        for name, n in mentions.items()
        if stories[name] >= min_count and _key(name) not in known_keys
    ]
    return sorted(rows, key=lambda row: (-row[2], -row[1], row[0]))
