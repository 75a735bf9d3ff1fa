"""Hostile plan files: whatever is uploaded, reading it ends in errors in Swedish,
each with a line number, or in a plan that imports; never another exception.

The work a file can cause is bounded by construction (no anchors or aliases,
bounded nesting and number of values: see plans.planfile), not by a timer here;
bench/plan_file_import.py measures the hostile files by hand."""

import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from plans.planfile import MAX_NESTING, MAX_NODES, PlanFileInvalid, parse_plan_file
from plans.services import plan_import

DEMO_PLANS = [p.read_text(encoding="utf-8") for p in sorted((Path(settings.BASE_DIR) / "demo").glob("*.plan.yaml"))]

FUZZ = hypothesis_settings(
    deadline=None,
    database=None,  # no saved examples: every run is fresh
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class _Rollback(Exception):
    pass


def _errors(data, municipality, language: str, *, messages: bool = False) -> list[tuple[int | None, str]] | None:
    """[(line, "Rad 3: …")], or with ``messages`` [(line, the message without its line)]."""
    with translation.override(language):
        try:
            parse_plan_file(data, municipality)
        except PlanFileInvalid as exc:
            return [(e.line, e.message if messages else str(e)) for e in exc.errors]
    return None


def assert_ends_well(data: str | bytes, municipality) -> str:
    """Errors in Swedish with a line number, or a plan imported (then rolled back)."""
    errors = _errors(data, municipality, "sv")
    if errors is None:
        spec = parse_plan_file(data, municipality)
        try:
            with transaction.atomic():
                plan_import(municipality=municipality, spec=spec, by=None, as_new=True)
                raise _Rollback
        except _Rollback:
            pass
        return "imported"
    assert errors, "an invalid file with no reason given"
    for line, swedish in errors:
        assert line is not None and line >= 1, swedish
        assert swedish.startswith(f"Rad {line}: "), swedish
    # Every message itself is translated, not only the "Rad N:" before it.
    in_swedish = _errors(data, municipality, "sv", messages=True)
    in_english = _errors(data, municipality, "en", messages=True)
    assert len(in_english) == len(in_swedish)
    for (_line, swedish), (_line_too, english) in zip(in_swedish, in_english, strict=True):
        assert swedish != english, f"not translated: {english}"
    return "refused"


# --- Fixed hostile files ------------------------------------------------------------------

BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        (BOMB, 1, "Ankare och alias (& och *) är inte tillåtna"),
        ("plan: &p\n  title: *p\n", 1, "Ankare och alias"),
        ("format: inkludera-plan\nplan: *missing\n", 2, "Ankare och alias"),
        ("[" * 100_000, 1, f"Filen är nästlad i fler än {MAX_NESTING} nivåer"),
        ("- " * 5000 + "x", 1, f"Filen är nästlad i fler än {MAX_NESTING} nivåer"),
        ("goals: [" + "a," * (MAX_NODES + 10) + "a]", 1, f"Filen har fler än {MAX_NODES} värden"),
        ("format: inkludera-plan\nversion: 1\nplan:\n  title: Ett\x00två\n", 4, "Filen innehåller ett styrtecken"),
        ("format: inkludera-plan\nversion: 1\nplan:\n  title: a\x1bb\n", 4, "Filen innehåller ett styrtecken (U+001B)"),
        ("format: inkludera-plan\n\nversion: !!binary aGVq\n", 3, "Taggen"),
        ("plan:\n  title: " + "1:" * 50_000 + "1\n", 1, "”format” måste"),
    ],
)
def test_hostile_files_are_refused_with_a_reason_and_a_line(world, text, line, expected):
    errors = _errors(text, world.municipality, "sv")
    assert errors is not None
    assert any(n == line and message.startswith(f"Rad {line}: {expected}") for n, message in errors), errors
    assert_ends_well(text, world.municipality)


def test_an_oversized_file_is_refused_before_it_is_read(world, settings):
    settings.PLAN_FILE_MAX_BYTES = 1000
    errors = _errors(DEMO_PLANS[0], world.municipality, "sv")
    assert errors == [(None, "Filen är för stor: högst 1 kB.")]


def test_a_file_that_is_not_utf8_names_the_line(world):
    errors = _errors(b"format: inkludera-plan\nversion: 1\nplan: \xff\n", world.municipality, "sv")
    assert errors == [(3, "Rad 3: Filen är inte UTF-8-text: spara den som UTF-8 och försök igen.")]


def test_errors_are_capped_and_say_how_many_more(world):
    goals = "".join(f"  - {{code: '{i}', title: t, kind: x{i}}}\n" for i in range(300))
    text = f"format: inkludera-plan\nversion: 1\nplan: {{title: T, kind: program}}\nlevels: [Mål]\ngoals:\n{goals}"
    errors = _errors(text, world.municipality, "sv")
    assert len(errors) == 101
    assert errors[-1][1].startswith("Rad 106: … och 200 fel till härifrån och framåt")


# --- Random files -------------------------------------------------------------------------


@hypothesis_settings(FUZZ, max_examples=150)
@given(data=st.binary(max_size=400))
def test_random_bytes(world, data):
    assert_ends_well(data, world.municipality)


