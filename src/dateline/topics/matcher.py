"""Find every topic a text names, in one pass over the text however many topics there are.

An Aho-Corasick automaton (pyahocorasick) holds every alias. Matching is whole-word and
case-aware:

- an alias written with capitals matches as written, and in capitals ("Brussels" and
  "BRUSSELS"), never in lower case ("Turkey" is not "turkey"; "US" is not "us");
- an alias written all in lower case ("climate change") matches in any case;
- a match must not sit inside a longer word ("Turkey" is not in "Turkeys"), but a possessive
  or a hyphen is a boundary ("Russia's", "pro-Russia");
- line breaks and runs of spaces inside a name, and words split by a hyphen at a line end,
  are read as the one name they are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import ahocorasick

_HYPHEN_BREAK = re.compile(r"(\w)-\s*\n\s*(\w)")
_SPACE = re.compile(r"\s+")
_SOFT_HYPHEN = "\u00ad"


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace(_SOFT_HYPHEN, "")
    text = _HYPHEN_BREAK.sub(r"\1\2", text)
    return _SPACE.sub(" ", text)


def _lower_same_length(text: str) -> str:
    """Lower case, letter for letter (a few letters grow when lower-cased; they are left as they are)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


class TopicMatcher:
    """Built once from (topic id, aliases) pairs; ``find(text)`` gives the ids of the topics named."""

    def __init__(self, topics: Iterable[tuple[int, Iterable[str]]]):
        self._exact = ahocorasick.Automaton()  # aliases with capitals, matched against the text as it is
        self._folded = ahocorasick.Automaton()  # lower-case aliases, matched against the text lower-cased
        exact_keys: dict[str, set[int]] = {}
        folded_keys: dict[str, set[int]] = {}
        for topic_id, aliases in topics:
            for alias in aliases:
                alias = normalise(alias).strip()
                if len(alias) < 2:
                    continue
                if alias == alias.lower():
                    folded_keys.setdefault(alias, set()).add(topic_id)
                else:
                    exact_keys.setdefault(alias, set()).add(topic_id)
                    if alias != alias.upper() and sum(c.isalpha() for c in alias) > 2:
                        exact_keys.setdefault(alias.upper(), set()).add(topic_id)
        for automaton, keys in ((self._exact, exact_keys), (self._folded, folded_keys)):
            for key, ids in keys.items():
                automaton.add_word(key, (len(key), frozenset(ids)))
            if keys:
                automaton.make_automaton()
        self._has_exact, self._has_folded = bool(exact_keys), bool(folded_keys)

    def find(self, text: str) -> set[int]:
        text = normalise(text)
        found: set[int] = set()
        if self._has_exact:
            found |= self._scan(self._exact, text, text)
        if self._has_folded:
            found |= self._scan(self._folded, _lower_same_length(text), text)
        return found

    @staticmethod
    def _scan(automaton, haystack: str, original: str) -> set[int]:
        found: set[int] = set()
        last = len(original) - 1
        for end, (length, ids) in automaton.iter(haystack):
            start = end - length + 1
            if start > 0 and _is_word_char(original[start - 1]):
                continue
            if end < last and _is_word_char(original[end + 1]):
                continue
            found |= ids
        return found
