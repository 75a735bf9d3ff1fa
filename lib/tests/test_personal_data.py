"""Personal details removed from free text: every way Swedes write a phone
number or a personnummer, e-mail addresses, and the ordinary numbers that must
survive (years, amounts, dates, scores)."""

import re
from datetime import date, timedelta

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from lib.personal_data import luhn_ok, personal_details_in, remove_personal_details

PHONE = "[telefonnummer borttaget]"
PNR = "[personnummer borttaget]"
EMAIL = "[e-postadress borttagen]"


@pytest.mark.parametrize(
    "number",
    [
        "070-123 45 67", "0701234567", "070 123 45 67", "070-1234567", "070-123-45-67", "070 - 123 45 67",
        "+46 70 123 45 67", "+46701234567", "+46 (0)70-123 45 67", "+46 70-123 45 67",
        "0046 70-123 45 67", "0046701234567", "0046 70 123 45 67",
        "08-123 456 78", "08-12 34 56", "08-123 45 67", "08/123 45 67", "(08) 123 45 67", "+46 8 123 456 78",
        "031-12 34 56", "031-123 45 67", "040-12 34 56", "0470-123 45", "0771-23 45 67",
        "070—123 45 67", "070‑123 45 67", "０７０-１２３ ４５ ６７",  # other dashes, full width
    ],
)  # fmt: skip
def test_phone_numbers_as_swedes_write_them_are_removed(number):
    assert remove_personal_details(f"Ring mig på {number}, efter fem.") == f"Ring mig på {PHONE}, efter fem."


@pytest.mark.parametrize(
    "number",
    [
        "19811218-9876", "811218-9876", "811218+9876", "198112189876", "8112189876", "811218 9876",
        "19121212-1212", "121212+1212",  # Skatteverket's test person Tolvan, over a hundred with "+"
        "701063-2391", "197010632391",  # a samordningsnummer: the day plus 60
        "050315-1238",  # born in the 2000s: begins with 0, like a phone number
        "811218-9875",  # a wrong check digit written with a dash still points at a person
        "811218 - 9876", "19811218 - 9876", "811218-98 76", "811218—9876",  # spaced, split, another dash
    ],
)  # fmt: skip
def test_personal_identity_numbers_are_removed(number):
    assert remove_personal_details(f"Mitt personnummer är {number}.") == f"Mitt personnummer är {PNR}."


@pytest.mark.parametrize(
    "address",
    [
        "anna.svensson@exempel.se",
        "a@b.se",
        "Förnamn.Efternamn+enkät@kommun.stockholm.se",
        "anna (at) exempel.se",
        "anna＠exempel.se",
        "anna[at]exempel[dot]se",
    ],
)
def test_email_addresses_are_removed(address):
    assert remove_personal_details(f"Skriv till {address}. Tack!") == f"Skriv till {EMAIL}. Tack!"


@pytest.mark.parametrize(
    "text",
    [
        "Jag har bott här sedan 2025.", "Det kostar 5 kr.", "Busskortet kostar 1 500 kr i månaden.",
        "Vi fick 20 000 kronor i bidrag 2024.", "Mötet var den 2025-03-01 kl. 18.00.", "20250301",
        "Jag ger det 4 av 5.", "Betyg 3/5", "Öppet 08-17, lunch 12-13.", "Öppet 08.00-17.00.", "Öppet 08.00–16.30.",
        "Den 01-03-2025 var det stängt.", "Ring 112 eller 1177 om det är bråttom.", "Jag ringde 3 gånger.",
        "Vi är 12 personer i 3 rum.", "Föreningens organisationsnummer är 802400-1234.",
        "Född 1985, tre barn födda 2010, 2012 och 2015.", "Postnummer 123 45.",
        "8112189875",  # ten digits without a dash and with a wrong check digit: not taken for a personnummer
    ],
)  # fmt: skip
def test_ordinary_numbers_survive(text):
    assert remove_personal_details(text) == text


def test_several_details_in_one_text_are_each_removed_and_named():
    text = "Jag heter Anna, pnr 19811218-9876, ring 070-123 45 67 eller 08-12 34 56, mejla anna@exempel.se."
    assert remove_personal_details(text) == f"Jag heter Anna, pnr {PNR}, ring {PHONE} eller {PHONE}, mejla {EMAIL}."
    assert [kind for kind, _detail in personal_details_in(text)] == ["email", "personnummer", "phone", "phone"]


def test_a_number_after_a_phone_number_stays():
    assert remove_personal_details("Ring 070-123 45 67 2 gånger.") == f"Ring {PHONE} 2 gånger."
    assert remove_personal_details("070-123 45 67 08-123 45 67") == f"{PHONE} {PHONE}"


