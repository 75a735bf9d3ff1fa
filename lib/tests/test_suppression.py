"""Tests of small-count suppression: readable examples first, then properties
over random tables (hypothesis). The rule-aware reader who tries to undo the
method is in test_suppression_attacker.py."""

import random
import time

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.suppression import MIN_K, Cell, check_k, hidden_in_line, suppress_1d, suppress_2d

# --- helpers -------------------------------------------------------------------------------------------------------


def shown(cell):
    return "·" if cell.suppressed else cell.value


def line(counts, k=5, **kwargs):
    """A question's published cells as a list, then its total ("·" = hidden)."""
    cells, total = suppress_1d({f"o{i}": v for i, v in enumerate(counts)}, k=k, **kwargs)
    return [shown(cell) for cell in cells.values()], shown(total)


def grid(table, rows, cols):
    """The published table as a list of lists, totals last ("·" = hidden)."""
    body = [[shown(table.cells[r, c]) for c in cols] + [shown(table.row_totals[r])] for r in rows]
    return [*body, [shown(table.col_totals[c]) for c in cols] + [shown(table.grand_total)]]


def table_of(matrix, k=5, **kwargs):
    rows, cols = [f"r{i}" for i in range(len(matrix))], [f"c{j}" for j in range(len(matrix[0]))]
    counts = {(r, c): matrix[i][j] for i, r in enumerate(rows) for j, c in enumerate(cols)}
    return grid(suppress_2d(counts, rows=rows, cols=cols, k=k, **kwargs), rows, cols)


# --- one question --------------------------------------------------------------------------------------------------


def test_seed_000_age_distribution_needs_no_suppression():
    ages = {"group 1": 6, "group 2": 10, "group 3": 16, "group 4": 7}  # seed 000's respondents by age group
    cells, total = suppress_1d(ages, k=5)
    assert {key: cell.value for key, cell in cells.items()} == ages
    assert total == Cell(39, False, 5)


def test_a_small_count_is_hidden_with_the_smallest_larger_one():
    assert line([3, 9, 12]) == (["·", "·", 12], 24)
    # The reader sees two hidden counts adding up to 12, one from 1 to 4 and one from 5 to 11 (below the
    # shown 12), and cannot tell which is which: (9, 3) would be published the same way.
    assert line([9, 3, 12]) == line([3, 9, 12])


def test_the_issue_example_no_longer_gives_four_away():
    # The old method hid 4 as "färre än 5" and the first 5 as "dolt": the "dolt" one had to be 5, so the small one
    # was 4. Now every count equal to the smallest larger one is hidden, all with the same label.
    assert line([4, 5, 5]) == (["·", "·", "·"], 14)
    assert line([5, 4, 5]) == line([4, 5, 5]) == line([5, 5, 4])


def test_zeros_stay_shown_beside_a_larger_hidden_count():
    assert line([3, 0, 12, 30]) == (["·", 0, "·", 30], 45)


def test_a_question_without_a_count_of_at_least_k_is_hidden_whole_zeros_too():
    # (1, 2, 3, 0) with 6 answers: every non-zero count is small. Shown zeros would tell that the hidden ones are
    # all at least 1, hence all small.
    assert line([1, 2, 3, 0]) == (["·", "·", "·", "·"], 6)
    # Two counts adding up to exactly k: every split into two non-zero counts has a small one, so even 5 and 0
    # are hidden (else "hidden" would mean "both small").
    assert line([2, 3]) == line([5, 0]) == line([0, 5]) == (["·", "·"], 5)
    assert line([2, 4]) == (["·", "·"], 6)  # (5, 1) would read the same


def test_fewer_than_k_answers_hide_everything():
    assert line([2, 1, 0]) == (["·", "·", "·"], "·")
    assert suppress_1d({"all": 4}, k=5) == ({"all": Cell(None, True, 5)}, Cell(None, True, 5))
    assert line([0, 0]) == ([0, 0], 0)
    assert suppress_1d({}, k=5) == ({}, Cell(0, False, 5))


def test_one_label_for_every_hidden_count():
    with translation.override("en"):
        cells, total = suppress_1d({"yes": 2, "no": 30, "maybe": 0, "perhaps": 9}, k=5)
        assert [str(cell) for cell in cells.values()] == ["hidden", "30", "0", "hidden"]
        assert str(total) == "41"
    with translation.override("sv"):
        assert str(cells["yes"]) == str(cells["perhaps"]) == "dolt"
    assert not hasattr(cells["yes"], "primary")  # nothing can print or send which one is small


def test_multiple_choice_total_is_the_number_of_respondents():
    assert line([3, 9, 12], total=14) == (["·", "·", 12], 14)


