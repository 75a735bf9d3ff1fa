"""The rule-aware reader against random tables (issue 12).

For every random table: publish it, then for every hidden count from 1 to k-1
search exhaustively for a table that is published exactly the same way and
gives that count 0 or at least k (lib/tests/suppression_attacker.py). If there
is none, the reader has located a small count (and often its value). The
tables are kept small enough for the search to be exhaustive: one question of
up to 6 options with counts up to 25, cross tables up to 3 × 4 and 4 × 3 with
counts up to 9, and theme × age tables with an "age not stated" column; k is
3, 4 or 5. More than 10,000 tables in all.
"""

import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lib.suppression import Cell, suppress_1d, suppress_2d

from .suppression_attacker import Shape, exposed, printed_numbers, publisher_1d, publisher_2d

# The reader's profile: no deadline (a search may take a while), no saved examples (every run draws fresh
# tables). SUPPRESSION_READER_SCALE=10 runs ten times as many tables, for a longer look by hand.
READER = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SCALE = int(os.environ.get("SUPPRESSION_READER_SCALE", "1"))


def examples(n):
    return settings(READER, max_examples=n * SCALE)


KS = st.sampled_from([3, 4, 5])


def small_weighted(high):
    """Counts with many zeros and small counts, the hard cases, and some large ones."""
    return st.one_of(st.just(0), st.integers(1, 4), st.integers(0, high))


@st.composite
def single_choice(draw):
    values = draw(st.lists(small_weighted(25), min_size=1, max_size=6))
    return (tuple(values),), draw(KS)


@st.composite
def cross_tables(draw):
    rows, cols = draw(st.sampled_from([(2, 2), (2, 3), (3, 2), (3, 3), (2, 4), (4, 2), (3, 4), (4, 3), (1, 3), (3, 1)]))
    cells = st.one_of(st.just(0), st.integers(1, 4), st.integers(0, 9))
    matrix = tuple(tuple(draw(cells) for _c in range(cols)) for _r in range(rows))
    return matrix, draw(KS), draw(st.sampled_from(["rows", "cols"]))


@st.composite
def theme_by_age(draw):
    """Themes × age groups, the last column "age not stated" (mostly small)."""
    themes, ages = draw(st.integers(2, 4)), draw(st.integers(2, 3))
    counts = st.one_of(st.just(0), st.integers(1, 4), st.integers(0, 9))
    not_stated = st.one_of(st.just(0), st.integers(0, 3))
    matrix = tuple(tuple([*(draw(counts) for _a in range(ages)), draw(not_stated)]) for _t in range(themes))
    return matrix, draw(KS)


# Steps the reader's exhaustive search may take per hidden count before it gives up
# ("undecided" fails the test). Rare tables need millions (found by a random run:
# the theme × age example below needs more than 400,000, decided in 2 s); most need a few hundred.
BUDGET = 20_000_000


def assert_nothing_located(shape, matrix, publish, k):
    assert exposed(shape, matrix, publish, k, budget=BUDGET) == [], (matrix, k, publish(matrix))


@examples(4000)
@given(single_choice())
def test_single_choice_questions(case):
    matrix, k = case
    publish = publisher_1d(k)
    shape = Shape(1, len(matrix[0]), one_d=True)
    assert not any(0 < v < k for v in printed_numbers(publish(matrix)))
    assert_nothing_located(shape, matrix, publish, k)


@examples(4000)
@given(cross_tables())
def test_cross_tables(case):
    matrix, k, by = case
    publish = publisher_2d(k, by)
    shape = Shape(len(matrix), len(matrix[0]))
    assert not any(0 < v < k for v in printed_numbers(publish(matrix)))
    assert_nothing_located(shape, matrix, publish, k)


@examples(2500)
@given(theme_by_age())
@example((((2, 1, 0, 0), (7, 2, 1, 0), (0, 7, 1, 1), (4, 4, 4, 1)), 5))
def test_theme_by_age_tables(case):
    matrix, k = case
    publish = publisher_2d(k, "rows")
    shape = Shape(len(matrix), len(matrix[0]))
    assert not any(0 < v < k for v in printed_numbers(publish(matrix)))
    assert_nothing_located(shape, matrix, publish, k)


