"""The share of staff trained against figures computed by hand."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from competence.selectors import numbers_by_year, overview
from competence.services import share_indicator_refresh
from competence.shares import compute_share, compute_units_share, yearly_shares

from .factories import make_occasion, make_share_indicator, make_training, staff_groups


def test_compute_share_caps_each_group_at_its_headcount():
    # Unit 1: teachers 10 of 20, social workers 12 of 8 (capped to 8); unit 2: 0 of 10.
    heads = {(1, 1): 20, (1, 2): 8, (2, 1): 10}
    parts = {(1, 1): 10, (1, 2): 12}
    share = compute_share(heads, parts)
    assert (share.headcount, share.trained, share.participants) == (38, 18, 22)
    assert share.percent == Decimal("47.4")  # 18 / 38 = 47.37 %


def test_participants_without_a_headcount_give_no_value():
    share = compute_share({(1, 1): 20}, {(1, 1): 5, (2, 1): 3})
    assert share.missing_headcount and share.percent is None
    assert compute_share({}, {}).percent is None
    assert compute_share({(1, 1): 0}, {}).percent is None


def test_units_without_a_headcount_are_left_out_of_the_total():
    # Unit 1: 5 of 20; unit 2: 3 participants, no headcount; unit 3: a group without a headcount.
    heads = {(1, 1): 20, (3, 1): 10}
    parts = {(1, 1): 5, (2, 1): 3, (3, 1): 2, (3, 2): 1}
    share = compute_units_share(heads, parts)
    assert share.left_out == (2, 3) and not share.missing_headcount
    assert (share.headcount, share.trained, share.percent) == (20, 5, Decimal("25.0"))
    # Every unit with participants lacks a headcount: still no value ("headcount missing").
    alone = compute_units_share({}, {(2, 1): 3})
    assert alone.missing_headcount and alone.percent is None and alone.left_out == (2,)
    # Nothing left out: the plain share.
    assert compute_units_share({(1, 1): 20}, {(1, 1): 5}) == compute_share({(1, 1): 20}, {(1, 1): 5})


def test_yearly_shares_window_and_scope():
    heads = {(1, 1, 2025): 10, (2, 1, 2025): 10, (1, 1, 2026): 20, (3, 1, 2027): 5}
    parts = {(1, 1, 2022): 9, (1, 1, 2023): 2, (1, 1, 2025): 3, (2, 1, 2026): 4}
    shares = yearly_shares(heads, parts, years=3, until=2026)
    # 2025: window 2023–2025: unit 1 has 2 + 3 = 5 of 10, unit 2 0 of 10 → 5/20.
    assert shares[2025].percent == Decimal("25.0")
    # 2026: window 2024–2026: unit 1 has 3 of 20; unit 2 has 4 but no headcount in 2026:
    # left out of the municipality's share (named), which is unit 1's 3 / 20.
    assert shares[2026].percent == Decimal("15.0") and shares[2026].left_out == (2,)
    # Unit 2 alone: no value rather than a wrong one.
    alone = yearly_shares(heads, parts, years=3, until=2026, unit=2)
    assert 2026 not in alone  # no headcount in scope
    assert 2027 not in shares  # not yet
    one = yearly_shares(heads, parts, years=3, until=2026, unit=1)
    assert one[2026].percent == Decimal("15.0")  # 3 / 20
    assert yearly_shares(heads, parts, years=1, until=2025, unit=1)[2025].percent == Decimal("30.0")


@pytest.fixture
def three_units(world):
    """Three units, two staff groups; occasions inside and outside a three-year window."""
    year = timezone.localdate().year
    teachers, social = staff_groups(world)
    from competence.models import Headcount

    for unit, group, n in [
        (world.unit_a, social, 40), (world.unit_a, teachers, 10),
        (world.unit_b, teachers, 50),
        (world.unit_ks, social, 10),
    ]:  # fmt: skip
        Headcount.objects.create(unit=unit, staff_group=group, year=year, number=n)
    training = make_training(world)
    make_occasion(training, date(year, 2, 1), [(world.unit_a, social, 15), (world.unit_b, teachers, 20)])
    make_occasion(training, date(year - 2, 11, 1), [(world.unit_a, social, 5), (world.unit_ks, social, 12)])
    make_occasion(training, date(year - 3, 6, 1), [(world.unit_b, teachers, 30)])  # outside the window
    return year, teachers, social


def test_overview_by_hand(world, three_units, django_assert_num_queries):
    year, _teachers, _social = three_units
    with django_assert_num_queries(4):
        view = overview(world.municipality, year=year, years=3)
    rows = {row.unit.short_name: row for row in view.rows}
    # SN: social workers 15 + 5 = 20 of 40, teachers 0 of 10 → 20 / 50 = 40 %.
    assert rows["SN"].share.percent == Decimal("40.0")
    assert [s.percent for s in rows["SN"].by_group] == [Decimal("0.0"), Decimal("50.0")]
    # Hägersten-Älvsjö: 20 of 50 (the 30 three years back are outside) = 40 %.
    assert rows["Hägersten-Älvsjö"].share.percent == Decimal("40.0")
    # KS: 12 of 10, capped → 100 %.
    assert rows["KS"].share.percent == Decimal("100.0")
    # The municipality: (20 + 0 + 20 + 10) / (40 + 10 + 50 + 10) = 50 / 110 = 45.45 %.
    assert view.total.percent == Decimal("45.5")
    # Two years' window: SN 15/50, H-Ä 20/50, KS 0/10 → 35/110 = 31.8 %.
    assert overview(world.municipality, year=year, years=2).total.percent == Decimal("31.8")


def test_overview_query_count_is_constant(world, three_units, django_assert_num_queries):
    year, teachers, _social = three_units
    from competence.models import Headcount
    from organisations.models import OrgUnit

    for n in range(30):
        unit = OrgUnit.objects.create(municipality=world.municipality, kind="namnd", name=f"N{n}", short_name=f"N{n}")
        Headcount.objects.create(unit=unit, staff_group=teachers, year=year, number=10 + n)
    with django_assert_num_queries(4):
        view = overview(world.municipality, year=year, years=3)
    assert len(view.rows) == 33


def test_a_missing_headcount_leaves_the_unit_out(world, three_units):
    year, _teachers, social = three_units
    make_occasion(make_training(world, "E-kurs"), date(year, 3, 1), [(world.unit_b, social, 2)])
    view = overview(world.municipality, year=year, years=3)
    rows = {row.unit.short_name: row for row in view.rows}
    assert rows["Hägersten-Älvsjö"].share.percent is None and rows["Hägersten-Älvsjö"].share.missing_headcount
    assert rows["SN"].share.percent == Decimal("40.0")  # the others are unaffected
    # The municipality: SN 20 of 50 and KS 10 of 10 → 30 / 60; Hägersten-Älvsjö left out, named.
    assert view.total.percent == Decimal("50.0")
    assert view.left_out == [world.unit_b]
    indicator = make_share_indicator(world, years=3)
    share_indicator_refresh(indicator=indicator, by=None)
    measurement = indicator.measurements.get()
    assert measurement.value == Decimal("50.0")
    assert measurement.note == (
        f"1 enhet saknar antal anställda för {year} och är inte med: Hägersten-Älvsjö stadsdelsnämnd."
    )
    # Once the unit's headcount is in, it counts and the note goes.
    from competence.models import Headcount

    Headcount.objects.create(unit=world.unit_b, staff_group=social, year=year, number=10)
    share_indicator_refresh(indicator=indicator, by=None)
    measurement = indicator.measurements.get()
    # SN 20/50, H-Ä teachers 20/50 and social 2/10, KS 10/10 → 52 / 120 = 43.3 %.
    assert (measurement.value, measurement.note) == (Decimal("43.3"), "")


def test_the_computed_indicator_by_hand(world, three_units):
    year, _teachers, social = three_units
    indicator = make_share_indicator(world, years=3)
    share_indicator_refresh(indicator=indicator, by=None)
    measurement = indicator.measurements.get()
    assert (measurement.period_start, measurement.period_end) == (date(year - 2, 1, 1), date(year, 12, 31))
    assert measurement.value == Decimal("45.5")
    # Only SN's social workers.
    settings = indicator.share_settings
    settings.unit, settings.staff_group = world.unit_a, social
    settings.save()
    share_indicator_refresh(indicator=indicator, by=None)
    assert indicator.measurements.get().value == Decimal("50.0")  # 20 / 40


def test_numbers_by_year_two_queries(world, three_units, django_assert_num_queries):
    with django_assert_num_queries(2):
        heads, parts = numbers_by_year(world.municipality)
    assert sum(parts.values()) == 82 and sum(heads.values()) == 110
