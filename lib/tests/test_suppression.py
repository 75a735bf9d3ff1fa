"""Tests of small-count suppression: readable examples first, then properties
over random tables (hypothesis), including a brute-force reader who tries to
work out every hidden value from what the published table shows."""

import random

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.suppression import MIN_K, Cell, check_k, suppress_1d, suppress_2d

# --- helpers -------------------------------------------------------------------------------------------------------


def shown(cell):
    return "·" if cell.suppressed else cell.value


def grid(table, rows, cols):
    """The published table as a list of lists, totals last ("·" = hidden)."""
    body = [[shown(table.cells[r, c]) for c in cols] + [shown(table.row_totals[r])] for r in rows]
    return [*body, [shown(table.col_totals[c]) for c in cols] + [shown(table.grand_total)]]


def entries_and_lines_2d(counts, rows, cols, table):
    """Every published number as name -> (true value, Cell), and every line as
    (members, total): the rows, the columns, the row of column totals and the
    column of row totals."""
    true = {(r, c): counts.get((r, c), 0) for r in rows for c in cols}
    entries = {("cell", r, c): (true[r, c], table.cells[r, c]) for r in rows for c in cols}
    entries |= {("row", r): (sum(true[r, c] for c in cols), table.row_totals[r]) for r in rows}
    entries |= {("col", c): (sum(true[r, c] for r in rows), table.col_totals[c]) for c in cols}
    entries["grand"] = (sum(true.values()), table.grand_total)
    lines = [([("cell", r, c) for c in cols], ("row", r)) for r in rows]
    lines += [([("cell", r, c) for r in rows], ("col", c)) for c in cols]
    lines += [([("row", r) for r in rows], "grand"), ([("col", c) for c in cols], "grand")]
    return entries, lines


def entries_and_lines_1d(counts, cells, total_cell, total=None):
    entries = {("cell", key): (value, cells[key]) for key, value in counts.items()}
    entries["total"] = (sum(counts.values()) if total is None else total, total_cell)
    return entries, [([("cell", key) for key in counts], "total")]


def can_differ(entries, lines, k, target, window=3):
    """Whether a reader's equations allow ``target`` another value than its true one.

    The reader knows every shown value, that each line adds up to its total,
    and what the labels say: "hidden" is at least k, and "fewer than k" is 1..k-1,
    or 0..k-1 for a value in a line whose total is "fewer than k" (elsewhere
    zeros are shown). The search is exhaustive, with each "hidden" value tried
    only up to its true value + ``window``: an alternative found in that range
    is a real one, so the window can only make the test stricter."""
    names = list(entries)
    line_of = {name: [line for line in lines if name in line[0] or name == line[1]] for name in names}
    small_total = {name for members, total in lines if entries[total][1].primary for name in members}

    def domain(name):
        value, cell = entries[name]
        if not cell.suppressed:
            return [value]
        values = range(0 if name in small_total else 1, k) if cell.primary else range(k, value + window + 1)
        return sorted(values, key=lambda v: (abs(v - value), v))

    domains = {name: domain(name) for name in names}
    assert all(entries[name][0] in domains[name] for name in names), "the true table contradicts its labels"
    domains[target] = [v for v in domains[target] if v != entries[target][0]]

    def consistent(assigned, name):
        for members, total in line_of[name]:
            involved = [*members, total]
            if all(n in assigned for n in involved) and sum(assigned[n] for n in members) != assigned[total]:
                return False
        return True

    def forced(assigned):
        """A variable that some line fixes, with its value, or None."""
        for members, total in lines:
            missing = [n for n in [*members, total] if n not in assigned]
            if len(missing) == 1:
                (name,) = missing
                rest = sum(assigned[n] for n in members if n != name)
                return name, (assigned[total] - rest if name != total else rest)
        return None

    def search(assigned):
        if len(assigned) == len(names):
            return True
        hit = forced(assigned)
        if hit is not None:
            name, value = hit
            candidates = [value] if value in domains[name] else []
        else:
            name = target if target not in assigned else next(n for n in names if n not in assigned)
            candidates = domains[name]
        for value in candidates:
            assigned[name] = value
            if consistent(assigned, name) and search(assigned):
                return True
            del assigned[name]
        return False

    return search({})


