"""Test data for training and competence, made directly in the database (no
audit events), so tests that count audit events see only what the code under
test wrote."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from competence.models import Headcount, Participation, ShareIndicator, StaffGroup, Training, TrainingOccasion
from indicators.models import Indicator
from indicators.tests.factories import make_indicator


def staff_groups(world) -> tuple[StaffGroup, StaffGroup]:
    teachers, _ = StaffGroup.objects.get_or_create(municipality=world.municipality, name="Lärare", position=1)
    social, _ = StaffGroup.objects.get_or_create(municipality=world.municipality, name="Socialsekreterare", position=2)
    return teachers, social


def make_training(world, title: str = "Antiziganism – historia och nutid", **fields) -> Training:
    fields.setdefault("provider", "Länsstyrelsen i Stockholms län")
    return Training.objects.create(municipality=world.municipality, title=title, **fields)


def make_occasion(training: Training, when: date, rows) -> TrainingOccasion:
    """``rows``: (unit, staff group, participants)."""
    occasion = TrainingOccasion.objects.create(training=training, date=when)
    for unit, group, n in rows:
        Participation.objects.create(occasion=occasion, unit=unit, staff_group=group, participants=n)
    return occasion


def make_share_indicator(world, *, years: int = 3, unit=None, group=None) -> Indicator:
    indicator = make_indicator(
        world,
        name="Andel personal utbildad om romers situation",
        source_kind=Indicator.Source.COMPUTED_TRAINING,
        responsible=world.unit_ks,
    )
    ShareIndicator.objects.create(indicator=indicator, years=years, unit=unit, staff_group=group)
    return indicator


def competence_objects(world) -> dict[str, int]:
    """URL name → pk of an object of the first municipality, made once per
    world, for tests/test_access.py: a training with an occasion of unit A's,
    and a computed indicator."""
    cached = getattr(world, "_competence_objects", None)
    if cached is None:
        _teachers, social = staff_groups(world)
        training = make_training(world)
        this_year = timezone.localdate().year
        occasion = make_occasion(training, date(this_year, 1, 15), [(world.unit_a, social, 4)])
        Headcount.objects.create(unit=world.unit_a, staff_group=social, year=this_year, number=20)
        indicator = make_share_indicator(world)
        cached = {
            "competence:detail": training.pk,
            "competence:edit": training.pk,
            "competence:delete": training.pk,
            "competence:occasion_create": training.pk,
            "competence:occasion_edit": occasion.pk,
            "competence:occasion_delete": occasion.pk,
            "competence:headcounts": world.unit_a.pk,
            "competence:share_settings": indicator.pk,
        }
        world._competence_objects = cached
    return cached
