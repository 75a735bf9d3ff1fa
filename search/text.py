"""Swedish words to search keys, the same on SQLite and PostgreSQL (docs/search.md).

A word is lower-cased, å/ä/ö are folded to a/a/o, and Snowball's Swedish stemmer
(the algorithm of PostgreSQL's ``swedish`` configuration) is applied until the
word no longer changes. Folding first makes umlaut plurals meet their singular
(bostäder → bostader, städer → stader); stemming to a fixed point makes
"bostad" (→ bost) and "bostader" (→ bostad → bost) meet. Documents and queries
go through the same function, in Python, so both databases hold and look up the
same keys.

Snippets are made here too, from the stored text: the words whose key is among
the query's keys are marked with <mark>, everything else is escaped."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Letters and digits; everything else (punctuation, quotes, operators, "_") separates words.
WORD = re.compile(r"[^\W_]+")
FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "æ": "a", "ø": "o"})
# PostgreSQL's Swedish stop words (tsearch_data/swedish.stop, the Snowball list).
STOP_WORDS = frozenset(
    """och det att i en jag hon som han på den med var sig för så till är men ett om hade de av icke mig du
    henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något från ut när efter upp vi
    dem vara vad över än dig kan sina här ha mot alla under någon eller allt mycket sedan ju denna själv detta
    åt utan varit hur ingen mitt ni bli blev oss din dessa några deras blir mina samma vilken er sådan vår
    blivit dess inom mellan sådant varför varje vilka ditt vem vilket sitta sådana vart dina vars vårt våra
    ert era vilkas""".split()  # noqa: SIM905 (the list as PostgreSQL ships it)
)
MAX_QUERY_CHARS = 200
MAX_QUERY_KEYS = 12
_stemmer = snowballstemmer.stemmer("swedish")


@lru_cache(maxsize=50_000)
def key(word: str) -> str | None:
    """The search key of one word (lower-cased or not), None for a stop word."""
    word = word.lower()
    if word in STOP_WORDS:
        return None
    word = word.translate(FOLD)
    for _round in range(5):  # three rounds reach the fixed point for every word seen; five to be safe
        stemmed = _stemmer.stemWord(word)
        if stemmed == word:
            break
        word = stemmed
    return word


def keys(text: str) -> list[str]:
    """The keys of a text, in order, stop words left out."""
    return [k for k in (key(w) for w in WORD.findall(text)) if k]


def document(text: str) -> str:
    """What the full-text index holds for a text: its keys separated by spaces."""
    return " ".join(keys(text))


def query_keys(query: str) -> list[str]:
    """The distinct keys of what a person typed, at most MAX_QUERY_KEYS. Only
    letters and digits survive, so no quote, operator or bracket reaches the
    database's query language."""
    seen: dict[str, None] = {}
    for k in keys(query[:MAX_QUERY_CHARS]):
        seen.setdefault(k, None)
    return list(seen)[:MAX_QUERY_KEYS]


def fts5_query(query_keys: list[str]) -> str:
    """An SQLite FTS5 MATCH expression: every key as a quoted string (all must occur)."""
    return " ".join('"' + k.replace('"', '""') + '"' for k in query_keys)


def tsquery(query_keys: list[str]) -> str:
    """A PostgreSQL to_tsquery expression: every key quoted, all must occur."""
    return " & ".join("'" + k.replace("'", "''").replace("\\", "\\\\") + "'" for k in query_keys)


def highlight(text: str, wanted: set[str]) -> SafeString:
    """The text escaped, its words whose key is wanted in <mark>."""
    out, last = [], 0
    for match in WORD.finditer(text):
        if key(match.group()) in wanted:
            out.append(escape(text[last : match.start()]))
            out.append(f"<mark>{escape(match.group())}</mark>")
            last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 (every part escaped above)


def snippet(text: str, wanted: set[str], *, width: int = 220) -> SafeString:
    """About ``width`` characters of the text around its first hit (its start if
    none), on word boundaries, with the hits marked."""
    text = " ".join(text.split())
    first = next((m for m in WORD.finditer(text) if key(m.group()) in wanted), None)
    if len(text) <= width:
        return highlight(text, wanted)
    start = 0 if first is None else max(0, first.start() - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first.start() else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    part = highlight(text[start:end], wanted)
    return mark_safe(("… " if start else "") + part + (" …" if end < len(text) else ""))  # noqa: S308
