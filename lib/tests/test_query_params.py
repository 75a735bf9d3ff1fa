"""Query parameters: a bad value is the page's default, never an exception."""

import pytest
from django.test import RequestFactory

from lib.forms import MAX_ID, choice_param, int_param, text_param, year_param


def get(**params):
    return RequestFactory().get("/", params)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("0", 0),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),  # would overflow the database's integer
        ("9" * 5000, None),  # int() refuses more than 4300 digits
        ("-1", None),
        ("1.5", None),
        ("²", None),  # str.isdigit() says yes, int() says no
        ("١٢", None),  # int() reads Arabic-Indic digits; an id is written 0-9
        ("12\x00", None),
        ("", None),
        (" 12", None),
    ],
)
def test_int_param(value, expected):
    assert int_param(get(n=value), "n") == expected


def test_a_missing_parameter_is_none():
    assert int_param(get(), "n") is None
    assert year_param(get(), "ar") is None


@pytest.mark.parametrize(("value", "expected"), [("2026", 2026), ("1900", 1900), ("10000", None), ("1899", None)])
def test_year_param_stays_where_dates_work(value, expected):
    assert year_param(get(ar=value), "ar") == expected


def test_text_param_drops_control_characters_and_is_cut():
    assert text_param(get(q=" bro\x00byggare\u202e\n "), "q") == "brobyggare"
    assert text_param(get(q="å" * 500), "q") == "å" * 100


def test_choice_param():
    assert choice_param(get(s="aktiv"), "s", ["aktiv", "klar"]) == "aktiv"
    assert choice_param(get(s=["aktiv", "x"]), "s", ["aktiv"]) == ""  # the last of repeated values counts
    assert choice_param(get(), "s", ["aktiv"], default="klar") == "klar"
