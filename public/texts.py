"""Reading public texts in a language, honestly.

A page in language L shows the municipality's text in L when a translation is
written and marked done or reviewed, and was made from the Swedish text as it
is now (its digest matches). Otherwise it shows the Swedish text, marked
``lang="sv"``, and the page says once per section that texts are shown in
Swedish. Nothing here makes a text up: no text at all is ``None``.

The rows are read from ``obj.translations.all()``: callers prefetch them
(``prefetch_related("translations")``), so a list costs one query more, not one
per object. parler's descriptors are never used here; they fall back silently.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import translation
from django.utils.translation import gettext as _

from lib.languages import BY_TAG, SWEDISH, UI_LANGUAGES
from surveys.languages import Shown  # the same contract as the surveys' texts

from .translation import SHOWN_STATUSES, digest

# The site's texts that have no Swedish source (docs/public-site.md §1.4): each
# language's own name and its note on texts shown in Swedish, written in the
# language itself ("not needed in Swedish"). A Swedish change does not make them
# outdated.
OWN_LANGUAGE_FIELDS = ("language_name", "fallback_note")


def text_fields(obj) -> list[str]:
    """The translated text fields of a model (not the status fields)."""
    return [name for name in obj._parler_meta.get_all_fields() if not name.startswith("text_")]


def has_source(obj, field: str) -> bool:
    """Whether ``field`` of ``obj`` (a model or an object) is translated from a Swedish text."""
    return not (obj._meta.label == "public.PublicSite" and field in OWN_LANGUAGE_FIELDS)


def rows(obj) -> dict:
    """The object's translation rows by language (prefetched by the caller)."""
    return {row.language_code: row for row in obj.translations.all()}


def digest_of_swedish(obj, texts: dict[str, str]) -> str:
    """The digest of Swedish texts (field → text) a translation is made from:
    only the fields with a Swedish source count. The others are counted as
    empty rather than left out, so the digests stored before that rule still
    match (the Swedish row never held them)."""
    return digest({field: (texts.get(field) or "") if has_source(obj, field) else "" for field in text_fields(obj)})


def swedish_digest(obj, by_language: dict | None = None) -> str:
    by_language = rows(obj) if by_language is None else by_language
    sv = by_language.get(SWEDISH)
    return digest_of_swedish(obj, {field: getattr(sv, field, "") if sv else "" for field in text_fields(obj)})


def field_digest(field: str, text: str | None) -> str:
    """The digest of one Swedish text, as a translation of it records it."""
    return digest({field: text or ""})


def made_from_today(obj, row, field: str, by_language: dict) -> bool:
    """Whether the translation of ``field`` in ``row`` was made from today's
    Swedish text: per text, so translating an object's description after both
    its Swedish title and description changed does not pass the old title off
    as current. Rows written before per-text sources use the row's digest."""
    sv = by_language.get(SWEDISH)
    sources = row.text_sources or {}
    if field in sources:
        return sources[field] == field_digest(field, getattr(sv, field, "") if sv else "")
    return row.text_digest == swedish_digest(obj, by_language)


def shown(obj, field: str, language: str) -> Shown | None:
    """``field`` of ``obj`` as a reader of ``language`` sees it, or None when
    there is no text, not even in Swedish."""
    by_language = rows(obj)
    if language != SWEDISH:
        row = by_language.get(language)
        text = (getattr(row, field, "") or "").strip() if row else ""
        if text and row.text_status in SHOWN_STATUSES and made_from_today(obj, row, field, by_language):
            return Shown(text, language)
    sv = by_language.get(SWEDISH)
    text = (getattr(sv, field, "") or "").strip() if sv else ""
    if not text:
        return None
    return Shown(text, SWEDISH, in_swedish=language != SWEDISH)


def fell_back(texts: Iterable[Shown | None]) -> bool:
    """Whether any of the texts is Swedish shown in place of a translation."""
    return any(text is not None and text.in_swedish for text in texts)


def language_name(site, language: str) -> Shown:
    """The language's name in itself: the registry's where it is known (English,
    suomi), else the one the municipality's translator wrote, else the Swedish
    name marked ``lang="sv"``. The translator's name and note are shown while
    their row is done or reviewed: a Swedish change never resets a row that
    holds them (public.services._swedish_changed)."""
    entry = BY_TAG[language]
    if entry.own_name:
        return Shown(entry.own_name, language)
    row = rows(site).get(language) if site is not None else None
    name = (row.language_name or "").strip() if row and row.text_status in SHOWN_STATUSES else ""
    if name:
        return Shown(name, language)
    return Shown(entry.swedish_name(), SWEDISH, in_swedish=True)


def fallback_note(site, language: str) -> Shown:
    """The one line that says texts missing in ``language`` are shown in Swedish:
    in the page frame's language where there is a catalogue (English), else the
    translator's note, else the Swedish note marked ``lang="sv"``."""
    if language in UI_LANGUAGES:
        with translation.override(language):
            return Shown(_("Texts not yet written in English are shown in Swedish."), language)
    row = rows(site).get(language) if site is not None else None
    note = (row.fallback_note or "").strip() if row and row.text_status in SHOWN_STATUSES else ""
    if note:
        return Shown(note, language)
    with translation.override(SWEDISH):
        name = BY_TAG[language].swedish_name().lower()  # mid-sentence
        return Shown(
            _("Texts not yet written in %(language)s are shown in Swedish.") % {"language": name},
            SWEDISH,
            in_swedish=True,
        )
