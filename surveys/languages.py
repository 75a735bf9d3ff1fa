"""The languages a survey is answered in, and which of their texts are missing.

Swedish is the survey's own language: every text exists in Swedish. In each
other language the survey offers, the respondent must be able to read

- the title,
- every question and every option,
- the note by the free-text answers not to write names, phone numbers, e-mail
  addresses or personal identity numbers (built in for Swedish and English,
  written by a translator for every other language), and
- for a language the page around the questions is not translated into (the
  buttons, headings and error messages exist in Swedish and English only), a
  short note that a text is shown in Swedish, written by a translator.

A survey is not opened while a language it offers lacks any of these, and the
public page never offers such a language. Where an optional text (the
introduction) is missing, the respondent reads the Swedish text, marked
``lang="sv"``, with the note beside it. Nothing here writes a text in a
language nobody translated into: a missing translation is shown as missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .models import LANGUAGE_NAMES, Question, Survey

# The languages the page around the questions is translated into.
UI_LANGUAGES = {"sv", "en"}
# The languages whose note on personal details is built in (a translatable string).
BUILT_IN_PRIVACY = {"sv", "en"}

# The survey texts a translator writes, besides the title and the introduction.
PRIVACY = "privacy"
NOTE = "note"

PRIVACY_TEXT = gettext_lazy(
    "Do not write names, phone numbers, e-mail addresses or personal identity numbers here, "
    "neither your own nor anyone else's."
)
NOTE_TEXT = gettext_lazy("This text is shown in Swedish.")


@dataclass(frozen=True)
class Shown:
    """A text as the respondent sees it: in ``lang``; ``in_swedish`` when it is
    the Swedish text shown in place of a missing translation."""

    text: str
    lang: str
    in_swedish: bool = False


@dataclass(frozen=True)
class MissingTexts:
    language: str
    items: list[str]  # what is missing, in the reader's language

    @property
    def name(self) -> str:
        return LANGUAGE_NAMES.get(self.language, self.language)


def ui_language(language: str) -> str:
    """The language of the page around the questions."""
    return language if language in UI_LANGUAGES else "sv"


def needs_privacy_text(language: str) -> bool:
    return language not in BUILT_IN_PRIVACY


def needs_note_text(language: str) -> bool:
    return language not in UI_LANGUAGES


def _written(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def missing_texts(
    survey: Survey,
    *,
    languages: Iterable[str] | None = None,
    texts: dict | None = None,
    questions: Iterable[Question] | None = None,
) -> list[MissingTexts]:
    """Per language the survey offers, other than Swedish, what the respondent
    would need and nobody has written; only languages that lack something.
    ``languages`` and ``texts`` stand in for the survey's own (a form about to
    save them); the questions are read in their order unless given."""
    languages = survey.languages if languages is None else languages
    texts = survey.texts if texts is None else texts
    if questions is None:
        questions = survey.questions.order_by("position", "pk") if survey.pk else []
    questions = list(questions)
    result = []
    for language in languages:
        if language == "sv":
            continue
        own = texts.get(language) or {}
        items = []
        if not _written(own.get("title")):
            items.append(_("the title"))
        if needs_privacy_text(language) and not _written(own.get(PRIVACY)):
            items.append(_("the note not to write names or contact details"))
        if needs_note_text(language) and not _written(own.get(NOTE)):
            items.append(_("the note that a text is shown in Swedish"))
        for number, question in enumerate(questions, start=1):
            parts = []
            if not _written(question.texts.get(language)):
                parts.append(_("its text"))
            options = [n for n, o in enumerate(question.options, start=1) if not _written(o["texts"].get(language))]
            if options and len(options) == len(question.options) and len(options) > 1:
                parts.append(_("its options"))
            elif options:
                numbers = ", ".join(str(n) for n in options)
                parts.append(ngettext("option %(numbers)s", "options %(numbers)s", len(options)) % {"numbers": numbers})
            if parts:
                items.append(_("question %(number)d (%(parts)s)") % {"number": number, "parts": ", ".join(parts)})
        if items:
            result.append(MissingTexts(language=language, items=items))
    return result


def incomplete_message(survey: Survey, missing: list[MissingTexts] | None = None) -> str:
    """Why the survey cannot be opened in the languages it offers, or ""."""
    missing = missing_texts(survey) if missing is None else missing
    if not missing:
        return ""
    lacks = " ".join(
        _("%(language)s lacks %(missing)s.") % {"language": m.name, "missing": ", ".join(m.items)} for m in missing
    )
    return _(
        "The survey cannot be opened until every language it offers has its texts. %(lacks)s "
        "Write them in, or stop offering the language."
    ) % {"lacks": lacks}


def offered_languages(survey: Survey, questions: Iterable[Question] | None = None) -> list[str]:
    """The languages a respondent may choose: Swedish, and every other language
    the survey offers with all its texts written."""
    incomplete = {m.language for m in missing_texts(survey, questions=questions)}
    return ["sv", *[code for code in survey.languages if code != "sv" and code not in incomplete]]


def survey_text(survey: Survey, language: str, key: str) -> Shown:
    """A survey text (title, introduction) in the language, or the Swedish one in its place."""
    own = (survey.texts.get(language) or {}).get(key)
    if _written(own):
        return Shown(own, language)
    swedish = (survey.texts.get("sv") or {}).get(key) or ""
    return Shown(swedish, "sv", in_swedish=language != "sv" and bool(swedish))


def _built_in(text, language: str) -> str:
    with translation.override(language):
        return str(text)


def privacy_notice(survey: Survey, language: str) -> Shown:
    """The note by every free-text answer not to write names or contact details."""
    if not needs_privacy_text(language):
        return Shown(_built_in(PRIVACY_TEXT, language), language)
    own = (survey.texts.get(language) or {}).get(PRIVACY)
    if _written(own):
        return Shown(own, language)
    return Shown(_built_in(PRIVACY_TEXT, "sv"), "sv", in_swedish=True)


def swedish_note(survey: Survey, language: str) -> Shown | None:
    """The note, in the respondent's language, that a text is shown in Swedish.
    For Swedish none; for a language without the translator's note, the note in
    Swedish (nothing is ever made up in the respondent's language)."""
    if language == "sv":
        return None
    if not needs_note_text(language):
        return Shown(_built_in(NOTE_TEXT, language), language)
    own = (survey.texts.get(language) or {}).get(NOTE)
    if _written(own):
        return Shown(own, language)
    return Shown(_built_in(NOTE_TEXT, "sv"), "sv")
