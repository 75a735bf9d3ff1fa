"""Stockholm's demo trainings (goal 1.1) load once, through the services, and
the computed indicator has the figures computed by hand."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from competence.demo import load_demo_competence
from competence.models import Headcount, Training, TrainingOccasion
from competence.selectors import overview
from indicators.models import Indicator
from organisations.models import Municipality

DEMO_FILE = Path(django_settings.BASE_DIR) / "demo" / "stockholm-competence.yaml"


def test_stockholm_demo_competence_loads_once(db, settings):
    settings.DEBUG = True
    call_command("load_demo", "--quiet-logins")
    sthlm = Municipality.objects.get(code="0180")
    assert Training.objects.filter(municipality=sthlm).count() == 3
    assert TrainingOccasion.objects.filter(training__municipality=sthlm).count() == 5
    indicator = Indicator.objects.get(municipality=sthlm, source_kind=Indicator.Source.COMPUTED_TRAINING)
    assert sorted(g.code for g in indicator.goals.all()) == ["1.1", "1.1.1", "1.1.2"]
    # 2024: 30 of 482; 2025: 52 of 732; 2026: 137 of 742 (three-year windows, docs/competence.md).
    assert list(indicator.measurements.values_list("period_end", "value")) == [
        (date(2024, 12, 31), Decimal("6.20")),
        (date(2025, 12, 31), Decimal("7.10")),
        (date(2026, 12, 31), Decimal("18.50")),
    ]
    # The indicator's latest value is the overview's share of the municipality for its year
    # (this year, while the demo's headcounts reach it).
    latest = indicator.measurements.order_by("-period_end").first()
    assert latest.period_end.year == min(timezone.localdate().year, 2026)
    assert latest.value == overview(sthlm, year=latest.period_end.year, years=3).total.percent
    counts = (Training.objects.count(), Headcount.objects.count(), indicator.measurements.count())
    # Loading again writes nothing new, and brings stale computed values back up to date.
    latest.delete()
    assert load_demo_competence(municipality=sthlm, path=DEMO_FILE) == 0
    assert (Training.objects.count(), Headcount.objects.count(), indicator.measurements.count()) == counts
    assert indicator.measurements.order_by("-period_end").first().value == latest.value
