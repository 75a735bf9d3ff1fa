"""A needs inventory's two tables of the same respondents against the rule-aware reader (issue 12).

The age table shows R(a), the survey respondents in age group a (unless it is
hidden), and the theme × age table's cells are respondents of age a coded to a
theme, so each is at most R(a). The reader of lib/tests/suppression_attacker.py
is given both tables: it looks for theme × age tables t' and respondent counts
R' that are published exactly as the two tables were (the age table with R',
the theme × age table with t') and fit together (t'(t, a) <= R'(a) everywhere).
For every hidden count from 1 to k-1, in either table, there must be such a
pair in which it is 0 or at least k. Respondents are drawn one by one (an age
group, a set of themes), and both tables are built by
``inventories.selectors.protected_tables``, as ``release_tables`` builds them.
"""

import itertools
import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from inventories.selectors import ANSWERS, MEETINGS, UNKNOWN_AGE, protected_tables
from lib.suppression import suppress_2d
from lib.tests.suppression_attacker import Shape, find_witness

READER = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SCALE = int(os.environ.get("SUPPRESSION_READER_SCALE", "1"))
# With caps the search is wider than for one table: an all-small inventory such as the example below needs some
# millions of steps (seconds) to be exhausted. Past the budget a case fails, never passes.
BUDGET = 20_000_000


def as_entries(table, rows, cols) -> dict:
    """A Table2D in the attacker's terms: ("cell", r, c), ("row", r), ("col", c), "grand", "withheld"."""
    out: dict = {("cell", i, j): table.cells[r, c] for i, r in enumerate(rows) for j, c in enumerate(cols)}
    out |= {("row", i): table.row_totals[r] for i, r in enumerate(rows)}
    out |= {("col", j): table.col_totals[c] for j, c in enumerate(cols)}
    return out | {"grand": table.grand_total, "withheld": table.withheld}


class Inventory:
    """The published pair for counts R (respondents by age), P (participants by age) and t (theme × age)."""

    def __init__(self, k, respondents, participants, matrix, tables=protected_tables):
        self.k, self.tables = k, tables
        self.ages = [f"a{i}" for i in range(len(respondents) - 1)] + [UNKNOWN_AGE]
        self.themes = list(range(len(matrix)))
        self.respondents, self.participants, self.matrix = tuple(respondents), tuple(participants), matrix
        self.age, self.theme_age = self.publish(self.respondents, self.participants, matrix)

    def publish(self, respondents, participants, matrix):
        age, theme_age = self.tables(
            k=self.k,
            age_keys=self.ages,
            theme_ids=self.themes,
            answers=dict(zip(self.ages, respondents, strict=True)),
            participants=dict(zip(self.ages, participants, strict=True)),
            theme_age={(t, a): matrix[t][j] for t in self.themes for j, a in enumerate(self.ages)},
        )
        return age, as_entries(theme_age, self.themes, self.ages)

    def respondent_counts(self):
        """Every R' the age table could have been published from, as (the R' listed, or None when every
        R'(a) is hidden, and the totals it could add up to). Only R' matters for the theme × age table."""
        age, k = self.age, self.k
        shown = [age.cells[a, ANSWERS].value for a in self.ages]
        hidden = [i for i, v in enumerate(shown) if v is None]
        total = age.col_totals[ANSWERS]
        if total.suppressed:
            # The respondents' total is hidden, so is every R(a); R' is any split of a total the line of totals
            # (respondents, participants) allows, or of one from 0 to k-1 when the whole table is withheld.
            assert len(hidden) == len(shown)
            if age.withheld:
                return None, range(k)
            grand = age.grand_total.value
            totals = []
            for n in range(grand + 1):
                participants = (*([0] * (len(shown) - 1)), grand - n)
                if self.publish_age(tuple([0] * (len(shown) - 1) + [n]), participants) == age:
                    totals.append(n)
            return None, totals
        out = []
        left = total.value - sum(v for v in shown if v is not None)
        for split in itertools.product(range(left + 1), repeat=len(hidden)):
            if sum(split) != left:
                continue
            candidate = list(shown)
            for i, v in zip(hidden, split, strict=True):
                candidate[i] = v
            if self.publish_age(tuple(candidate), self.participants) == age:
                out.append(tuple(candidate))
        return out, None

    def publish_age(self, respondents, participants):
        return self.publish(respondents, participants, tuple((0,) * len(self.ages) for _t in self.themes))[0]

    def exposed(self):
        """Every hidden count from 1 to k-1, in either table, that every fitting pair has from 1 to k-1."""
        k, shape = self.k, Shape(len(self.themes), len(self.ages))
        listed, totals = self.respondent_counts()

        def fits(cols_max, small_allowed_at=None):
            """Some R' bounds the columns' largest counts (with R'(a) 0 or at least k, when a is given)."""
            if listed is not None:
                return any(
                    all(m <= r for m, r in zip(cols_max, rs, strict=True))
                    and (small_allowed_at is None or not 0 < rs[small_allowed_at] < k)
                    for rs in listed
                )
            need = list(cols_max)
            if small_allowed_at is not None and 0 < need[small_allowed_at] < k:
                need[small_allowed_at] = k
            return any(t >= sum(need) for t in totals)  # every R'(a) is hidden: any split of the total

        def columns_max(m):
            return [max(row[j] for row in m) for j in range(len(self.ages))]

        def publish_theme(m):
            return self.publish(self.respondents, self.participants, m)[1]

        caps = (
            [max(rs[j] for rs in listed) for j in range(len(self.ages))]
            if listed is not None
            else [max(totals, default=0)] * len(self.ages)
        )
        out = []
        for i, t in enumerate(self.themes):
            for j, _a in enumerate(self.ages):
                if 0 < self.matrix[i][j] < k and self.theme_age["cell", i, j].suppressed:
                    witness = find_witness(
                        shape,
                        self.matrix,
                        self.theme_age,
                        publish_theme,
                        ("cell", i, j),
                        k,
                        possible=lambda m: fits(columns_max(m)),
                        col_caps=caps,
                        budget=BUDGET,
                    )
                    if witness is None:
                        out.append(("theme_age", t, self.ages[j]))
        for j, a in enumerate(self.ages):
            if 0 < self.respondents[j] < k and self.age.cells[a, ANSWERS].suppressed:
                witness = find_witness(
                    shape,
                    self.matrix,
                    self.theme_age,
                    publish_theme,
                    None,
                    k,
                    possible=lambda m, j=j: fits(columns_max(m), small_allowed_at=j),
                    col_caps=caps,
                    budget=BUDGET,
                )
                if witness is None:
                    out.append(("age", a, ANSWERS))
        return out