def test_a_number_without_area_code_after_a_word_about_phoning():
    assert remove_personal_details("Ring mig på 123 45 67.") == f"Ring mig på {PHONE}."
    assert remove_personal_details("Mitt nummer: 12 34 56") == f"Mitt nummer: {PHONE}"


def test_the_markers_are_swedish_whatever_language_is_active():
    with translation.override("en"):
        assert remove_personal_details("0701234567") == PHONE


def test_empty_text_stays_empty():
    assert remove_personal_details("") == ""


# --- Property tests ---------------------------------------------------------------------------

MOBILE = st.sampled_from(["070", "072", "073", "076", "079"])
AREA = st.sampled_from(["08", "031", "040", "018", "013", "090", "0470", "0980", "0660"])


@st.composite
def subscriber(draw, length: int) -> str:
    """``length`` digits split into groups of 2–4, joined the ways people do."""
    digits = draw(st.text("0123456789", min_size=length, max_size=length))
    groups, rest = [], digits
    while rest:
        size = len(rest) if len(rest) <= 4 else draw(st.integers(2, min(4, len(rest) - 2)))
        groups.append(rest[:size])
        rest = rest[size:]
    joiner = draw(st.sampled_from([" ", "-", "", " "]))
    return joiner.join(groups)


@st.composite
def swedish_phone_number(draw) -> str:
    area = draw(st.one_of(MOBILE, AREA))
    total = 10 if area.startswith("07") else draw(st.integers(8, 10))
    number = draw(subscriber(total - len(area)))
    sep = draw(st.sampled_from(["-", " ", "", " - ", "/"]))
    style = draw(st.sampled_from(["national", "parentheses", "+46", "+46 (0)", "0046"]))
    if style == "national":
        return f"{area}{sep}{number}"
    if style == "parentheses":
        return f"({area}) {number}"
    country = {"+46": "+46 ", "+46 (0)": "+46 (0)", "0046": "0046 "}[style]
    return f"{country}{area[1:]}{draw(st.sampled_from(['-', ' ', '']))}{number}"


@given(swedish_phone_number())
def test_no_digit_of_a_phone_number_is_left(number):
    scrubbed = remove_personal_details(f"Ring mig på {number} i kväll.")
    assert not re.search(r"\d", scrubbed), (number, scrubbed)
    # A ten-digit run with a date in front and a right check digit may be read as a personnummer instead.
    assert re.fullmatch(r"Ring mig på \[(telefonnummer|personnummer) borttaget\] i kväll\.", scrubbed), scrubbed


@st.composite
def personal_identity_number(draw) -> str:
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)))
    day = born.day + (60 if draw(st.booleans()) else 0)  # a samordningsnummer
    ten = f"{born:%y%m}{day:02d}{draw(st.integers(0, 999)):03d}"
    ten += next(str(c) for c in range(10) if luhn_ok(ten + str(c)))
    century = draw(st.booleans())
    sep = draw(st.sampled_from(["-", "", " "] + ([] if century else ["+"])))
    return f"{born.year // 100 if century else ''}{ten[:6]}{sep}{ten[6:]}"


@given(personal_identity_number())
def test_every_personal_identity_number_is_removed(number):
    assert remove_personal_details(f"Personnummer {number}, tack.") == f"Personnummer {PNR}, tack."


ORDINARY = st.one_of(
    st.integers(1900, 2099).map(lambda y: f"år {y}"),
    st.integers(0, 99_999).map(lambda n: f"{n:,} kr".replace(",", " ")),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)).map(lambda d: f"den {d:%Y-%m-%d}"),
    st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)).map(lambda d: f"{d:%Y%m%d}"),
    st.integers(1, 5).map(lambda n: f"{n} av 5"),
    st.integers(0, 100).map(lambda n: f"{n} %"),
    st.times().map(lambda t: f"kl. {t:%H.%M}"),
    st.integers(0, 23).map(lambda h: f"öppet {h:02d}-{(h + 8) % 24:02d}"),
    st.integers(0, 9).map(lambda n: f"{n} barn"),
)


@given(st.lists(ORDINARY, min_size=1, max_size=6))
def test_years_amounts_dates_and_scores_survive(parts):
    text = "Vi skriver " + ", ".join(parts) + "."
    assert remove_personal_details(text) == text


def test_dates_relative_to_today_survive():
    today = date.today()
    for days in (-400, -1, 0, 1, 400):
        text = f"Senast {today + timedelta(days=days):%Y-%m-%d}, inte {today:%Y%m%d}."
        assert remove_personal_details(text) == text


@given(st.text())
def test_a_phone_number_is_removed_after_any_text(text):
    assert remove_personal_details(f"{text} 0701234567").endswith(f" {PHONE}")


def test_a_marker_is_not_taken_for_a_word_about_phoning():
    assert remove_personal_details("0701234567 och 123456 kr") == f"{PHONE} och 123456 kr"
