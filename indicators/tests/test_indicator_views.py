"""Creating, editing, assessing and deleting indicators, through the HTTP client."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEvent
from indicators.models import Baseline, Indicator, Measurement, Target, Track
from indicators.views import STALE_INDICATOR

from .factories import make_indicator

NAME = "Andel medarbetare i socialtjänsten utbildade om antiziganism"


def indicator_post(world, *, targets=(("2027-12-31", "50"), ("2030-12-31", "90")), **overrides):
    data = {
        "name": NAME,
        "kind": "number",
        "definition": "Andel tillsvidareanställda som gått utbildningen, 31 december.",
        "unit": "procent",
        "direction": "increase",
        "gender_terms": "kvinnor_man",  # the select's first option, as a browser sends it
        "source_kind": "own_count",
        "source_detail": "Utbildningsregistret",
        "kolada_id": "",
        "responsible_unit": world.unit_a.pk,
        "goals": [world.result_goal.pk],
        "valid_from": "2023-01-01",
        "valid_to": "2030-12-31",
        "baseline_date": "2022-12-31",
        "baseline_value": "8",
        "baseline_source": "Utbildningsregistret",
        "baseline_note": "Nollmätning",
        "targets-TOTAL_FORMS": str(len(targets) + 1),
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
    }
    for i, (when, value) in enumerate(targets):
        data[f"targets-{i}-date"] = when
        data[f"targets-{i}-value"] = value
    data.update(overrides)
    return data


def events_for(obj) -> list[AuditEvent]:
    return list(AuditEvent.objects.for_object(obj))


def test_coordinator_creates_an_indicator_with_baseline_targets_and_goals(world):
    client = world.client("coordinator")
    response = client.post(reverse("indicators:create"), indicator_post(world, kolada_id="N15807"))
    indicator = Indicator.objects.get(name=NAME)
    assert response.status_code == 302 and response["Location"] == reverse("indicators:detail", args=[indicator.pk])
    assert indicator.municipality == world.municipality and indicator.responsible_unit == world.unit_a
    assert list(indicator.goals.all()) == [world.result_goal]
    assert (indicator.baseline.date, indicator.baseline.value) == (date(2022, 12, 31), Decimal(8))
    assert [(t.date, t.value) for t in indicator.targets.all()] == [
        (date(2027, 12, 31), Decimal(50)),
        (date(2030, 12, 31), Decimal(90)),
    ]
    assert indicator.version == 1
    created = events_for(indicator)[0]
    assert created.action == "create" and created.actor == world.users["coordinator"]
    assert created.changes["goals"] == [None, ["1.2.1"]]
    assert events_for(indicator.baseline)[0].action == "create"
    page = client.get(response["Location"]).content.decode()
    assert "https://www.kolada.se/verktyg/fri-sokning/?kpis=N15807" in page
    assert reverse("plans:goal", args=[world.result_goal.pk]) in page


def test_gender_split_baseline_total_is_computed(world):
    client = world.client("coordinator")
    data = indicator_post(
        world, gender_split="on", baseline_value="", baseline_women="70", baseline_men="50", name="Besök"
    )
    assert client.post(reverse("indicators:create"), data).status_code == 302
    baseline = Baseline.objects.get(indicator__name="Besök")
    assert (baseline.value, baseline.women, baseline.men) == (Decimal(120), Decimal(70), Decimal(50))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"valid_from": "2030-01-01", "valid_to": "2023-12-31"}, "valid_to"),
        ({"name": ""}, "name"),
        ({"kolada_id": "kpi 15807"}, "kolada_id"),
        ({"baseline_value": ""}, "baseline_value"),
        ({"baseline_value": "-3"}, "baseline_value"),
        ({"baseline_date": ""}, "baseline_date"),
        ({"kind": "yes_no", "baseline_value": "", "targets-0-date": "", "targets-0-value": ""}, "baseline_answer"),
        ({"gender_split": "on", "baseline_value": "", "baseline_women": "70"}, "baseline_men"),
        ({"gender_split": "on", "baseline_value": "99", "baseline_women": "7", "baseline_men": "5"}, "baseline_value"),
    ],
)
def test_bad_indicator_input_is_refused_on_its_field(world, overrides, field):
    client = world.client("coordinator")
    response = client.post(reverse("indicators:create"), indicator_post(world, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Indicator.objects.exists()
    assert not AuditEvent.objects.filter(content_type__app_label="indicators").exists()


def test_goals_and_units_of_another_municipality_are_refused(world):
    client = world.client("coordinator")
    goals = [world.result_goal.pk, world.other_goal.pk]
    data = indicator_post(world, goals=goals, responsible_unit=world.other_unit.pk)
    response = client.post(reverse("indicators:create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "goals" in errors and "responsible_unit" in errors
    assert not Indicator.objects.exists()


@pytest.mark.parametrize(
    ("targets", "row", "field"),
    [
        ((("2027-12-31", "-5"),), 0, "value"),
        ((("2021-12-31", "50"),), 0, "date"),  # before the baseline
        ((("2027-12-31", "50"), ("2027-12-31", "60")), 1, "date"),
        ((("2027-12-31", ""),), 0, "value"),
        ((("", "50"),), 0, "date"),
    ],
)
def test_bad_targets_are_refused_on_their_row(world, targets, row, field):
    client = world.client("coordinator")
    response = client.post(reverse("indicators:create"), indicator_post(world, targets=targets))
    assert response.status_code == 200
    assert field in response.context["form"].targets.forms[row].errors
    assert not Indicator.objects.exists()


def test_a_name_is_unique_in_the_municipality(world):
    make_indicator(world, name=NAME)
    response = world.client("coordinator").post(reverse("indicators:create"), indicator_post(world))
    assert "name" in response.context["form"].errors
    assert Indicator.objects.count() == 1


def test_edit_changes_indicator_baseline_and_targets_and_records_them(world):
    indicator = make_indicator(world)
    client = world.client("coordinator")
    url = reverse("indicators:edit", args=[indicator.pk])
    form = client.get(url).context["form"]
    assert form["baseline_value"].value() == Decimal(10) and form["version"].value() == 1
    data = indicator_post(
        world, version=1, unit="andel i procent", baseline_value="12", targets=(("2030-12-31", "95"),)
    )
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert (indicator.unit, indicator.version, indicator.baseline.value) == ("andel i procent", 2, Decimal(12))
    assert [(t.date, t.value) for t in indicator.targets.all()] == [(date(2030, 12, 31), Decimal(95))]
    assert events_for(indicator)[0].changes["unit"] == ["procent", "andel i procent"]
    target = indicator.targets.get()
    assert events_for(target)[0].changes == {"date": ["2030-12-31", "2030-12-31"], "value": ["90", "95"]}
    history = client.get(reverse("indicators:detail", args=[indicator.pk])).context["history"]
    assert {e.content_type.model for e in history} >= {"indicator", "baseline", "target"}


def test_saving_an_unchanged_form_records_nothing(world):
    indicator = make_indicator(world, name=NAME)
    data = indicator_post(
        world,
        version=1,
        definition="",
        source_detail="",
        baseline_value="10.00",  # the same value as 10
        baseline_source="",
        baseline_note="",
        targets=(("2027-12-31", "50.00"), ("2030-12-31", "90")),
    )
    events = AuditEvent.objects.count()
    assert world.client("coordinator").post(reverse("indicators:edit", args=[indicator.pk]), data).status_code == 302
    assert AuditEvent.objects.count() == events
    indicator.refresh_from_db()
    assert indicator.version == 2


def test_removing_the_baseline_deletes_it(world):
    indicator = make_indicator(world)
    data = indicator_post(world, version=1, baseline_date="", baseline_value="", baseline_source="", baseline_note="")
    assert world.client("coordinator").post(reverse("indicators:edit", args=[indicator.pk]), data).status_code == 302
    assert not Baseline.objects.filter(indicator=indicator).exists()


def test_an_edit_cannot_strand_measurements(world):
    indicator = make_indicator(world, measurements=((date(2024, 12, 31), "20"),))
    data = indicator_post(world, version=1, kind="yes_no", valid_from="2025-01-01", valid_to="2025-12-31")
    response = world.client("coordinator").post(reverse("indicators:edit", args=[indicator.pk]), data)
    assert response.status_code == 200
    assert {"kind", "valid_from"} <= set(response.context["form"].errors)
    indicator.refresh_from_db()
    assert (indicator.kind, indicator.valid_from, indicator.version) == ("number", date(2023, 1, 1), 1)


def test_two_editors_the_second_is_told_and_nothing_is_overwritten(world):
    indicator = make_indicator(world)
    first, second = world.client("coordinator"), world.client("coordinator")
    url = reverse("indicators:edit", args=[indicator.pk])
    first_version = first.get(url).context["form"]["version"].value()
    second_version = second.get(url).context["form"]["version"].value()
    assert first_version == second_version == 1

    saved = first.post(url, indicator_post(world, version=first_version, name="Första versionen"))
    assert saved.status_code == 302
    events = AuditEvent.objects.count()
    stale = second.post(url, indicator_post(world, version=second_version, name="Andra versionen", unit="st"))

    assert stale.status_code == 409
    form = stale.context["form"]
    assert str(STALE_INDICATOR) in [str(e) for e in form.non_field_errors()]
    assert escape(str(STALE_INDICATOR)) in stale.content.decode()
    # What the second editor typed is kept, with the current version to save deliberately.
    assert (form["name"].value(), form["unit"].value(), form["version"].value()) == ("Andra versionen", "st", "2")
    indicator.refresh_from_db()
    assert (indicator.name, indicator.unit, indicator.version) == ("Första versionen", "procent", 2)
    assert AuditEvent.objects.count() == events

    again = second.post(url, indicator_post(world, version=2, name="Andra versionen"))
    assert again.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.name, indicator.version) == ("Andra versionen", 3)


def test_assessment_overrides_the_computed_label_with_a_reason(world):
    indicator = make_indicator(world, measurements=((date(2025, 7, 1), "5"),))
    client = world.client("coordinator")
    url = reverse("indicators:assess", args=[indicator.pk])
    assert client.get(url).context["page"].assessment.computed == Track.OFF_TRACK

    missing_reason = client.post(url, {"track": "on_track", "reason": " "})
    assert "reason" in missing_reason.context["form"].errors
    indicator.refresh_from_db()
    assert indicator.track_override == ""

    assert client.post(url, {"track": "on_track", "reason": "Utbildningen 2025 var fulltecknad."}).status_code == 302
    indicator.refresh_from_db()
    assert indicator.track_override == "on_track" and indicator.track_override_by == world.users["coordinator"]
    assert indicator.track_override_at is not None
    page = client.get(reverse("indicators:detail", args=[indicator.pk]))
    assessment = page.context["page"].assessment
    assert (assessment.computed, assessment.override, assessment.effective) == (
        Track.OFF_TRACK,
        Track.ON_TRACK,
        Track.ON_TRACK,
    )
    html = page.content.decode()
    assert "Utbildningen 2025 var fulltecknad." in html
    assert "ind-track-off_track" in html and "ind-track-on_track" in html  # both shown
    assert events_for(indicator)[0].changes["track_override_reason"] == ["", "Utbildningen 2025 var fulltecknad."]

    assert client.post(url, {"track": "", "reason": "ignoreras"}).status_code == 302
    indicator.refresh_from_db()
    assert (indicator.track_override, indicator.track_override_reason, indicator.track_override_by) == ("", "", None)


def test_delete_indicator_removes_everything_and_records_it(world):
    indicator = make_indicator(world, measurements=((date(2024, 12, 31), "20"),))
    measurement = indicator.measurements.get()
    client = world.client("coordinator")
    assert client.get(reverse("indicators:delete", args=[indicator.pk])).status_code == 200
    response = client.post(reverse("indicators:delete", args=[indicator.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("indicators:list")
    assert not Indicator.objects.exists() and not Measurement.objects.exists() and not Target.objects.exists()
    assert events_for(indicator)[0].action == "delete"
    assert AuditEvent.objects.for_object(measurement).get().action == "delete"


@pytest.mark.parametrize(("role", "status"), [("reader", 403), ("contact_a", 403), ("other_coordinator", 404)])
def test_only_the_coordinator_changes_indicators(world, role, status):
    indicator = make_indicator(world)
    client = world.client(role)
    data = indicator_post(world, version=1, name="Kapad")
    assert client.post(reverse("indicators:edit", args=[indicator.pk]), data).status_code == status
    assess = {"track": "reached", "reason": "x"}
    assert client.post(reverse("indicators:assess", args=[indicator.pk]), assess).status_code == status
    assert client.post(reverse("indicators:delete", args=[indicator.pk])).status_code == status
    indicator.refresh_from_db()
    assert (indicator.name, indicator.track_override) == (NAME, "")
    if role != "other_coordinator":
        assert client.post(reverse("indicators:create"), indicator_post(world, name="Kapad")).status_code == 403
    assert not Indicator.objects.filter(name="Kapad").exists()