def apart(*, k, age_keys, theme_ids, answers, participants, theme_age):
    """The tables as they were protected before issue 12's linked protection: each on its own."""
    age_counts = {(a, ANSWERS): answers.get(a, 0) for a in age_keys} | {
        (a, MEETINGS): participants.get(a, 0) for a in age_keys
    }
    age = suppress_2d(age_counts, rows=age_keys, cols=[ANSWERS, MEETINGS], k=k, by="cols")
    return age, suppress_2d(theme_age, rows=theme_ids, cols=age_keys, k=k)


@st.composite
def inventories(draw):
    """Respondents one by one: an age group (two groups and "not stated", mostly few) and the themes their
    answers were coded to; dialogue participants by age group."""
    k = draw(st.sampled_from([3, 4, 5]))
    themes = draw(st.integers(2, 3))
    per_group = st.one_of(st.just(0), st.integers(1, 4), st.integers(0, 9))
    respondents = [draw(per_group), draw(per_group), draw(st.integers(0, 3))]
    matrix = [[0] * 3 for _t in range(themes)]
    for a, n in enumerate(respondents):
        for _person in range(n):
            for t in range(themes):
                if draw(st.booleans()):
                    matrix[t][a] += 1
    participants = [draw(st.one_of(st.just(0), st.integers(0, 6))) for _a in range(3)]
    return k, respondents, participants, tuple(map(tuple, matrix))


@settings(READER, max_examples=2000 * SCALE)
@given(inventories())
@example((5, [3, 1, 2], [3, 3, 2], ((2, 1, 2), (2, 1, 2), (1, 1, 2))))  # every count small: the widest search
def test_the_reader_of_both_tables_locates_no_small_count(case):
    k, respondents, participants, matrix = case
    inventory = Inventory(k, respondents, participants, matrix)
    assert inventory.exposed() == [], (case, inventory.age, inventory.theme_age)


def test_the_reader_of_both_tables_undoes_tables_protected_apart():
    """Respondents by age 4, 5 and 9 (the 4 hidden with the 5). Protected apart, theme 0's row (2, 5, 9) hides
    its 2 with the 5, but theme 1's row (0, 5, 9) shows a 5 in a1: a1 has at least 5 respondents, so a0 has 4,
    and the hidden 5 cannot be in a0. The reader locates the 2, and the 4 as well. Protected together, the
    age groups whose respondents are hidden are hidden in every theme, and nothing is located."""
    case = (5, [4, 5, 9], [0, 0, 0], ((2, 5, 9), (0, 5, 9)))
    before = Inventory(*case, tables=apart)
    assert before.theme_age["cell", 0, 0].suppressed and before.theme_age["cell", 1, 1].value == 5
    assert before.exposed() == [("theme_age", 0, "a0"), ("age", "a0", ANSWERS)]
    after = Inventory(*case)
    assert all(after.theme_age["cell", t, j].suppressed for t in range(2) for j in range(2))
    assert after.exposed() == []


def test_a_small_count_that_cannot_change_places_with_the_larger_one():
    """Respondents by age 5, 20 and 20, all shown. A theme's row (1, 0, 12): protected apart, the 1 hides with
    the 12, which cannot be in a0 (5 respondents), and no other split of 13 is published the same way: the
    reader locates the 1. Protected together, a row of total 13 could hold a small count that changes places
    with neither a larger count nor a zero (1, 6, 6), so every row of that total is hidden whole, whatever
    its counts — (5, 9, 9) of 23 too. In a row of total 7, (1, 0, 6), the 1 hides with the zero."""
    before = Inventory(5, [5, 20, 20], [0, 0, 0], ((1, 0, 12), (5, 9, 9)), tables=apart)
    assert [before.theme_age["cell", 0, j].value for j in range(3)] == [None, 0, None]
    assert before.exposed() == [("theme_age", 0, "a0")]
    after = Inventory(5, [5, 20, 20], [0, 0, 0], ((1, 0, 12), (5, 9, 9)))
    assert all(cell.suppressed for key, cell in after.theme_age.items() if key[0] == "cell")
    assert after.exposed() == []
    zero = Inventory(5, [5, 20, 20], [0, 0, 0], ((1, 0, 6), (0, 0, 0)))
    assert [zero.theme_age["cell", 0, j].value for j in range(3)] == [None, None, 6]
    assert zero.exposed() == []
