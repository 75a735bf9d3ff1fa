"""The languages public texts are written in: one registry, each with its
BCP 47 tag (``lang``, ``hreflang`` and the database), its URL slug and its name
in Swedish. A municipality offers any of them on its public site
(``public.PublicSite.languages``); adding one here needs no migration.

The page frame (navigation, headings, labels) exists only in the languages
with a gettext catalogue, ``UI_LANGUAGES``. Everything else on a page in
another language is the municipality's own text in that language, or the
Swedish text marked ``lang="sv"``. Kalderash and lovara share the ISO 639-3
code ``rmy`` and are told apart with private-use subtags (RFC 5646 §2.2.7, at
most eight characters); ``rm`` is Romansh and never used. See
docs/public-site.md §1.7.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Language:
    tag: str  # BCP 47
    slug: str  # in the URL; "" for Swedish
    name: str  # translatable (English msgid): the name in the page frame's language
    own_name: str = ""  # the language's name in itself, where it is not the municipality's to write

    def swedish_name(self) -> str:
        """The name in Swedish: what a page shows, marked lang="sv", until the
        municipality's translator writes the language's own name."""
        with translation.override(SWEDISH):
            return str(self.name)


SWEDISH = "sv"
ENGLISH = "en"

REGISTRY: tuple[Language, ...] = (
    Language("sv", "", _("Swedish"), "svenska"),
    Language("sv-x-lattlast", "lattlast", _("Easy-to-read Swedish"), "lättläst svenska"),
    Language("en", "en", _("English"), "English"),
    Language("fi", "fi", _("Finnish"), "suomi"),
    Language("rmn", "arli", _("Romani (Arli)")),
    Language("rmy-x-kalderas", "kalderash", _("Romani (Kalderash)")),
    Language("rmy-x-lovara", "lovara", _("Romani (Lovara)")),
    Language("rmf", "kaale", _("Romani (Kaale)")),
    Language("rmu", "resanderomani", _("Traveller Romani (resanderomani)")),
)

BY_TAG = {language.tag: language for language in REGISTRY}
BY_SLUG = {language.slug: language for language in REGISTRY if language.slug}
TAGS = tuple(BY_TAG)

# The languages the page frame is translated into (a gettext catalogue).
UI_LANGUAGES = (SWEDISH, ENGLISH)

# For settings.LANGUAGES (parler validates language codes against it).
DJANGO_LANGUAGES = [(language.tag, language.name) for language in REGISTRY]


def ui_language(tag: str) -> str:
    """The language of the page frame on a page in ``tag``."""
    return tag if tag in UI_LANGUAGES else SWEDISH


def get(tag: str) -> Language | None:
    return BY_TAG.get(tag)
