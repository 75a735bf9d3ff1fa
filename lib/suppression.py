"""Hiding small counts in published survey results.

Inkludera publishes results of anonymous surveys of Roma residents. A small
count can point out a person ("the only 70-year-old who answered no"), so every
table is protected before anyone sees it. The rule, in plain words:

1. **Small counts are hidden.** Every count from 1 up to k-1 is shown as
   "fewer than k" ("färre än k"). k is a municipality setting: 5 unless the
   municipality chooses otherwise, and never below 3. Totals too: a total
   from 1 to k-1 is shown as "fewer than k".
2. **Zero is shown as 0**, since that nobody in a group gave an answer points
   out no one. But a reader who sees the zeros knows that every hidden value
   is at least 1, and that can give a value away: two cells marked "fewer
   than 3" in a row whose total is "fewer than 3" must both be 1. So in a row
   or column whose total is fewer than k, everything is hidden, zeros
   included (a zero is indeed "fewer than k").
3. **A hidden value must not be recoverable by subtraction.** Each row, each
   column, the row of column totals and the column of row totals add up to a
   total (the grand total for the last two). If exactly one value in such a
   line were hidden, it could be worked out from the others. So every line has
   either no hidden value or at least two. When a line has only one, a second
   one is hidden: the smallest count in the line that is not zero, or, if
   none is left, the line's total. Such an extra value is shown as "hidden"
   ("dolt"), not as "fewer than k", because it is not small. This is repeated
   until no line has exactly one hidden value.
4. **Nor by combining lines and what the labels say.** Two hidden values in a
   line are not always enough. A reader who sees a total of 18 next to a shown
   10 and two cells marked "fewer than 5" knows that both are 4. Several rows
   and columns can also be combined. So the whole table is then checked as a
   set of equations with everything a reader knows: the shown numbers, that
   every line adds up, that "fewer than k" means 1 to k-1 (0 to k-1 where rule
   2 hid zeros), and that "hidden" means at least k. Every hidden value that
   is not zero must still have at least two possible values. If one does not,
   the smallest non-zero shown value in its row or column (failing that, in
   the table) is hidden too, and rules 3 and 4 are applied again.
5. **If that still fails, the whole table is withheld**: every value, zeros
   and totals included, is shown as "hidden". This happens only with tiny
   tables and a small k (in tests: k of 3 or 4, a handful of respondents).

Nothing is ever rounded or changed: a value is either shown exactly or hidden.
The result depends only on the table and k, so the same data always gives the
same published table. Where several values are equally small, the first in
the table's order (rows top to bottom, columns left to right, totals last) is
hidden.

What the rule does not cover: what a reader knows about the people counted
besides the table, and other tables from the same survey. Each table is
protected on its own, so do not publish two tables whose difference is a
small group (e.g. "all respondents" and "all but the 70-year-olds").

For a question where a respondent may pick several options, the number of
respondents is given as the total although the counts do not add up to it.
The rule then treats the total as if it were the sum, which hides at least as
much as needed.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.utils.translation import gettext, pgettext

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)

MIN_K = 3
DEFAULT_K = 5

_SHOWN, _PRIMARY, _COMPLEMENTARY = 0, 1, 2


@dataclass(frozen=True)
class Cell:
    """One published number: the value, or ``None`` when hidden.

    ``primary`` is true when the value itself is small (1 to k-1, shown as
    "fewer than k"); a hidden value that is not primary was hidden only so that
    a small one cannot be worked out (shown as "hidden").
    """

    value: int | None
    suppressed: bool
    k: int = DEFAULT_K
    primary: bool = False

    def __post_init__(self) -> None:
        if self.suppressed != (self.value is None):
            raise ValueError("a cell has a value exactly when it is not suppressed")
        if self.primary and not self.suppressed:
            raise ValueError("only a suppressed cell can be primary")

    def __str__(self) -> str:
        if not self.suppressed:
            return str(self.value)
        if self.primary:
            return gettext("fewer than %(k)d") % {"k": self.k}
        return pgettext("suppressed statistic", "hidden")


@dataclass
class Table2D(Generic[R, C]):
    cells: dict[tuple[R, C], Cell]
    row_totals: dict[R, Cell]
    col_totals: dict[C, Cell]
    grand_total: Cell
    withheld: bool = False  # rule 5: every value is hidden; say so rather than show an empty table


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


@dataclass
class _Entry:
    value: int
    tail: Hashable  # the entry is an edge of a circulation: value flows tail -> head
    head: Hashable
    state: int = _SHOWN
    may_be_zero: bool = False  # a reader knows a hidden value is not 0, unless its line's total is small

    @property
    def hidden(self) -> bool:
        return self.state != _SHOWN


@dataclass
class _Line:
    members: list[int]  # entries that add up to ...
    total: int  # ... this entry


class _Network:
    """A table as a circulation: every line (row, column, row of totals, column
    of totals) is a node where what flows in equals what flows out, and every
    number is an edge. A hidden value can take another value, keeping all shown
    numbers and every line's sum, exactly when its edge lies on a cycle that
    can carry one more (or one less) unit within every hidden value's bounds.
    Line sums make this a network matrix, so its bounds are whole numbers and
    a change of one is enough to test."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.entries: list[_Entry] = []
        self.lines: list[_Line] = []
        self.line_of: dict[Hashable, int] = {}
        self.withheld = False

    def add(self, value: int, tail: Hashable, head: Hashable) -> int:
        self.entries.append(_Entry(value, tail, head))
        return len(self.entries) - 1

    def add_line(self, members: list[int], total: int, *nodes: Hashable) -> None:
        for node in nodes:
            self.line_of[node] = len(self.lines)
        self.lines.append(_Line(members, total))

    def protect(self) -> None:
        for entry in self.entries:
            if 0 < entry.value < self.k:
                entry.state = _PRIMARY
        for line in self.lines:  # a line about fewer than k people is hidden whole, zeros too
            if 0 < self.entries[line.total].value < self.k:
                for i in line.members:
                    self.entries[i].may_be_zero = True
                    if self.entries[i].value == 0:
                        self.entries[i].state = _PRIMARY
        while True:
            self._one_hidden_per_line()
            # A hidden zero that can be worked out is no harm: only non-zero values must stay open.
            stuck = self._first_pinned()
            if stuck is None:
                return
            entry = self.entries[stuck]
            near = [self.lines[self.line_of[entry.tail]], self.lines[self.line_of[entry.head]]]
            pick = self._smallest(i for line in near for i in line.members)
            pick = pick if pick is not None else self._smallest(line.total for line in near)
            pick = pick if pick is not None else self._smallest(range(len(self.entries)))
            if pick is None:  # everything is hidden and the labels still give a value away
                self.withheld = True
                for entry in self.entries:
                    entry.state = _COMPLEMENTARY
                return
            self.entries[pick].state = _COMPLEMENTARY

    def _smallest(self, indices) -> int | None:
        """The smallest shown non-zero entry; the first in table order on a tie."""
        shown = [(self.entries[i].value, i) for i in indices if not self.entries[i].hidden and self.entries[i].value]
        return min(shown)[1] if shown else None

    def _one_hidden_per_line(self) -> None:
        changed = True
        while changed:
            changed = False
            for line in self.lines:
                hidden = [i for i in [*line.members, line.total] if self.entries[i].hidden]
                if len(hidden) != 1 or self.entries[hidden[0]].value == 0:  # a zero worked out points out no one
                    continue
                pick = self._smallest(line.members)
                pick = pick if pick is not None else self._smallest([line.total])
                if pick is not None:  # None only for a given total that is not the sum
                    self.entries[pick].state = _COMPLEMENTARY
                    changed = True

    def _bounds(self, entry: _Entry) -> tuple[int, float]:
        """What a reader knows about a hidden value from its label."""
        if entry.state == _PRIMARY:
            return (0 if entry.may_be_zero else 1, self.k - 1)
        return (self.k, float("inf"))

    def _first_pinned(self) -> int | None:
        """The first hidden non-zero value that a reader can work out, if any.

        A hidden value can be one more (one less) exactly when one unit can flow
        from its head back to its tail (tail to head) through the other hidden
        values, each staying within its bounds. (A hidden zero may be worked
        out: that points out no one.)"""
        arcs: dict[Hashable, list[tuple[Hashable, int]]] = {}
        for i, entry in enumerate(self.entries):
            if entry.hidden:
                low, high = self._bounds(entry)
                if entry.value < high:
                    arcs.setdefault(entry.tail, []).append((entry.head, i))
                if entry.value > low:
                    arcs.setdefault(entry.head, []).append((entry.tail, i))
        for i, entry in enumerate(self.entries):
            if not entry.hidden or not entry.value:
                continue
            low, high = self._bounds(entry)
            up = entry.value < high and _reaches(arcs, entry.head, entry.tail, i)
            if not up and not (entry.value > low and _reaches(arcs, entry.tail, entry.head, i)):
                return i
        return None

    def cell(self, index: int) -> Cell:
        entry = self.entries[index]
        if not entry.hidden:
            return Cell(entry.value, False, self.k)
        return Cell(None, True, self.k, primary=entry.state == _PRIMARY)


