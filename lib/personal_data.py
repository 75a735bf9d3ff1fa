"""Personal details taken out of free text before it is stored.

What respondents write in their own words is stored without Swedish personal
identity numbers (personnummer and samordningsnummer), phone numbers and
e-mail addresses: each is replaced by a marker that says what was removed,
never what it was ("[telefonnummer borttaget]"). The markers are Swedish
whatever language the respondent used, as the stored text is read in Swedish.

Names and street addresses cannot be told apart from other words by a
program: the public form asks people not to write them, and those who read
free text remove them by hand (``inventories.services.answer_redact``).

What counts, and what is left alone:

- **Personnummer**: six digits that are a date (YYMMDD; a samordningsnummer
  has the day plus 60), optionally with the century before them (18, 19, 20),
  then four digits. With "-" or "+" between them it is removed even when its
  check digit is wrong (a mistyped number still points at a person); written
  without a separator, or with a space, its check digit must be right (the
  Luhn sum Skatteverket uses), so other ten-digit numbers survive. Spaces
  around the dash, a last four split in two (811228-98 74) and other dashes
  (– — ‐) count too. A date alone (2025-03-01, 20250301) is not a personnummer.
- **Phone numbers**, as Swedes write them: national numbers beginning with 0,
  8 to 10 digits with or without spaces, dashes or a slash
  (070-123 45 67, 0701234567, 08-123 456 78, 08-12 34 56, 031-12 34 56,
  (08) 123 45 67), and international ones with +46 or 0046 and 7 to 9 digits
  after it (+46 70 123 45 67, +46 (0)70-123 45 67, 0046 70-123 45 67). A
  two-digit area code must be 08, and a number that reads as a date
  (01-03-2025) is left alone. After a word such as "ring", "telefon",
  "mobil", "sms" or "nummer", a number of 6 to 10 digits without an area code
  is removed too ("ring mig på 123 45 67"); shorter ones (112, 1177) stay.
- **E-mail addresses**, also with "(at)" or "[at]" for "@" and "(dot)" or
  "[dot]" for ".".

Full-width characters ("＠", "０７０") are read as the ordinary ones (the
text is stored in Unicode's NFKC form, which keeps å, ä and ö).

Years (2025), amounts (5 kr, 1 500 kr), scores (4 av 5) and dates survive.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date

from django.utils import translation
from django.utils.translation import gettext_lazy as _

PERSONAL_NUMBER_REMOVED = _("[personal identity number removed]")
PHONE_REMOVED = _("[phone number removed]")
EMAIL_REMOVED = _("[e-mail address removed]")
# What a person reading the free text removed by hand (a name, an address).
REMOVED = _("[removed]")


def marker(text) -> str:
    """A marker as it is stored: in Swedish, whoever asks."""
    with translation.override("sv"):
        return str(text)


# --- E-mail -----------------------------------------------------------------------------------

_DOT = r"(?:\.|\(dot\)|\[dot\])"
EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+[ \u00a0]?(?:@|\(at\)|\[at\])[ \u00a0]?[\w-]+(?:"
    + _DOT
    + r"[\w-]+)*"
    + _DOT
    + r"[^\W\d_]{2,}(?![\w-])",
    re.IGNORECASE,
)


# --- Personnummer -------------------------------------------------------------------------------

# Dashes people type: the hyphen-minus, en and em dashes, the Unicode hyphens.
_DASHES = "-–—‐‑"
PERSONAL_NUMBER = re.compile(
    r"(?<![\w+])(?P<century>1[89]|20)?(?P<date>\d{6})(?P<sep>[ \u00a0]?[+" + _DASHES + r"][ \u00a0]?|[ \u00a0])?"
    r"(?P<tail>\d{2}[ \u00a0]?\d{2})(?!\w)"
)


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def luhn_ok(digits: str) -> bool:
    """The check digit of a ten-digit personnummer (YYMMDDNNNC) is right."""
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _is_personal_number(m: re.Match) -> bool:
    digits = m["date"]
    yy, month, day = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    if day > 60:  # a samordningsnummer: the day plus 60
        day -= 60
    years = [int(m["century"]) * 100 + yy] if m["century"] else [1900 + yy, 2000 + yy]
    if not any(_is_date(year, month, day) for year in years):
        return False
    sep = (m["sep"] or "").strip()
    if sep or (m["century"] and not m["sep"]):
        return True
    return luhn_ok(digits + re.sub(r"\D", "", m["tail"]))


# --- Phone numbers ----------------------------------------------------------------------------

_SEP = r"(?:[ \u00a0]?[" + _DASHES + r"/][ \u00a0]?|[ \u00a0])"
# Not inside a longer number or word, nor right after "digit-" (the 03 of 2025-03-01).
_START = r"(?<![\w+])(?<!\d[-–/.])"
INTERNATIONAL = re.compile(
    _START + r"(?:\+|00)[ \u00a0]?46[ \u00a0-]?(?:\(0\)[ \u00a0-]?)?(?P<num>[1-9]\d*(?:" + _SEP + r"\d+)*)"
)
NATIONAL = re.compile(_START + r"(?P<num>(?:\(0[1-9]\d{0,2}\)[ \u00a0]?\d+|0[1-9]\d*)(?:" + _SEP + r"\d+)*)")
AFTER_A_WORD = re.compile(
    r"(?<!\[)\b(?:ring\w*|telefon\w*|tel|tfn|mobil\w*|mob|sms\w*|nummer|numret|nr)\b[^\d\n]{0,20}?"
    r"(?<!\d)(?P<num>\d+(?:" + _SEP + r"\d+)*)",
    re.IGNORECASE,
)
LOOKS_LIKE_A_DATE = re.compile(r"\d{2}[-–/.]\d{2}[-–/.]\d{4}")


def _digit_prefix(num: str, low: int, high: int) -> int | None:
    """Where the longest run of whole digit groups at the start of ``num`` with
    ``low`` to ``high`` digits ends; None when there is none. A number followed
    by another ("070-123 45 67 2 gånger") keeps what follows it."""
    count, end = 0, None
    for group in re.finditer(r"\d+", num):
        count += len(group.group())
        if count > high:
            break
        if count >= low:
            end = group.end()
    return end


def _international(m: re.Match) -> int | None:
    end = _digit_prefix(m["num"], 7, 9)
    return None if end is None else m.start("num") + end


def _national(m: re.Match) -> int | None:
    num = m["num"]
    end = _digit_prefix(num, 8, 10)
    if end is None:
        return None
    first = re.match(r"\(?(\d+)", num).group(1)
    if len(first) == 2 and first != "08":  # the only two-digit area code is Stockholm's
        return None
    if LOOKS_LIKE_A_DATE.fullmatch(num[:end]):
        return None
    return m.start("num") + end


def _after_a_word(m: re.Match) -> int | None:
    end = _digit_prefix(m["num"], 6, 10)
    return None if end is None else m.start("num") + end


def _replace(pattern: re.Pattern, text: str, start_of: str | None, decide: Callable, mark: Callable[[str], str]) -> str:
    """Replace what ``pattern`` finds and ``decide`` accepts: ``decide`` gives
    where the personal detail ends (or None to leave the match alone); the
    detail runs from the match's start, or from the group ``start_of``."""
    out, pos, last = [], 0, 0
    while (m := pattern.search(text, pos)) is not None:
        end = decide(m)
        if end is None:
            pos = m.start() + 1
            continue
        begin = m.start(start_of) if start_of else m.start()
        out.append(text[last:begin])
        out.append(mark(text[begin:end]))
        last = pos = end
    out.append(text[last:])
    return "".join(out)