YAML_PIECES = st.sampled_from(
    [
        "&a ", "*a", "!!python/object:os.system ", "!!binary ", "!!set ", "!x ", "<<: ", "? ", ": ", "- ", "-",
        "[", "]", "{", "}", ",", "'", '"', "|", ">", "#", "%YAML 1.1\n", "---\n", "...\n", "\n", "\n  ", "\t", "~",
        "\\0", "\x00", "\x07", "\x85", "\u2028", "\ufeff", "2026-13-01", "1:2:3", "0x1F", ".inf", "1e400", "yes",
        "null", "title", "code", "goals", "levels", "plan", "format: inkludera-plan\n", "version: 1\n", "rights_areas",
        "responsible", "primary", "SN", "kultur",
    ]
)  # fmt: skip


@hypothesis_settings(FUZZ, max_examples=150)
@given(pieces=st.lists(YAML_PIECES | st.text(max_size=8), max_size=40))
def test_random_yaml_syntax(world, pieces):
    assert_ends_well("".join(pieces), world.municipality)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.dates(min_value=dt.date(1, 1, 1))
    | st.text(max_size=30)
    | st.sampled_from(["utbildning", "kultur", "SN", "KS", "Stadsdelsnämnderna", "effektmal", "antagen", "1.1"])
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
)


def _maybe(strategy):
    return st.one_of(strategy, VALUES)


GOAL = st.recursive(
    st.fixed_dictionaries(
        {"code": _maybe(st.text(max_size=22)), "title": _maybe(st.text(max_size=40))},
        optional={
            "kind": _maybe(st.sampled_from(["effektmal", "resultatmal", ""])),
            "description": _maybe(st.text()),
            "guidance": _maybe(st.text()),
            "rights_areas": _maybe(st.lists(st.sampled_from(["utbildning", "kultur", "halsa", "x"]))),
            "responsible": _maybe(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "all_units": _maybe(st.booleans()),
                        "primary": _maybe(st.lists(st.sampled_from(["SN", "KS", "sn", "Stadsdelsnämnderna", "X"]))),
                        "co_responsible": _maybe(st.lists(st.sampled_from(["SN", "KS", "Hägersten-Älvsjö"]))),
                    },
                )
            ),
        },
    ),
    lambda children: st.fixed_dictionaries(
        {"code": st.text(min_size=1, max_size=6), "title": st.text(min_size=1, max_size=20)},
        optional={"goals": st.lists(children, max_size=3)},
    ),
    max_leaves=8,
)
PLAN_FILE = st.fixed_dictionaries(
    {
        "format": _maybe(st.just("inkludera-plan")),
        "version": _maybe(st.just(1)),
        "plan": _maybe(
            st.fixed_dictionaries(
                {
                    "title": _maybe(st.text(min_size=1, max_size=310)),
                    "kind": _maybe(st.sampled_from(["strategi", "handlingsplan", "program", "riktlinjer"])),
                },
                optional={
                    "status": _maybe(st.sampled_from(["utkast", "pa_remiss", "antagen", "ersatt"])),
                    "valid_from": _maybe(st.dates()),
                    "valid_to": _maybe(st.dates()),
                    "adopted_by": _maybe(st.text(max_size=210)),
                    "overall_goal": _maybe(st.text()),
                },
            )
        ),
        "levels": _maybe(
            st.lists(
                st.text(min_size=1, max_size=102)
                | st.fixed_dictionaries({"name": _maybe(st.text(max_size=102))}, optional={"goal_kind": VALUES}),
                min_size=1,
                max_size=5,
            )
        ),
    },
    optional={"goals": _maybe(st.lists(GOAL, max_size=4)), "extra": VALUES},
)


@hypothesis_settings(FUZZ, max_examples=150)
@given(document=PLAN_FILE, style=st.sampled_from([None, False, True]))
def test_random_plan_shaped_documents(world, document, style):
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=style, sort_keys=False)
    assert_ends_well(text, world.municipality)


MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["insert", "delete", "replace", "duplicate"]),
        st.floats(0, 1),
        st.integers(1, 200),
        YAML_PIECES | st.text(max_size=6),
    ),
    min_size=1,
    max_size=4,
)


@hypothesis_settings(FUZZ, max_examples=200)
@given(source=st.sampled_from(range(len(DEMO_PLANS))), mutations=MUTATIONS)
def test_mutated_demo_plans(world, source, mutations):
    text = DEMO_PLANS[source]
    for op, where, length, piece in mutations:
        at = int(where * len(text))
        if op == "insert":
            text = text[:at] + piece + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + length :]
        elif op == "replace":
            text = text[:at] + piece + text[at + len(piece) :]
        else:
            text = text[:at] + text[at : at + length] + text[at:]
    assert_ends_well(text, world.municipality)


def test_the_demo_plans_themselves_import(world):
    """The unmutated files are the baseline: they name Stockholm's units, so here most are refused
    for unknown units, each with its line; none crashes."""
    for text in DEMO_PLANS:
        assert assert_ends_well(text, world.municipality) in ("imported", "refused")
