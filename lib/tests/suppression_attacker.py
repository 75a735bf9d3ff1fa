"""A reader who knows the suppression rule and tries to undo it (issue 12).

The reader knows k, the method (it may run ``suppress_1d``/``suppress_2d`` on
any table it likes) and every published number. For a published table P it
considers every table t' of the same shape (non-negative whole numbers; lines
adding up to their totals where the table is additive) that would be published
exactly as P: same numbers shown, same cells hidden, same labels, same
``withheld``. Such a t' is a *witness* for a hidden cell when it gives the
cell a value outside 1..k-1: then the reader can neither tell the cell's value
nor that it is small.

``find_witness`` searches for one. It first tries cheap candidates (values of
two hidden cells exchanged, two hidden rows or columns exchanged), then walks
every table that agrees with P's shown numbers and totals, closest to the true
table first (within a distance of 2, 4, 8, 16; then tables where the other
hidden cells take small values or the target's; then without limit). When it
finds none, the last walk was complete: no witness exists.
(When the grand total is hidden the reader only knows it is from 1 to k-1:
the method withholds exactly those tables, and the walk covers them all.)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lib.suppression import suppress_1d, suppress_2d

Matrix = tuple[tuple[int, ...], ...]


class Undecided(Exception):
    """The search ran out of its step budget before it could decide."""


@dataclass(frozen=True)
class Shape:
    rows: int
    cols: int
    one_d: bool = False  # a single line: cells and their total (row 0); no column totals, no grand total
    additive: bool = True  # False: multiple choice, each count is at most the total but they need not add up

    def entries(self) -> list[tuple]:
        """Every published number except the grand total (in 1-D: except the total): the cells and the
        totals that are not the grand total itself (a table of one row has one row total, equal to it)."""
        out: list[tuple] = [("cell", r, c) for r in range(self.rows) for c in range(self.cols)]
        if self.one_d:
            return out if self.cols > 1 else []  # a single count is the total itself
        if self.rows > 1:
            out += [("row", r) for r in range(self.rows)]
        if self.cols > 1:
            out += [("col", c) for c in range(self.cols)]
        return out


def value_of(shape: Shape, matrix: Matrix, entry: tuple) -> int:
    if entry[0] == "cell":
        return matrix[entry[1]][entry[2]]
    if entry[0] == "row":
        return sum(matrix[entry[1]])
    if entry[0] == "col":
        return sum(row[entry[1]] for row in matrix)
    return sum(map(sum, matrix))


def publisher_1d(k: int, total: int | None = None, *, no_answer_last: bool = False) -> Callable[[Matrix], dict]:
    """suppress_1d as a function of a one-row matrix; ``total`` is the given number of respondents
    (multiple choice), None for a single-choice table whose counts add up; with ``no_answer_last`` the
    last count is those who chose no option."""

    def publish(matrix: Matrix) -> dict:
        counts = {f"o{i}": v for i, v in enumerate(matrix[0])}
        no_answer = f"o{len(matrix[0]) - 1}" if no_answer_last else None
        cells, total_cell = suppress_1d(counts, k=k, total=total, no_answer=no_answer)
        out = {("cell", 0, i): cells[f"o{i}"] for i in range(len(matrix[0]))}
        out["total"] = total_cell
        return out

    return publish


def publisher_2d(k: int, by: str = "rows") -> Callable[[Matrix], dict]:
    def publish(matrix: Matrix) -> dict:
        rows, cols = range(len(matrix)), range(len(matrix[0]))
        table = suppress_2d({(r, c): matrix[r][c] for r in rows for c in cols}, rows=rows, cols=cols, k=k, by=by)
        out: dict = {("cell", r, c): table.cells[r, c] for r in rows for c in cols}
        out |= {("row", r): table.row_totals[r] for r in rows}
        out |= {("col", c): table.col_totals[c] for c in cols}
        out["grand"] = table.grand_total
        out["withheld"] = table.withheld
        return out

    return publish


def _candidates_first(shape: Shape, matrix: Matrix, hidden: set) -> list[Matrix]:
    """Cheap guesses: two hidden cells of a row or column exchanged; two rows (columns) exchanged
    where both are hidden throughout."""
    out = []
    cells = sorted(hidden)
    for i, (r1, c1) in enumerate(cells):
        for r2, c2 in cells[i + 1 :]:
            if (r1 == r2 or c1 == c2) and matrix[r1][c1] != matrix[r2][c2]:
                m = [list(row) for row in matrix]
                m[r1][c1], m[r2][c2] = m[r2][c2], m[r1][c1]
                out.append(tuple(map(tuple, m)))
    whole_rows = [r for r in range(shape.rows) if all((r, c) in hidden for c in range(shape.cols))]
    for i, r1 in enumerate(whole_rows):
        for r2 in whole_rows[i + 1 :]:
            m = list(matrix)
            m[r1], m[r2] = m[r2], m[r1]
            out.append(tuple(m))
    whole_cols = [c for c in range(shape.cols) if all((r, c) in hidden for r in range(shape.rows))]
    for i, c1 in enumerate(whole_cols):
        for c2 in whole_cols[i + 1 :]:
            m = [list(row) for row in matrix]
            for row in m:
                row[c1], row[c2] = row[c2], row[c1]
            out.append(tuple(map(tuple, m)))
    return out


def _palette(matrix: Matrix, hidden: set, target: tuple, k: int, good: Callable[[Matrix], bool]) -> Matrix | None:
    _kind, tr, tc = target
    others = sorted(rc for rc in hidden if rc != (tr, tc))
    top = sum(map(sum, matrix))
    xs = sorted({0, *range(k, k + 4), *(top // j for j in range(2, 6) if top // j >= k)})
    narrow = [(x, [sorted({1, k - 1, x, matrix[r][c]}) for r, c in others]) for x in xs]
    wide = [(x, [sorted({*range(1, k), x, matrix[r][c]}) for r, c in others]) for x in xs]
    for x, palettes in narrow + wide:
        for choice in itertools.product(*palettes):
            grid = [list(row) for row in matrix]
            grid[tr][tc] = x
            for (r, c), v in zip(others, choice, strict=True):
                grid[r][c] = v
            m = tuple(map(tuple, grid))
            if good(m):
                return m
    return None


def find_witness(
    shape: Shape,
    matrix: Matrix,
    published: dict,
    publish: Callable[[Matrix], dict],
    target: tuple | None,
    k: int,
    *,
    budget: int = 400_000,
    possible: Callable[[Matrix], bool] | None = None,
    col_caps: Sequence[int] | None = None,
) -> Matrix | None:
    """A table published exactly as ``published`` in which ``target`` is 0 or at least k, or None when
    there is none (the search was then exhaustive). Undecided when it needs more than ``budget`` steps.
    ``matrix`` (the true table) is used only to try near tables first. ``possible`` tells tables that
    could not have been counted (e.g. more options chosen than there were respondents who answered).
    With ``target`` None, any table published the same way (and possible) will do. ``col_caps`` bound the
    cells column by column (only to cut the walk short: ``possible`` must say it too)."""

    def good(m: Matrix) -> bool:
        return (
            (target is None or not 0 < value_of(shape, m, target) < k)
            and (possible is None or possible(m))
            and publish(m) == published
        )

    hidden = {(r, c) for r in range(shape.rows) for c in range(shape.cols) if published["cell", r, c].suppressed}
    for m in _candidates_first(shape, matrix, hidden):
        if good(m):
            return m

    # The exhaustive walk over the hidden cells, with what the published numbers say about them.
    total_entry = "total" if shape.one_d else "grand"
    grand_cell = published[total_entry]
    known_rows: dict[int, int] = {}
    known_cols: dict[int, int] = {}
    if shape.one_d:
        if shape.additive and not grand_cell.suppressed:
            known_rows[0] = grand_cell.value
    else:
        known_rows = {r: published["row", r].value for r in range(shape.rows) if not published["row", r].suppressed}
        known_cols = {c: published["col", c].value for c in range(shape.cols) if not published["col", c].suppressed}
    if grand_cell.suppressed:
        grand_range = range(1, k)  # the rule withholds exactly the tables whose total is from 1 to k-1
    elif shape.one_d and not shape.additive:
        grand_range = None  # multiple choice: the total bounds each count, it is not their sum
    else:
        grand_range = range(grand_cell.value, grand_cell.value + 1)
    cap = grand_cell.value if grand_cell.value is not None else k - 1  # no count exceeds the total
    shown_sum = sum(matrix[r][c] for r in range(shape.rows) for c in range(shape.cols) if (r, c) not in hidden)
    row_left = {
        r: v - sum(matrix[r][c] for c in range(shape.cols) if (r, c) not in hidden) for r, v in known_rows.items()
    }
    col_left = {
        c: v - sum(matrix[r][c] for r in range(shape.rows) if (r, c) not in hidden) for c, v in known_cols.items()
    }
    if any(v < 0 for v in [*row_left.values(), *col_left.values()]):
        return None
    order = sorted(hidden, key=lambda rc: (rc != target[1:] if target and target[0] == "cell" else True, rc))
    last_in_row = {}
    last_in_col = {}
    for i, (r, c) in enumerate(order):
        last_in_row[r], last_in_col[c] = i, i
    grid = [list(row) for row in matrix]
    steps = 0

    def walk(i: int, grand_left_min: int, grand_left_max: int, slack: float) -> Matrix | None:
        nonlocal steps
        steps += 1
        if steps > budget:
            raise Undecided(f"more than {budget} steps for {target}")
        if i == len(order):
            if grand_range is not None and not grand_left_min <= 0 <= grand_left_max:
                return None
            if any(row_left.values()) or any(col_left.values()):
                return None
            m = tuple(map(tuple, grid))
            return m if good(m) else None
        r, c = order[i]
        high = min(cap, grand_left_max) if grand_range is not None else cap
        if r in row_left:
            high = min(high, row_left[r])
        if c in col_left:
            high = min(high, col_left[c])
        if col_caps is not None:
            high = min(high, col_caps[c])
        forced = None
        if last_in_row[r] == i and r in row_left:
            forced = row_left[r]
        if last_in_col[c] == i and c in col_left:
            if forced is not None and forced != col_left[c]:
                return None
            forced = col_left[c]
        if forced is not None:
            values = [forced] if 0 <= forced <= high else []
        else:
            values = sorted(range(high + 1), key=lambda v: (abs(v - matrix[r][c]), v))
        if target == ("cell", r, c):
            values = [v for v in values if not 0 < v < k]
        for v in values:
            if abs(v - matrix[r][c]) > slack:
                continue
            grid[r][c] = v
            if r in row_left:
                row_left[r] -= v
            if c in col_left:
                col_left[c] -= v
            found = walk(i + 1, grand_left_min - v, grand_left_max - v, slack - abs(v - matrix[r][c]))
            if r in row_left:
                row_left[r] += v
            if c in col_left:
                col_left[c] += v
            if found is not None:
                return found
        grid[r][c] = matrix[r][c]
        return None

    # Tables close to the true one first (the distance is the sum of the changes); then tables where every
    # hidden cell but the target takes a small value, its own, or the target's; then all of them.
    for slack in (2, 4, None, 8, 16, float("inf")):
        if slack is None:
            found = (
                _palette(matrix, hidden, target, k, good)
                if len(hidden) <= 6 and target and target[0] == "cell"
                else None
            )
        elif grand_range is None:
            found = walk(0, 0, 0, slack)
        else:
            found = walk(0, grand_range.start - shown_sum, grand_range.stop - 1 - shown_sum, slack)
        if found is not None:
            return found
    return None


def exposed(shape: Shape, matrix: Matrix, publish: Callable[[Matrix], dict], k: int, **kwargs) -> list[tuple]:
    """Every hidden small count of ``matrix`` the reader can pin down or locate, with why."""
    published = publish(matrix)
    out = []
    for entry in shape.entries():
        value = value_of(shape, matrix, entry)
        key = entry if entry[0] == "cell" else (entry if not shape.one_d else "total")
        located = 0 < value < k and published[key].suppressed
        if located and find_witness(shape, matrix, published, publish, entry, k, **kwargs) is None:
            out.append((entry, f"every table published the same way has {entry} from 1 to {k - 1}"))
    return out


def printed_numbers(published: dict) -> Sequence[int]:
    return [cell.value for key, cell in published.items() if key != "withheld" and not cell.suppressed]