def assert_protected(entries, lines, k, withheld=False):
    """Shown values are true and 0 or at least k; labels are true; a hidden zero
    is in a line whose total is small; no line has a single hidden value, unless
    that is such a zero (a zero points out no one)."""
    small_lines = [members for members, total in lines if 0 < entries[total][0] < k]
    for name, (value, cell) in entries.items():
        assert cell.k == k
        if not cell.suppressed:
            assert cell.value == value and (value == 0 or value >= k), name
        elif withheld:
            assert not cell.primary
        else:
            assert cell.value is None and cell.primary == (value < k), name
            assert value > 0 or any(name in members for members in small_lines), name
    for members, total in lines:
        hidden = [entries[n][0] for n in [*members, total] if entries[n][1].suppressed]
        assert hidden in ([], [0]) or len(hidden) >= 2, (members, total)


def assert_nothing_can_be_worked_out(entries, lines, k):
    for name, (value, cell) in entries.items():
        if cell.suppressed and value:  # a hidden zero may be worked out: a zero points out no one
            assert can_differ(entries, lines, k, name), name


# --- examples ------------------------------------------------------------------------------------------------------


def test_seed_000_age_distribution_needs_no_suppression():
    ages = {"group 1": 6, "group 2": 10, "group 3": 16, "group 4": 7}  # seed 000's respondents by age group
    cells, total = suppress_1d(ages, k=5)
    assert {key: cell.value for key, cell in cells.items()} == ages
    assert not any(cell.suppressed for cell in cells.values())
    assert total == Cell(39, False, 5)


def test_a_two_in_a_row_hides_a_second_cell_of_that_row_and_of_its_column():
    counts = {("health", "young"): 2, ("health", "middle"): 8, ("health", "old"): 9}
    counts |= {("school", "young"): 7, ("school", "middle"): 6, ("school", "old"): 12}
    rows, cols = ["health", "school"], ["young", "middle", "old"]
    table = suppress_2d(counts, rows=rows, cols=cols, k=5)
    assert grid(table, rows, cols) == [
        ["·", "·", 9, 19],  # the 2, and 8: the smallest other count in its row
        ["·", "·", 12, 25],  # so that neither column has a single hidden cell
        [9, 14, 21, 44],
    ]
    assert table.cells["health", "young"].primary
    assert not table.cells["health", "middle"].primary


def test_labels():
    with translation.override("en"):
        cells, total = suppress_1d({"yes": 2, "no": 30, "maybe": 0}, k=5)
        assert [str(cell) for cell in cells.values()] == ["fewer than 5", "hidden", "0"]
        assert str(total) == "32"
        assert str(Cell(None, True, 7, primary=True)) == "fewer than 7"


def test_two_hidden_values_are_not_enough_when_their_labels_give_them_away():
    # With only 4 and 4 hidden, a total of 18 next to a shown 10 would reveal that both are 4 ("fewer than 5").
    cells, total = suppress_1d({"a": 4, "b": 4, "c": 10}, k=5)
    assert [shown(cell) for cell in cells.values()] == ["·", "·", "·"]
    assert total.value == 18


def test_zeros_beside_hidden_values():
    # 1 and 5 hidden beside a shown 20 and 0 would give 1 + 5 = 6 with 1..4 and at least 5: only 1 and 5 fit.
    cells, total = suppress_1d({"a": 1, "b": 5, "c": 20, "d": 0}, k=5)
    assert [shown(cell) for cell in cells.values()] == ["·", "·", "·", 0]
    assert total.value == 26
    # A zero beside a hidden value in a large line stays: 3 + 12 = 15 leaves 3 anywhere in 1..4.
    cells, total = suppress_1d({"a": 3, "b": 0, "c": 12}, k=5)
    assert [shown(cell) for cell in cells.values()] == ["·", 0, "·"]
    assert total.value == 15
    # Two 1s with a total of 2 and k=3: shown zeros would tell that each hidden value is at least 1, so both 1.
    cells, total = suppress_1d({"a": 1, "b": 1, "c": 0}, k=3)
    with translation.override("en"):
        assert [str(cell) for cell in [*cells.values(), total]] == ["fewer than 3"] * 4