PERSONAL_NUMBER_KIND, PHONE_KIND, EMAIL_KIND = "personnummer", "phone", "email"
MARKERS = {PERSONAL_NUMBER_KIND: PERSONAL_NUMBER_REMOVED, PHONE_KIND: PHONE_REMOVED, EMAIL_KIND: EMAIL_REMOVED}


def _scrub(text: str, found: list[tuple[str, str]]) -> str:
    # Full-width digits and "＠" read as the ordinary ones (NFKC keeps å, ä and ö).
    text = unicodedata.normalize("NFKC", text)

    def marking(kind: str) -> Callable[[str], str]:
        label = marker(MARKERS[kind])

        def mark(detail: str) -> str:
            found.append((kind, detail))
            return label

        return mark

    text = EMAIL.sub(lambda m: marking(EMAIL_KIND)(m.group(0)), text)
    personal_number = marking(PERSONAL_NUMBER_KIND)
    text = PERSONAL_NUMBER.sub(lambda m: personal_number(m.group(0)) if _is_personal_number(m) else m.group(0), text)
    phone = marking(PHONE_KIND)
    text = _replace(INTERNATIONAL, text, None, _international, phone)
    text = _replace(NATIONAL, text, None, _national, phone)
    return _replace(AFTER_A_WORD, text, "num", _after_a_word, phone)


def remove_personal_details(text: str) -> str:
    """``text`` with personnummer, phone numbers and e-mail addresses replaced
    by Swedish markers that say what was removed (see the module's docstring)."""
    if not text:
        return text
    return _scrub(text, [])


def names_pattern(names) -> re.Pattern | None:
    """One pattern for ``names`` (longest first, also in the genitive: "Annas",
    "SKR:s"), whole words, ignoring case; names of two letters or fewer are left
    out (they would match ordinary words). None if no name is left."""
    names = sorted({n.strip() for n in names if len(n.strip()) > 2}, key=len, reverse=True)
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?:s|:s|'s|’s)?(?!\w)", re.IGNORECASE)


def remove_personal_details_and_names(text: str, names: re.Pattern | None = None) -> str:
    """``text`` as a public page shows it: stripped, with personal details
    (remove_personal_details) and the ``names`` (names_pattern) replaced by markers."""
    text = remove_personal_details((text or "").strip())
    if names is not None and text:
        text = names.sub(marker(REMOVED), text)
    return text


def personal_details_in(text: str) -> list[tuple[str, str]]:
    """What ``remove_personal_details`` would remove: [(kind, the text)], kind
    being PERSONAL_NUMBER_KIND, PHONE_KIND or EMAIL_KIND. For checking a text
    meant to be published (it is never stored)."""
    found: list[tuple[str, str]] = []
    if text:
        _scrub(text, found)
    return found
