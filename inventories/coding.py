"""Theme suggestions for free text: Swedish keyword and stem matching, simple
enough to explain beside every suggestion.

A theme's keywords are Swedish words. A keyword ending in ``*`` matches every
word that begins with what comes before the star (``läx*``: läxor, läxhjälp).
Any other keyword matches a word when the two, or their stems, meet: the stem
is the word with one common Swedish ending taken off (skolan, skolor and skola
all have the stem ``skol``; bostaden has the stem bostad) — the first step of the Snowball stemmer for Swedish,
which also takes off the definite endings -an and -et here.
A suggestion is shown with the words that matched it; staff confirm or reject
it, and nothing is coded without them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

VOWELS = set("aeiouyäåö")
# Snowball Swedish, step 1, with the definite endings -an, -et (-ans, -ets)
# added: the endings taken off, longest first.
_ENDINGS = """a arna erna heterna orna ad e ade ande arne are aste en anden aren heten ern ar er heter or as
    arnas ernas ornas es ades andes ens arens hetens erns at andet het ast an et ans ets"""
ENDINGS = sorted(
    _ENDINGS.split(),
    key=len,
    reverse=True,
)
S_ENDING_BEFORE = set("bcdfghjklmnoprtvy")
WORD = re.compile(r"[a-zåäöéü]+(?:-[a-zåäöéü]+)*")


def _r1(word: str) -> int:
    """Where the Snowball region R1 begins: after the first consonant that
    follows a vowel, and at least three letters in."""
    for i in range(1, len(word)):
        if word[i] not in VOWELS and word[i - 1] in VOWELS:
            return max(i + 1, 3)
    return len(word)


def stem(word: str) -> str:
    word = word.lower()
    r1 = _r1(word)
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= r1:
            return word[: -len(ending)]
    if word.endswith("s") and len(word) - 1 >= r1 and len(word) > 1 and word[-2] in S_ENDING_BEFORE:
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


@dataclass(frozen=True)
class Matcher:
    """One theme's keywords, prepared for matching."""

    theme_id: int
    prefixes: tuple[str, ...]
    stems: frozenset[str]

    @classmethod
    def of(cls, theme_id: int, keywords: Iterable[str]) -> Matcher:
        prefixes, stems = [], set()
        for kw in keywords:
            kw = kw.strip().lower()
            if kw.endswith("*") and kw.rstrip("*"):
                prefixes.append(kw.rstrip("*"))
            elif kw:
                for w in words(kw):
                    stems.update((w, stem(w)))
        return cls(theme_id, tuple(prefixes), frozenset(stems))

    def matches(self, word: str) -> bool:
        if self.prefixes and word.startswith(self.prefixes):
            return True
        return word in self.stems or stem(word) in self.stems


def suggest(text: str, matchers: Iterable[Matcher]) -> dict[int, list[str]]:
    """{theme id: the words of the text that matched, in order, once each}."""
    found: dict[int, list[str]] = {}
    tokens = words(text)
    for matcher in matchers:
        hits = []
        for token in tokens:
            if token not in hits and matcher.matches(token):
                hits.append(token)
        if hits:
            found[matcher.theme_id] = hits
    return found