def test_a_small_row_is_hidden_whole_zeros_included():
    counts = {("a", "x"): 2, ("a", "y"): 0, ("b", "x"): 9, ("b", "y"): 8}
    table = suppress_2d(counts, rows=["a", "b"], cols=["x", "y"], k=5)
    # Column x needs a second hidden value (9), and so does the column of row totals (17). In column y the
    # hidden zero can be worked out (8 - 8), which is harmless.
    assert grid(table, ["a", "b"], ["x", "y"]) == [["·", "·", "·"], ["·", 8, "·"], [11, 8, 19]]
    assert table.cells["a", "y"].primary  # "fewer than 5": true of a zero
    entries, lines = entries_and_lines_2d(counts, ["a", "b"], ["x", "y"], table)
    assert_protected(entries, lines, 5)
    assert_nothing_can_be_worked_out(entries, lines, 5)


def test_a_tiny_table_that_cannot_be_protected_is_withheld():
    # k=3, four respondents: whatever is hidden, the labels and sums pin the values down.
    counts = {("a", "x"): 1, ("a", "y"): 1, ("b", "x"): 2, ("b", "y"): 0}
    table = suppress_2d(counts, rows=["a", "b"], cols=["x", "y"], k=3)
    assert table.withheld
    assert grid(table, ["a", "b"], ["x", "y"]) == [["·"] * 3] * 3
    with translation.override("en"):
        assert {str(cell) for cell in table.cells.values()} == {"hidden"}
    assert not suppress_2d(counts, rows=["a", "b"], cols=["x", "y"], k=5).withheld  # all four below 5: nothing pinned


def test_multiple_choice_total_is_the_number_of_respondents():
    cells, total = suppress_1d({"a": 3, "b": 9, "c": 12}, k=5, total=14)
    assert [shown(cell) for cell in cells.values()] == ["·", "·", 12]
    assert total.value == 14


def test_2d_with_respondents_as_column_totals():
    counts = {("work", "young"): 6, ("work", "old"): 3, ("school", "young"): 9, ("school", "old"): 0}
    rows, cols = ["work", "school"], ["young", "old"]
    table = suppress_2d(counts, rows=rows, cols=cols, k=5, col_totals={"young": 12, "old": 7})
    assert table.grand_total.value == 19
    assert table.cells["work", "old"].suppressed and table.cells["school", "old"].value == 0
    entries, lines = entries_and_lines_2d(counts, rows, cols, table)
    for members, total in lines:
        assert sum(entries[n][1].suppressed for n in [*members, total]) != 1


def test_all_zero_and_empty_tables():
    table = suppress_2d({}, rows=["a", "b"], cols=["x"], k=5)
    assert grid(table, ["a", "b"], ["x"]) == [[0, 0], [0, 0], [0, 0]]
    assert suppress_1d({}, k=5) == ({}, Cell(0, False, 5))


@pytest.mark.parametrize("k", [2, 1, 0, -5])
def test_k_below_three_is_refused(k):
    assert MIN_K == 3
    with pytest.raises(ValueError, match="at least 3"):
        check_k(k)
    with pytest.raises(ValueError):
        suppress_1d({"a": 1}, k=k)
    with pytest.raises(ValueError):
        suppress_2d({("a", "x"): 1}, rows=["a"], cols=["x"], k=k)


def test_bad_input_is_refused():
    assert check_k(3) == 3
    with pytest.raises(TypeError):
        check_k(True)
    with pytest.raises(ValueError, match="negative"):
        suppress_1d({"a": -1}, k=5)
    with pytest.raises(ValueError, match="outside"):
        suppress_2d({("a", "y"): 1}, rows=["a"], cols=["x"], k=5)
    with pytest.raises(ValueError, match="repeat"):
        suppress_2d({}, rows=["a", "a"], cols=["x"], k=5)
    with pytest.raises(ValueError):
        Cell(None, False)