def _reaches(arcs: dict[Hashable, list[tuple[Hashable, int]]], start: Hashable, goal: Hashable, skip: int) -> bool:
    """Whether ``goal`` can be reached from ``start`` along arcs not made by entry ``skip``."""
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt, i in arcs.get(node, ()):
            if i != skip and nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def suppress_1d(counts: Mapping[K, int], *, k: int, total: int | None = None) -> tuple[dict[K, Cell], Cell]:
    """Protect the answers to one question: a cell per option, and the total.

    ``total`` defaults to the sum of the counts; for a question where several
    options may be chosen, pass the number of respondents. (A single line can
    always be protected, so rule 5 never applies here.)"""
    check_k(k)
    for key, value in counts.items():
        _check_count(value, key)
    total = sum(counts.values()) if total is None else _check_count(total, "total")
    net = _Network(k)
    # Two nodes: the counts flow from "in" to "out", the total flows back.
    members = {key: net.add(value, "in", "out") for key, value in counts.items()}
    total_index = net.add(total, "out", "in")
    net.add_line(list(members.values()), total_index, "in", "out")
    net.protect()
    return {key: net.cell(i) for key, i in members.items()}, net.cell(total_index)


def suppress_2d(
    counts: Mapping[tuple[R, C], int],
    *,
    rows: Sequence[R],
    cols: Sequence[C],
    k: int,
    row_totals: Mapping[R, int] | None = None,
    col_totals: Mapping[C, int] | None = None,
    grand_total: int | None = None,
) -> Table2D[R, C]:
    """Protect a cross table (e.g. theme × age group) with its totals.

    A (row, col) missing from ``counts`` counts as 0. Totals default to the
    sums of their row or column; the grand total to the sum of the column
    totals (or of the row totals, when only those are given)."""
    check_k(k)
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

    # Nodes: ("row", r), ("col", c), and the two lines of totals. A count
    # flows from its row to its column, a row total from the totals' column to
    # its row, a column total from its column to the totals' row, and the grand
    # total from the totals' row to the totals' column.
    net = _Network(k)
    totals_row, totals_col = ("totals", "row"), ("totals", "col")
    index = {(r, c): net.add(values[r, c], ("row", r), ("col", c)) for r in rows for c in cols}
    row_index = {r: net.add(row_sums[r], totals_col, ("row", r)) for r in rows}
    col_index = {c: net.add(col_sums[c], ("col", c), totals_row) for c in cols}
    grand_index = net.add(grand_total, totals_row, totals_col)
    for r in rows:
        net.add_line([index[r, c] for c in cols], row_index[r], ("row", r))
    for c in cols:
        net.add_line([index[r, c] for r in rows], col_index[c], ("col", c))
    net.add_line(list(row_index.values()), grand_index, totals_col)
    net.add_line(list(col_index.values()), grand_index, totals_row)
    net.protect()
    return Table2D(
        cells={key: net.cell(i) for key, i in index.items()},
        row_totals={r: net.cell(i) for r, i in row_index.items()},
        col_totals={c: net.cell(i) for c, i in col_index.items()},
        grand_total=net.cell(grand_index),
        withheld=net.withheld,
    )