def test_multiple_choice_an_option_chosen_by_almost_everyone_would_bound_a_hidden_no_answer():
    # 24 respondents, 3 chose none: no option can be above 21. Had the 20 been shown, a reader would know that at
    # most 4 chose none, so every option is hidden with it.
    assert line([7, 5, 20, 3], total=24, no_answer="o3") == (["·", "·", "·", "·"], 24)
    assert line([7, 5, 18, 3], total=24, no_answer="o3") == ([7, "·", 18, "·"], 24)
    assert line([7, 5, 20, 3], total=24) == ([7, "·", 20, "·"], 24)  # no "no answer" count: nothing to bound


def test_the_rule_for_a_line_ignores_the_order():
    rnd = random.Random(0)
    for _ in range(200):
        values = [rnd.choice([0, 1, 2, 4, 5, 7, 9, 30]) for _ in range(rnd.randint(1, 6))]
        order = list(range(len(values)))
        rnd.shuffle(order)
        hidden = hidden_in_line(values, sum(values) or 5, 5)
        assert hidden_in_line([values[i] for i in order], sum(values) or 5, 5) == [hidden[i] for i in order]


# --- cross tables --------------------------------------------------------------------------------------------------


def test_a_small_count_hides_the_smallest_larger_count_of_its_row_and_both_column_totals():
    assert table_of([[2, 8, 9], [7, 6, 12]]) == [
        ["·", "·", 9, 19],  # the 2, and 8: the smallest count of at least 5 in its row
        [7, 6, 12, 25],
        ["·", "·", 21, 44],  # shown column totals would give the hidden values away (9 - 7 = 2)
    ]


def test_a_row_with_a_small_total_is_hidden_whole_with_the_row_of_the_smallest_larger_total():
    assert table_of([[3, 0, 0], [8, 9, 6], [10, 20, 30], [12, 4, 8]]) == [
        ["·", "·", "·", "·"],  # 3 in all: hidden whole, zeros too
        ["·", "·", "·", "·"],  # 23, the smallest larger total
        [10, 20, 30, 60],
        [12, "·", "·", 24],  # the row's own rule: 4, and 8
        ["·", "·", "·", 110],
    ]


def test_read_by_columns_the_column_totals_stay():
    # Age group × source: the numbers of respondents and of participants (the column totals) must stay shown.
    matrix = [[6, 10], [3, 12], [9, 2], [20, 15]]
    assert table_of(matrix, by="cols") == [
        ["·", "·", "·"],  # 6 hides with the 3 of its column, 10 with the 2 of its column
        ["·", 12, "·"],
        [9, "·", "·"],
        [20, 15, 35],
        [38, 39, 77],
    ]
    transposed = [list(col) for col in zip(*matrix, strict=True)]
    assert table_of(matrix, by="cols") == [list(r) for r in zip(*table_of(transposed), strict=True)]


def test_a_table_about_fewer_than_k_people_is_withheld():
    table = suppress_2d({("a", "x"): 1, ("a", "y"): 1, ("b", "x"): 2}, rows=["a", "b"], cols=["x", "y"], k=5)
    assert table.withheld
    assert grid(table, ["a", "b"], ["x", "y"]) == [["·"] * 3] * 3
    with translation.override("en"):
        assert {str(cell) for cell in table.cells.values()} == {"hidden"}
    assert not suppress_2d(
        {("a", "x"): 1, ("a", "y"): 1, ("b", "x"): 2}, rows=["a", "b"], cols=["x", "y"], k=3
    ).withheld


def test_all_zero_and_one_cell_tables():
    assert table_of([[0], [0]]) == [[0, 0], [0, 0], [0, 0]]
    assert table_of([[7]]) == [[7, 7], [7, 7]]
    assert table_of([[3]]) == [["·", "·"], ["·", "·"]]  # a consultation with only a total, below k
    assert table_of([[3, 9, 12]]) == [["·", "·", 12, 24], ["·", "·", 12, 24]]


def test_2d_with_respondents_as_column_totals():
    counts = {("work", "young"): 6, ("work", "old"): 3, ("school", "young"): 9, ("school", "old"): 0}
    rows, cols = ["work", "school"], ["young", "old"]
    table = suppress_2d(counts, rows=rows, cols=cols, k=5, col_totals={"young": 12, "old": 7})
    assert table.grand_total.value == 19
    assert grid(table, rows, cols) == [["·", "·", 9], [9, 0, 9], ["·", "·", 19]]


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
    with pytest.raises(ValueError, match="by"):
        suppress_2d({}, rows=["a"], cols=["x"], k=5, by="diagonal")
    with pytest.raises(ValueError):
        Cell(None, False)


def test_a_20_theme_by_5_age_table_is_quick():
    rnd = random.Random(0)
    rows, cols = [f"theme {i}" for i in range(20)], ["18–30", "31–50", "51–65", "66+", "not stated"]
    tables = [{(r, c): rnd.choice([0, 1, 2, 3, 4, 6, 9, 15, 40]) for r in rows for c in cols} for _ in range(20)]
    start = time.perf_counter()
    for counts in tables:
        suppress_2d(counts, rows=rows, cols=cols, k=5)
    assert (time.perf_counter() - start) / len(tables) < 0.01  # well under the 100 ms a page may spend


