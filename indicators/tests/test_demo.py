"""The demo indicators for Stockholms stad load once, through the services."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from audit.models import AuditEvent
from indicators.demo import DemoFileInvalid, load_demo_indicators
from indicators.models import Baseline, Indicator, Measurement, Target
from indicators.selectors import track_summary
from organisations.models import Municipality

DEMO_FILE = Path(django_settings.BASE_DIR) / "demo" / "stockholm-indicators.yaml"


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (Indicator, Baseline, Target, Measurement, AuditEvent))


def test_demo_indicators_load_once_and_tell_a_mixed_story(db, settings):
    settings.DEBUG = True
    call_command("load_demo", "--quiet-logins")
    stockholm = Municipality.objects.get(code="0180")
    # The file's indicators; the computed one of goal 1.1 is competence's (competence/tests/test_demo.py).
    own = Indicator.objects.filter(municipality=stockholm).exclude(source_kind=Indicator.Source.COMPUTED_TRAINING)
    before = own.count()  # in case load_demo loads them itself

    created = load_demo_indicators(municipality=stockholm, path=DEMO_FILE)
    assert created == 8 - before
    assert own.count() == 8
    after_first = counts()

    assert load_demo_indicators(municipality=stockholm, path=DEMO_FILE) == 0
    assert counts() == after_first

    # The computed share of staff trained (18.5 % at the end of 2026 against a path to 30 % in 2027) is off track.
    assert track_summary(stockholm) == {"reached": 1, "on_track": 4, "off_track": 4, "no_data": 0}
    visits = Indicator.objects.get(municipality=stockholm, name="Besök vid romska mötesplatser")
    assert visits.gender_split and visits.responsible_unit.short_name == "KN"
    assert [g.code for g in visits.goals.all()] == ["2.2.2"]
    assert visits.baseline.value == 1200
    assert {(m.women + m.men == m.value) for m in visits.measurements.all()} == {True}
    assert {i.kind for i in Indicator.objects.filter(municipality=stockholm)} == {"number", "yes_no", "text"}
    # Written through the services: every measurement has its audit event, by the system.
    measurement = visits.measurements.first()
    event = AuditEvent.objects.for_object(measurement).get()
    assert event.actor is None and event.action == "create"


SMALL_FILE = """
format: inkludera-indicators
version: 1
plan: Handlingsplan för romsk inkludering 2030
indicators:
  - name: Anställda romska brobyggare
    unit: personer
    responsible: SN
    goals: ["1.2.1"]
    baseline: {date: 2022-12-31, value: 4}
    targets: [{date: 2030-12-31, value: 10}]
    measurements: [{end: 2023-12-31, value: 5}]
  - name: Öppna samråd
    responsible: %s
    goals: [%s]
    measurements: [{end: 2023-12-31, value: %s}]
"""


@pytest.mark.parametrize(
    ("unit", "goal", "value", "message"),
    [
        ("XYZ", '"1.2.1"', "2", "no unit with the short name 'XYZ'"),
        ("KS", '"9.9"', "2", "no goal 9.9"),
        ("KS", '"1.2.1"', "-2", "Öppna samråd, 2023-12-31: {'value'"),
    ],
)
def test_a_demo_file_that_does_not_fit_creates_nothing(world, tmp_path, unit, goal, value, message):
    path = tmp_path / "indicators.yaml"
    path.write_text(SMALL_FILE % (unit, goal, value), encoding="utf-8")
    events = AuditEvent.objects.count()
    with pytest.raises(DemoFileInvalid, match=message):
        load_demo_indicators(municipality=world.municipality, path=path)
    assert not Indicator.objects.exists()  # the first, valid indicator was rolled back too
    assert AuditEvent.objects.count() == events


def test_the_loader_needs_the_plan(world):
    with pytest.raises(DemoFileInvalid, match="no plan"):
        load_demo_indicators(municipality=world.other_municipality, path=DEMO_FILE)