def test_the_brute_force_reader_does_catch_a_disclosure():
    counts = {"a": 4, "b": 4, "c": 10}
    hidden = Cell(None, True, 5, primary=True)
    entries, lines = entries_and_lines_1d(
        counts, {"a": hidden, "b": hidden, "c": Cell(10, False, 5)}, Cell(18, False, 5)
    )
    assert not can_differ(entries, lines, 5, ("cell", "a"))
    entries, lines = entries_and_lines_1d(
        counts, {"a": hidden, "b": hidden, "c": Cell(None, True, 5)}, Cell(18, False, 5)
    )
    assert can_differ(entries, lines, 5, ("cell", "a"))


# --- properties over random tables ---------------------------------------------------------------------------------

SMALL_WEIGHTED = st.one_of(st.just(0), st.integers(1, 5), st.integers(1, 10), st.integers(0, 30))
ANY_K = st.integers(3, 10)
PROPERTIES = settings(max_examples=300, deadline=None, database=None)  # no saved examples: every run is fresh


@st.composite
def tables(draw, max_side=6, counts=SMALL_WEIGHTED, ks=ANY_K):
    rows = [f"r{i}" for i in range(draw(st.integers(1, max_side)))]
    cols = [f"c{i}" for i in range(draw(st.integers(1, max_side)))]
    return {(r, c): draw(counts) for r in rows for c in cols}, rows, cols, draw(ks)


@st.composite
def lists(draw, max_len=6, counts=SMALL_WEIGHTED, ks=ANY_K):
    values = draw(st.lists(counts, min_size=1, max_size=max_len))
    return {f"o{i}": value for i, value in enumerate(values)}, draw(ks)


@PROPERTIES
@given(tables(), st.randoms(use_true_random=False))
def test_2d_shows_only_true_values_zero_or_at_least_k_never_one_hidden_in_a_line_and_is_deterministic(case, rnd):
    counts, rows, cols, k = case
    table = suppress_2d(counts, rows=rows, cols=cols, k=k)
    assert_protected(*entries_and_lines_2d(counts, rows, cols, table), k, table.withheld)
    shuffled = list(counts.items())
    rnd.shuffle(shuffled)
    assert suppress_2d(dict(shuffled), rows=rows, cols=cols, k=k) == table


@PROPERTIES
@given(tables(max_side=3, counts=st.one_of(st.just(0), st.integers(1, 4), st.integers(0, 12)), ks=st.integers(3, 6)))
def test_2d_no_hidden_value_can_be_worked_out(case):
    counts, rows, cols, k = case
    table = suppress_2d(counts, rows=rows, cols=cols, k=k)
    entries, lines = entries_and_lines_2d(counts, rows, cols, table)
    assert_protected(entries, lines, k, table.withheld)
    if not table.withheld:  # withheld: no number, no "fewer than k", so no bounds to work with
        assert_nothing_can_be_worked_out(entries, lines, k)


@PROPERTIES
@given(lists())
def test_1d_shows_true_values_and_no_hidden_value_can_be_worked_out(case):
    counts, k = case
    cells, total = suppress_1d(counts, k=k)
    assert list(cells) == list(counts)
    entries, lines = entries_and_lines_1d(counts, cells, total)
    assert_protected(entries, lines, k)
    assert_nothing_can_be_worked_out(entries, lines, k)
    assert suppress_1d(counts, k=k) == (cells, total)


@PROPERTIES
@given(lists(), st.integers(0, 5))
def test_1d_with_respondents_as_total(case, silent):
    counts, k = case
    respondents = max(counts.values()) + silent  # multiple choice: at least as many as chose any one option
    cells, total = suppress_1d(counts, k=k, total=respondents)
    entries, _ = entries_and_lines_1d(counts, cells, total, respondents)
    for value, cell in entries.values():
        assert cell.value == (None if cell.suppressed else value)
        assert cell.suppressed or value == 0 or value >= k
    if any(counts.values()):
        assert sum(cell.suppressed for _, cell in entries.values()) != 1


def test_larger_tables_are_quick():
    rnd = random.Random(0)
    rows, cols = [f"r{i}" for i in range(12)], [f"c{i}" for i in range(8)]
    for _ in range(20):
        counts = {(r, c): rnd.choice([0, 1, 2, 3, 4, 6, 9, 15, 40]) for r in rows for c in cols}
        table = suppress_2d(counts, rows=rows, cols=cols, k=5)
        assert_protected(*entries_and_lines_2d(counts, rows, cols, table), 5, table.withheld)