# --- properties over random tables ---------------------------------------------------------------------------------

PROPERTIES = settings(max_examples=300, deadline=None, database=None)  # no saved examples: every run is fresh
COUNTS = st.one_of(st.just(0), st.integers(1, 5), st.integers(1, 12), st.integers(0, 60))


@st.composite
def tables(draw, max_side=7):
    rows = [f"r{i}" for i in range(draw(st.integers(1, max_side)))]
    cols = [f"c{i}" for i in range(draw(st.integers(1, max_side)))]
    counts = {(r, c): draw(COUNTS) for r in rows for c in cols}
    return counts, rows, cols, draw(st.integers(3, 10)), draw(st.sampled_from(["rows", "cols"]))


def published_lines(counts, rows, cols, table):
    """Every line of the table as (true values, cells, true total, total cell): rows, columns, and the lines of
    row totals and of column totals."""
    true = {key: counts.get(key, 0) for key in table.cells}
    out = [([true[r, c] for c in cols], [table.cells[r, c] for c in cols], table.row_totals[r]) for r in rows]
    out += [([true[r, c] for r in rows], [table.cells[r, c] for r in rows], table.col_totals[c]) for c in cols]
    row_sums = [sum(true[r, c] for c in cols) for r in rows]
    col_sums = [sum(true[r, c] for r in rows) for c in cols]
    out.append((row_sums, [table.row_totals[r] for r in rows], table.grand_total))
    out.append((col_sums, [table.col_totals[c] for c in cols], table.grand_total))
    return [(values, cells, sum(values), total) for values, cells, total in out]


@PROPERTIES
@given(tables(), st.randoms(use_true_random=False))
def test_2d_shows_true_values_never_a_small_one_and_the_same_table_whatever_the_order(case, rnd):
    counts, rows, cols, k, by = case
    table = suppress_2d(counts, rows=rows, cols=cols, k=k, by=by)
    for values, cells, total, total_cell in published_lines(counts, rows, cols, table):
        for value, cell in [*zip(values, cells, strict=True), (total, total_cell)]:
            assert cell.k == k
            assert cell.suppressed or (cell.value == value and not 0 < value < k)
        if table.withheld:
            assert all(cell.suppressed for cell in [*cells, total_cell])
            continue
        # What the hidden cells of a line with a shown total add up to is never itself a small group's size.
        if not total_cell.suppressed:
            assert not 0 < sum(v for v, cell in zip(values, cells, strict=True) if cell.suppressed) < k
    shuffled = list(counts.items())
    rnd.shuffle(shuffled)
    rows2, cols2 = rnd.sample(rows, len(rows)), rnd.sample(cols, len(cols))
    again = suppress_2d(dict(shuffled), rows=rows2, cols=cols2, k=k, by=by)
    assert again.cells == table.cells and again.grand_total == table.grand_total and again.withheld == table.withheld
    assert again.row_totals == table.row_totals and again.col_totals == table.col_totals


@PROPERTIES
@given(st.lists(COUNTS, min_size=1, max_size=10), st.integers(3, 10), st.randoms(use_true_random=False))
def test_1d_shows_true_values_never_a_small_one_and_the_same_whatever_the_order(values, k, rnd):
    counts = {f"o{i}": value for i, value in enumerate(values)}
    cells, total = suppress_1d(counts, k=k)
    assert list(cells) == list(counts)
    for key, cell in [*cells.items(), ("total", total)]:
        value = counts.get(key, sum(values))
        assert cell.suppressed or (cell.value == value and not 0 < value < k)
    if not total.suppressed:
        assert not 0 < sum(counts[key] for key, cell in cells.items() if cell.suppressed) < k
        assert sum(cell.suppressed for cell in cells.values()) != 1
    keys = list(counts)
    rnd.shuffle(keys)
    assert suppress_1d({key: counts[key] for key in keys}, k=k) == ({key: cells[key] for key in keys}, total)


@PROPERTIES
@given(st.lists(COUNTS, min_size=1, max_size=6), st.integers(0, 5), st.integers(3, 10))
def test_1d_with_respondents_as_total(values, silent, k):
    counts = {f"o{i}": value for i, value in enumerate(values)}
    respondents = max(values) + silent  # multiple choice: at least as many as chose any one option
    cells, total = suppress_1d(counts, k=k, total=respondents, no_answer="o0")
    for key, cell in cells.items():
        assert cell.suppressed or (cell.value == counts[key] and not 0 < counts[key] < k)
    assert total.suppressed == (0 < respondents < k)
    if not total.suppressed and any(0 < v < k for v in values):
        assert sum(cell.suppressed for cell in cells.values()) >= min(2, len(values))
