"""The share of staff trained, from plain numbers (no database): the rule that
docs/competence.md describes and competence/tests/test_shares.py checks by hand.

People are not tracked, only counted, so the share is an approximation: the
participants of a unit's staff group on the occasions in the window (the last
N calendar years, the year counted included) over that group's headcount in the
year counted, each group's participants capped at its headcount (someone who
took two courses is counted twice until the cap). A unit or group that had
participants but has no headcount for the year makes the share unknown (None)
rather than wrong; so does a headcount of nobody. Over several units (the
municipality), a unit whose own share is unknown for lack of a headcount is
left out (and named: ``Share.left_out``) and the share is computed over the
others; with no other unit it stays unknown."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

Key = tuple[int, int]  # (unit id, staff group id)


@dataclass(frozen=True)
class Share:
    headcount: int  # staff counted (units and groups with a headcount)
    trained: int  # participants, each group capped at its headcount
    participants: int  # participants as registered, uncapped
    missing_headcount: bool  # some participants have no headcount to be read against
    left_out: tuple[int, ...] = ()  # units left out of a share over several units: participants, no headcount

    @property
    def percent(self) -> Decimal | None:
        """The share in percent with one decimal, or None when it cannot be known."""
        if self.missing_headcount or self.headcount == 0:
            return None
        return (Decimal(100) * self.trained / self.headcount).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def compute_share(headcounts: Mapping[Key, int], participants: Mapping[Key, int]) -> Share:
    """The share of the staff in ``headcounts`` trained, by the participants per (unit, group)."""
    missing = any(n > 0 and key not in headcounts for key, n in participants.items())
    return Share(
        headcount=sum(headcounts.values()),
        trained=sum(min(participants.get(key, 0), n) for key, n in headcounts.items()),
        participants=sum(participants.values()),
        missing_headcount=missing,
    )


def compute_units_share(headcounts: Mapping[Key, int], participants: Mapping[Key, int]) -> Share:
    """The share over several units: the units whose participants lack a
    headcount are left out (``left_out``, by id) and the share is computed over
    the others; if no unit is left to count, the share stays unknown."""
    left_out = sorted({unit for (unit, group), n in participants.items() if n > 0 and (unit, group) not in headcounts})
    if not left_out:
        return compute_share(headcounts, participants)
    skipped = set(left_out)
    heads = {key: n for key, n in headcounts.items() if key[0] not in skipped}
    parts = {key: n for key, n in participants.items() if key[0] not in skipped}
    share = compute_share(heads, parts)
    return replace(share, missing_headcount=not heads, left_out=tuple(left_out))


def window(year: int, years: int) -> range:
    """The calendar years counted for ``year``: the last ``years`` ones, ``year`` included."""
    return range(year - years + 1, year + 1)


def in_window(participants_by_year: Mapping[tuple[int, int, int], int], year: int, years: int) -> dict[Key, int]:
    """Participants per (unit, group) on occasions in the window of ``year``,
    from participants per (unit, group, year of the occasion)."""
    counted = window(year, years)
    summed: dict[Key, int] = {}
    for (unit, group, y), n in participants_by_year.items():
        if y in counted:
            summed[(unit, group)] = summed.get((unit, group), 0) + n
    return summed


def restrict(numbers: Mapping[Key, int], *, units: Iterable[int] | None = None, group: int | None = None):
    """The numbers of some units (None: all) and of one staff group (None: all)."""
    wanted = None if units is None else set(units)
    return {
        key: n
        for key, n in numbers.items()
        if (wanted is None or key[0] in wanted) and (group is None or key[1] == group)
    }


def yearly_shares(
    headcounts_by_year: Mapping[tuple[int, int, int], int],
    participants_by_year: Mapping[tuple[int, int, int], int],
    *,
    years: int,
    unit: int | None = None,
    group: int | None = None,
    until: int,
) -> dict[int, Share]:
    """The share for each year up to ``until`` that has a headcount in scope
    (one unit or all, one staff group or all; over all units, those without a
    headcount are left out: compute_units_share)."""
    units = None if unit is None else [unit]
    result = {}
    counted_years = sorted({y for (_u, _g, y) in headcounts_by_year if y <= until})
    for year in counted_years:
        heads = restrict(
            {(u, g): n for (u, g, y), n in headcounts_by_year.items() if y == year}, units=units, group=group
        )
        if not heads:
            continue
        parts = restrict(in_window(participants_by_year, year, years), units=units, group=group)
        result[year] = compute_share(heads, parts) if unit is not None else compute_units_share(heads, parts)
    return result