@st.composite
def multiple_choice(draw):
    """Several options may be chosen. The last count is "no answer": those who chose none. The total is the
    number of respondents; each option is at most the number who answered, and the options add up to at
    least that (everyone who answered chose one or more)."""
    k = draw(KS)
    total = draw(st.integers(k, 25))
    skipped = min(total, draw(small_weighted(total)))
    answered = total - skipped
    options = draw(st.lists(st.integers(0, answered), min_size=1, max_size=4))
    shortfall = answered - sum(options)
    if shortfall > 0:  # those who answered chose something: give the rest to the options that have room
        for i in range(len(options)):
            more = min(shortfall, answered - options[i])
            options[i] += more
            shortfall -= more
    return (tuple([*options, skipped]),), total, k


def could_be_counted(total):
    def possible(matrix):
        *options, skipped = matrix[0]
        answered = total - skipped
        return answered >= 0 and all(o <= answered for o in options) and sum(options) >= answered

    return possible


@examples(1000)
@given(multiple_choice())
def test_multiple_choice_questions(case):
    matrix, total, k = case
    publish = publisher_1d(k, total, no_answer_last=True)
    shape = Shape(1, len(matrix[0]), one_d=True, additive=False)
    assert not any(0 < v < k for v in printed_numbers(publish(matrix)))
    assert exposed(shape, matrix, publish, k, possible=could_be_counted(total)) == [], (matrix, total, k)


# --- the reader itself can find what it should ----------------------------------------------------------------------


def test_the_reader_locates_a_small_count_when_the_labels_tell():
    """The old method labelled small counts apart ("färre än 5") from the count hidden with them ("dolt"),
    the smallest shown one: with (4, 5, 5) and k = 5 the reader knows the "dolt" one is at least 5 and at
    most the shown 5, so the small one is 4. A stand-in for it shows that the reader catches that."""

    def old(matrix):
        values = matrix[0]
        small = [0 < v < 5 for v in values]
        complement = min((v, i) for i, v in enumerate(values) if not small[i] and v)[1] if any(small) else None
        out = {
            ("cell", 0, i): Cell(None, True) if small[i] or i == complement else Cell(v, False)
            for i, v in enumerate(values)
        }
        labels = tuple("färre än 5" if s else "dolt" if i == complement else "" for i, s in enumerate(small))
        return out | {"total": Cell(sum(values), False), "labels": labels}

    shape = Shape(1, 3, one_d=True)
    assert [entry for entry, _why in exposed(shape, ((4, 5, 5),), old, 5)] == [("cell", 0, 0)]
    assert exposed(shape, ((4, 5, 5),), publisher_1d(5), 5) == []


def test_the_reader_finds_what_a_weak_rule_gives_away():
    """A rule that hides only the small counts, with one label, is undone by subtraction."""

    def weak(matrix):
        cells, total = suppress_1d({f"o{i}": v for i, v in enumerate(matrix[0])}, k=5)
        out = {("cell", 0, i): cells[f"o{i}"] for i in range(len(matrix[0]))}
        for i, v in enumerate(matrix[0]):
            if v >= 5:  # undo the complement: show it
                out["cell", 0, i] = type(total)(v, False, 5)
        out["total"] = total
        return out

    shape = Shape(1, 3, one_d=True)
    assert exposed(shape, ((3, 9, 12),), weak, 5) == [
        (("cell", 0, 0), "every table published the same way has ('cell', 0, 0) from 1 to 4")
    ]
    assert exposed(shape, ((3, 9, 12),), publisher_1d(5), 5) == []


def test_the_reader_uses_zeros_and_totals():
    """Hiding a small count and its partner in a row whose other cells are zeros, with the column totals
    shown, lets the column totals give both away; the method hides those column totals."""
    matrix = ((2, 7, 0), (9, 9, 9))
    table = suppress_2d({(r, c): matrix[r][c] for r in range(2) for c in range(3)}, rows=[0, 1], cols=[0, 1, 2], k=5)
    assert table.cells[0, 0].suppressed and table.cells[0, 1].suppressed and table.cells[0, 2].value == 0
    assert table.col_totals[0].suppressed and table.col_totals[1].suppressed and table.col_totals[2].value == 9

    def with_column_totals(m):
        out = publisher_2d(5)(m)
        for c in range(3):
            out["col", c] = type(out["grand"])(sum(row[c] for row in m), False, 5)
        return out

    shape = Shape(2, 3)
    assert [entry for entry, _why in exposed(shape, matrix, with_column_totals, 5)] == [("cell", 0, 0)]
    assert exposed(shape, matrix, publisher_2d(5), 5) == []
