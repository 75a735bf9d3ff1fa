"""Hiding small counts in published survey results.

Inkludera publishes results of anonymous surveys of Roma residents. A small
count can point out a person ("the only 70-year-old who answered no"), so every
table is protected before anyone sees it.

**Who we protect against.** A reader who knows k, knows this method exactly
(this text, the code), can run it on any table of their own, and has every
number published from the same data: page, XLSX, CSV, API, council report.
For every table they can write down all tables that would have been published
exactly as this one was (same numbers shown, same cells hidden). What must
hold for every hidden count from 1 to k-1: (1) some such table gives it
another value, so its value cannot be worked out, and (2) some such table
gives it 0 or at least k, so the reader cannot even tell which cell is the
small one. `lib/tests/test_suppression_attacker.py` is this reader: for
thousands of random tables it searches all those tables.

**The rule for one line** (the answers to one question with their total; a
row of a cross table with the row's total), when the total is at least k:

1. If no count is from 1 to k-1, everything is shown.
2. Otherwise the small counts are hidden, and so is the smallest count of at
   least k, every count equal to it too. Zeros stay shown.
3. If the line has no count of at least k, every count is hidden, zeros
   included. So is a line of two counts whose total is exactly k.

Every hidden count is shown the same way: "hidden" ("dolt"). Nothing is ever
rounded or changed: a value is either shown exactly or hidden.

Why a reader cannot undo rule 2: exchange the values of the hidden cells of
the line among themselves, so that a cell that held a small count gets the
value of the hidden larger one. Every shown number and every total stays the
same, and so does what the rule hides, because the rule only looks at how
many counts are small and at the smallest count of at least k, never at which
cell holds which. So for a reader each hidden cell of the line is as likely to
hold the larger value as the small one. The smallest larger count is chosen
(all of them when several are equal) because a reader knows the hidden one is
below every shown count but zero, and that must be true of every cell it could
be in.
Rule 3 works the same way with other splits of the total: with three or more
counts the total can always be split so that any chosen cell gets 0 or at
least k; with two counts only when the total is not exactly k.

**Cross tables** (e.g. theme × age group, with row totals, column totals and
the grand total): each row is protected as a line, with its row total. The
column totals are then hidden wherever a value in the column is hidden: a
shown column total would tie the rows together, so that exchanging values
within one row would show. Row totals are themselves a line (adding up to the
grand total): a row total from 1 to k-1 is hidden with rule 2 or 3, and a row
whose total is hidden is hidden whole, zeros included, so that two such rows
can change places. The caller chooses which way the table is read
(``by="rows"`` or ``by="cols"``): the totals in that direction are the ones
kept (themes' totals in theme × age; survey respondents and meeting
participants in age group × source).

**Small totals.** A table whose grand total (or a question whose number of
answers) is from 1 to k-1 is withheld whole: every number, totals and zeros
included, is hidden. That a table is about fewer than k people is not hidden:
its total is hidden, and a reader knows it is small.

**Several options may be chosen.** The counts need not add up to the number
of respondents; the rule treats the line the same way. But every option is at
most the number who answered (the respondents minus those who chose none), so
an option chosen by more than the respondents minus k tells that a hidden "no
answer" is small: then every option is hidden too (``no_answer``). A line of
one count that is not its total is always hidden.

**What the rule does not cover**: someone who sends several answers of their
own while a survey is open and subtracts them; what a reader knows about the
people counted besides the published numbers; and tables of the same people
protected apart: "all respondents" and "all but the 70-year-olds", or a table
published before and after more answers came in. Publish each count once,
from one protected table, where that can be done.

**Bounds published elsewhere** (``caps``): an inventory's respondents by age
group bound each cell of its theme × age table. Pass them, and the lines are
protected knowing them (``hidden_in_capped_line``): a key whose bound is
hidden is hidden in every line; a small count whose bound is below the
line's larger hidden count is hidden with the line's zeros instead (a small
count and a zero can change places); a line where neither would do is hidden
whole, decided from the bounds and the line's total alone, so that it says
nothing about the counts. ``inventories/tests/test_linked_tables.py`` is the
reader of both tables.

The result depends only on the table and k, never on the order of the keys, so
the same data always gives the same published table.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from django.utils.translation import pgettext

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)

MIN_K = 3
DEFAULT_K = 5


@dataclass(frozen=True)
class Cell:
    """One published number: the value, or ``None`` when hidden.

    Every hidden number reads the same ("hidden"): whether it is small or was
    hidden so that a small one cannot be found is exactly what must not show."""

    value: int | None
    suppressed: bool
    k: int = DEFAULT_K

    def __post_init__(self) -> None:
        if self.suppressed != (self.value is None):
            raise ValueError("a cell has a value exactly when it is not suppressed")

    def __str__(self) -> str:
        if not self.suppressed:
            return str(self.value)
        return pgettext("suppressed statistic", "hidden")


@dataclass
class Table2D(Generic[R, C]):
    cells: dict[tuple[R, C], Cell]
    row_totals: dict[R, Cell]
    col_totals: dict[C, Cell]
    grand_total: Cell
    withheld: bool = False  # the grand total is from 1 to k-1: every number, zeros and totals too, is hidden


def check_k(k: int) -> int:
    """``k`` itself, or ValueError when it is below ``MIN_K``."""
    if isinstance(k, bool) or not isinstance(k, int):
        raise TypeError(f"k must be an integer, not {k!r}")
    if k < MIN_K:
        raise ValueError(f"k must be at least {MIN_K}, not {k}")
    return k


def _check_count(value: int, what: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"the count for {what!r} must be an integer, not {value!r}")
    if value < 0:
        raise ValueError(f"the count for {what!r} is negative: {value}")
    return value


def hidden_in_line(values: Sequence[int], total: int, k: int) -> list[bool]:
    """Which values of one line the rule hides (rules 1–3 of the module's
    docstring); ``total`` is the line's total, at least k, and stays shown.
    The answer depends on the values, never on their order."""
    if len(values) == 2 and total == k and sum(values) == total:
        return [True, True]  # every split of k into two non-zero parts has a small part
    if len(values) == 1 and values[0] != total:
        return [True]  # one count that is not the total (one option of a multiple-choice question): hidden
    if not any(0 < v < k for v in values):
        return [False] * len(values)
    large = [v for v in values if v >= k]
    if not large:
        return [True] * len(values)
    least = min(large)
    return [0 < v < k or v == least for v in values]


def _could_be_stuck(caps: Sequence[int], low: int, high: int, k: int) -> bool:
    """Whether some line of counts within ``caps`` (each from 1 to its cap: no zero), adding up to a total
    from ``low`` to ``high``, has a small count whose cap is below its smallest count of at least k."""
    top = (1 << (high + 1)) - 1  # the sums that matter, as bits

    def spread(reach: int, lo: int, hi: int) -> int:
        out = 0
        for v in range(lo, hi + 1):
            out |= reach << v
        return out & top

    for a, cap_a in enumerate(caps):
        if cap_a < 1:
            continue
        without, with_large = spread(1, 1, min(k - 1, cap_a)), 0  # sums so far: no count of k yet, some
        for j, cap in enumerate(caps):
            if j == a:
                continue
            small, large = (1, min(k - 1, cap)), (max(k, cap_a + 1), cap)
            without, with_large = (
                spread(without, *small),
                spread(with_large, *small) | spread(without | with_large, *large),
            )
        if with_large >> low:
            return True
    return False


def hidden_in_capped_line(
    values: Sequence[int], caps: Sequence[int], total: int, k: int, *, shared: bool
) -> list[bool]:
    """``hidden_in_line`` for a line whose counts have bounds the reader knows: each value is at most its
    cap, every cap at least k. ``shared``: part of ``total`` is in hidden places outside the line, so the
    line's own sum is from 0 to ``total`` as far as the reader knows.

    Rule 2 lets a small count change places with the larger hidden one, which a cap can forbid. Then the
    zeros of the line are hidden instead of the larger count: a small count can change places with a zero.
    A line where neither is possible is hidden whole, but whether that can happen is decided from the caps
    and the total alone, never from the values, so that hiding a line whole says nothing about its counts."""
    if _could_be_stuck(caps, 0 if shared else total, total, k):
        return [True] * len(values)
    hide = hidden_in_line(values, total, k)
    large = [v for v in values if v >= k]
    if not large or all(hide) or not any(hide):
        return hide
    least = min(large)
    if least <= min(cap for v, cap in zip(values, caps, strict=True) if v < k):
        return hide
    return [v < k for v in values]  # the small counts and the zeros


def suppress_1d(
    counts: Mapping[K, int], *, k: int, total: int | None = None, no_answer: K | None = None
) -> tuple[dict[K, Cell], Cell]:
    """Protect the answers to one question: a cell per option, and the total.

    ``total`` defaults to the sum of the counts; for a question where several
    options may be chosen, pass the number of respondents, and as
    ``no_answer`` the key of the count of those who chose none (if the table
    has one). A total from 1 to k-1 hides everything, the total too."""
    check_k(k)
    for key, value in counts.items():
        _check_count(value, key)
    total = sum(counts.values()) if total is None else _check_count(total, "total")
    if 0 < total < k:
        return {key: Cell(None, True, k) for key in counts}, Cell(None, True, k)
    keys = list(counts)
    hidden = hidden_in_line([counts[key] for key in keys], total, k)
    # Several options may be chosen: each is at most the number who answered (the total minus those who
    # chose none), so an option chosen by more than total - k would tell that a hidden "no answer" is
    # small. Then every option is hidden.
    if (
        no_answer in counts
        and sum(counts.values()) != total
        and hidden[keys.index(no_answer)]
        and any(counts[key] > total - k for key in keys if key != no_answer)
    ):
        hidden = [h or counts[key] > 0 for h, key in zip(hidden, keys, strict=True)]
    cells = {
        key: Cell(None, True, k) if hide else Cell(counts[key], False, k)
        for key, hide in zip(keys, hidden, strict=True)
    }
    return cells, Cell(total, False, k)


def suppress_2d(
    counts: Mapping[tuple[R, C], int],
    *,
    rows: Sequence[R],
    cols: Sequence[C],
    k: int,
    row_totals: Mapping[R, int] | None = None,
    col_totals: Mapping[C, int] | None = None,
    grand_total: int | None = None,
    by: Literal["rows", "cols"] = "rows",
    caps: Mapping | None = None,
) -> Table2D[R, C]:
    """Protect a cross table (e.g. theme × age group) with its totals.

    A (row, col) missing from ``counts`` counts as 0. Totals default to the
    sums of their row or column; the grand total to the sum of the column
    totals (or of the row totals, when only those are given). ``by`` says
    which lines are protected one by one and keep their totals: the rows
    (default) or the columns; the totals the other way are hidden wherever a
    value in them is.

    ``caps`` (by the keys across the lines: the columns when ``by="rows"``)
    are bounds published elsewhere: every value under that key is at most its
    cap (e.g. an age group's respondents bound each theme's count in it). The
    lines are then protected knowing them (see ``hidden_in_line``), and a key
    whose cap is None (hidden where it is published) is hidden whole, in every
    line: its values are bounded by a number the reader does not know, which
    could be small."""
    check_k(k)
    if by not in ("rows", "cols"):
        raise ValueError(f"by must be 'rows' or 'cols', not {by!r}")
    if len(set(rows)) != len(rows) or len(set(cols)) != len(cols):
        raise ValueError("rows and cols must not repeat")
    unknown = set(counts) - {(r, c) for r in rows for c in cols}
    if unknown:
        raise ValueError(f"counts for cells outside the table: {sorted(map(repr, unknown))}")
    values = {(r, c): _check_count(counts.get((r, c), 0), (r, c)) for r in rows for c in cols}
    given_rows, given_cols = row_totals is not None, col_totals is not None
    row_sums = {r: _check_count(row_totals[r], r) if given_rows else sum(values[r, c] for c in cols) for r in rows}
    col_sums = {c: _check_count(col_totals[c], c) if given_cols else sum(values[r, c] for r in rows) for c in cols}
    if grand_total is None:
        grand_total = sum(col_sums.values()) if given_cols or not given_rows else sum(row_sums.values())
    _check_count(grand_total, "grand total")

    if 0 < grand_total < k:
        hidden = Cell(None, True, k)
        return Table2D(
            cells=dict.fromkeys(values, hidden),
            row_totals=dict.fromkeys(rows, hidden),
            col_totals=dict.fromkeys(cols, hidden),
            grand_total=hidden,
            withheld=True,
        )
    if by == "rows":
        lines, across, line_sums, across_sums = rows, cols, row_sums, col_sums
        value = values.__getitem__
    else:
        lines, across, line_sums, across_sums = cols, rows, col_sums, row_sums
        value = lambda key: values[key[1], key[0]]  # noqa: E731

    # The line totals are a line of their own, adding up to the grand total.
    # A line whose total is hidden is hidden whole, zeros included.
    whole = dict(zip(lines, hidden_in_line([line_sums[a] for a in lines], grand_total, k), strict=True))
    hidden_at: dict[tuple, bool] = {}
    caps = dict(caps) if caps is not None else None
    if caps is not None and set(caps) - set(across):
        raise ValueError(f"caps for keys outside the table: {sorted(map(repr, set(caps) - set(across)))}")
    # A key whose cap is 0 holds only zeros, which the reader knows: it is shown and left out of the lines (a
    # line of two counts and a known zero is a line of two counts). A key without a cap is bounded by the total.
    capped = [b for b in across if caps is None or b not in caps or caps[b] not in (None, 0)]
    nonzero = [b for b in across if caps is None or caps.get(b, 0) != 0]
    line_caps = None if caps is None else [_check_count(caps[b], b) if b in caps else grand_total for b in capped]
    if line_caps is not None and any(0 < cap < k for cap in line_caps):
        raise ValueError("a cap from 1 to k-1 cannot be published: pass None for a hidden one")
    for a in lines:
        for b in across:
            if caps is not None and caps.get(b, 0) is not None and value((a, b)) > caps.get(b, grand_total):
                raise ValueError(f"the count for {(a, b)!r} is above its cap {caps[b]}")
        hidden_at |= {(a, b): caps is None or caps.get(b, 0) != 0 for b in across}
        if whole[a]:
            hidden_at |= {(a, b): True for b in across}
            continue
        line = [value((a, b)) for b in capped]
        if caps is None:
            hide = hidden_in_line(line, line_sums[a], k)
        else:
            hide = hidden_in_capped_line(line, line_caps, line_sums[a], k, shared=len(capped) < len(nonzero))
        hidden_at |= {(a, b): h for b, h in zip(capped, hide, strict=True)}
    # A total across the lines is hidden wherever a value in it is (unless it is the grand total itself),
    # and when it is small (possible only with given totals that are not the sums: respondents, say).
    across_hidden = {b: any(hidden_at[a, b] for a in lines) or 0 < across_sums[b] < k for b in across}
    if len(across) == 1 and across_sums[across[0]] == grand_total:
        across_hidden[across[0]] = False

    def cell(number: int, hide: bool) -> Cell:
        return Cell(None, True, k) if hide else Cell(number, False, k)

    line_cells = {a: cell(line_sums[a], whole[a]) for a in lines}
    across_cells = {b: cell(across_sums[b], across_hidden[b]) for b in across}
    if by == "rows":
        cells = {(r, c): cell(values[r, c], hidden_at[r, c]) for r in rows for c in cols}
        row_cells, col_cells = line_cells, across_cells
    else:
        cells = {(r, c): cell(values[r, c], hidden_at[c, r]) for r in rows for c in cols}
        row_cells, col_cells = across_cells, line_cells
    return Table2D(
        cells=cells,
        row_totals=row_cells,
        col_totals=col_cells,
        grand_total=Cell(grand_total, False, k),
        withheld=False,
    )
