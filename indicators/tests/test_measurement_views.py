"""Entering, correcting and removing measurements, through the HTTP client."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from indicators.models import Indicator, Measurement
from indicators.views import STALE_MEASUREMENT

from .factories import make_indicator


def add(client, indicator, **data):
    return client.post(reverse("indicators:measurement_create", args=[indicator.pk]), data)


def test_unit_contact_enters_a_measurement_for_their_units_indicator(world):
    indicator = make_indicator(world)
    client = world.client("contact_a")
    assert client.get(reverse("indicators:measurement_create", args=[indicator.pk])).status_code == 200
    response = add(client, indicator, period_start="2024-01-01", period_end="2024-12-31", value="24.5", note="Helår")
    assert response.status_code == 302
    measurement = Measurement.objects.get(indicator=indicator)
    assert (measurement.period_start, measurement.period_end, measurement.value) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
        Decimal("24.5"),
    )
    assert measurement.entered_by == world.users["contact_a"]
    event = AuditEvent.objects.for_object(measurement).get()
    assert event.action == "create" and event.changes["value"] == [None, "24.5"]
    page = world.client("reader").get(reverse("indicators:detail", args=[indicator.pk])).content.decode()
    assert "1 jan. 2024 – 31 dec. 2024" in page and "Contact Testsson" in page


def test_contact_b_cannot_enter_or_change_unit_as_measurements_even_by_crafted_post(world):
    indicator = make_indicator(world, measurements=((date(2023, 12, 31), "15"),))
    measurement = indicator.measurements.get()
    client = world.client("contact_b")
    events = AuditEvent.objects.count()
    assert client.get(reverse("indicators:measurement_create", args=[indicator.pk])).status_code == 403
    assert add(client, indicator, period_end="2024-12-31", value="99").status_code == 403
    edit = reverse("indicators:measurement_edit", args=[measurement.pk])
    assert client.post(edit, {"period_end": "2023-12-31", "value": "99", "version": "1"}).status_code == 403
    assert client.post(reverse("indicators:measurement_delete", args=[measurement.pk])).status_code == 403
    measurement.refresh_from_db()
    assert (indicator.measurements.count(), measurement.value) == (1, Decimal(15))
    assert AuditEvent.objects.count() == events
    # The indicator page offers contact B no way to add or edit.
    page = client.get(reverse("indicators:detail", args=[indicator.pk]))
    assert page.context["can_measure"] is False
    assert reverse("indicators:measurement_create", args=[indicator.pk]) not in page.content.decode()


def test_a_crafted_indicator_field_cannot_redirect_a_measurement(world):
    """Contact B posts on their own unit's indicator, naming unit A's in the body: ignored."""
    theirs = make_indicator(world, name="Unit A:s indikator")
    own = make_indicator(world, name="Unit B:s indikator", responsible=world.unit_b)
    data = {"period_end": "2024-12-31", "value": "5", "indicator": theirs.pk}
    data["entered_by"] = world.users["coordinator"].pk
    url = reverse("indicators:measurement_create", args=[own.pk])
    assert world.client("contact_b").post(url, data).status_code == 302
    assert not theirs.measurements.exists()
    assert own.measurements.get().entered_by == world.users["contact_b"]


@pytest.mark.parametrize(("role", "status"), [("reader", 403), ("other_coordinator", 404), ("anonymous", 302)])
def test_readers_and_other_municipalities_cannot_enter_measurements(world, role, status):
    indicator = make_indicator(world)
    assert add(world.client(role), indicator, period_end="2024-12-31", value="20").status_code == status
    assert not Measurement.objects.exists()


def test_coordinator_enters_for_any_unit(world):
    indicator = make_indicator(world, responsible=world.unit_b)
    assert add(world.client("coordinator"), indicator, period_end="2024-12-31", value="20").status_code == 302
    assert add(world.client("contact_a"), indicator, period_end="2025-12-31", value="30").status_code == 403
    assert add(world.client("contact_b"), indicator, period_end="2025-12-31", value="30").status_code == 302
    assert indicator.measurements.count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"period_start": "2022-01-01", "period_end": "2022-12-31"}, "period_start"),  # starts before the period
        ({"period_end": "2022-12-31"}, "period_end"),  # a single day before the period
        ({"period_start": "2030-01-01", "period_end": "2031-03-31"}, "period_end"),  # ends after the period
        ({"period_start": "2024-12-31", "period_end": "2024-01-01"}, "period_end"),  # end before start
        ({"period_end": "2023-12-31"}, "period_end"),  # a measurement for that period exists
        ({"period_end": "2024-12-31", "value": "-1"}, "value"),  # a percentage cannot be negative
        ({"period_end": "2024-12-31", "value": ""}, "value"),
        ({"period_end": "2024-12-31", "value": "tjugo"}, "value"),
        ({"period_end": "den 31 december"}, "period_end"),
    ],
)
def test_bad_measurements_are_refused_on_their_field_and_nothing_saved(world, data, field):
    indicator = make_indicator(world, measurements=((date(2023, 12, 31), "15"),))
    events = AuditEvent.objects.count()
    response = add(world.client("contact_a"), indicator, **({"value": "20"} | data))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()  # the message is tied to the field
    assert indicator.measurements.count() == 1
    assert AuditEvent.objects.count() == events


def test_outside_the_period_the_message_names_the_period(world):
    indicator = make_indicator(world)
    response = add(world.client("contact_a"), indicator, period_end="2031-01-31", value="20")
    (error,) = response.context["form"].errors["period_end"]
    assert "2030-12-31" in error


def test_negative_values_are_allowed_where_the_indicator_says_so(world):
    indicator = make_indicator(world, name="Förändring av antal besök", allow_negative=True, unit="besök")
    assert add(world.client("contact_a"), indicator, period_end="2024-12-31", value="-12").status_code == 302
    assert indicator.measurements.get().value == Decimal(-12)


def test_an_open_ended_indicator_takes_any_date(world):
    indicator = make_indicator(world, valid_from=None, valid_to=None)
    assert add(world.client("contact_a"), indicator, period_end="1999-12-31", value="2").status_code == 302


# --- By gender ----------------------------------------------------------------------


@pytest.fixture
def by_gender(world):
    return make_indicator(world, name="Besök vid romska mötesplatser", gender_split=True, unit="besök")


def test_gender_split_total_is_computed_from_women_and_men(world, by_gender):
    assert add(world.client("contact_a"), by_gender, period_end="2024-12-31", women="850", men="650").status_code == 302
    m = by_gender.measurements.get()
    assert (m.women, m.men, m.value) == (Decimal(850), Decimal(650), Decimal(1500))


def test_gender_split_total_alone_is_accepted(world, by_gender):
    assert add(world.client("contact_a"), by_gender, period_end="2024-12-31", value="1500").status_code == 302
    m = by_gender.measurements.get()
    assert (m.women, m.men, m.value) == (None, None, Decimal(1500))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"women": "850", "men": "650", "value": "1600"}, "value"),  # not the sum
        ({"women": "850"}, "men"),
        ({"men": "650", "value": "650"}, "women"),
        ({"women": "-1", "men": "650"}, "women"),
        ({}, "value"),
    ],
)
def test_gender_split_bad_input(world, by_gender, data, field):
    response = add(world.client("contact_a"), by_gender, period_end="2024-12-31", **data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not by_gender.measurements.exists()


# --- Yes/no and text ----------------------------------------------------------------


def test_yes_no_measurements_and_their_page(world):
    indicator = make_indicator(
        world, name="Har staden en aktuell handlingsplan?", kind=Indicator.Kind.YES_NO, unit="", baseline=None
    )
    client = world.client("coordinator")
    assert "value_bool" in add(client, indicator, period_end="2024-12-31").context["form"].errors
    assert add(client, indicator, period_end="2024-12-31", value_bool="no").status_code == 302
    assert add(client, indicator, period_end="2025-12-31", value_bool="yes").status_code == 302
    assert [m.value_bool for m in indicator.measurements.order_by("period_end")] == [False, True]
    page = client.get(reverse("indicators:detail", args=[indicator.pk]))
    assert page.context["page"].chart is None and "<svg" not in page.content.decode()
    assert page.context["page"].assessment.computed == "on_track"  # yes is on track


def test_text_measurements(world):
    indicator = make_indicator(world, name="Upplevt bemötande", kind=Indicator.Kind.TEXT, unit="", baseline=None)
    client = world.client("contact_a")
    assert "value_text" in add(client, indicator, period_end="2024-12-31").context["form"].errors
    text = "Deltagarna beskriver ett bättre bemötande där brobyggare finns."
    assert add(client, indicator, period_end="2024-12-31", value_text=text, value="5").status_code == 302
    m = indicator.measurements.get()
    assert (m.value_text, m.value) == (text, None)  # a text indicator takes no number
    page = client.get(reverse("indicators:detail", args=[indicator.pk]))
    assert text in page.content.decode() and page.context["page"].assessment.computed == "no_data"


# --- Edit, delete, locking ----------------------------------------------------------


def test_contact_corrects_and_removes_a_measurement(world):
    indicator = make_indicator(world, measurements=((date(2024, 12, 31), "20"),))
    measurement = indicator.measurements.get()
    client = world.client("contact_a")
    url = reverse("indicators:measurement_edit", args=[measurement.pk])
    assert client.get(url).context["form"]["version"].value() == 1
    response = client.post(url, {"period_end": "2024-12-31", "value": "22", "version": "1"})
    assert response.status_code == 302
    measurement.refresh_from_db()
    assert (measurement.value, measurement.version) == (Decimal(22), 2)
    event = AuditEvent.objects.for_object(measurement).get()
    assert event.changes == {"period_end": ["2024-12-31", "2024-12-31"], "value": ["20", "22"]}
    # The edit page shows the measurement's history.
    assert client.get(url).context["history"] == [event]

    delete = reverse("indicators:measurement_delete", args=[measurement.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not indicator.measurements.exists()
    assert AuditEvent.objects.for_object(measurement).first().action == "delete"


def test_two_editors_of_a_measurement_the_second_is_told_and_nothing_is_overwritten(world):
    indicator = make_indicator(world, measurements=((date(2024, 12, 31), "20"),))
    measurement = indicator.measurements.get()
    first, second = world.client("contact_a"), world.client("coordinator")
    url = reverse("indicators:measurement_edit", args=[measurement.pk])
    v1 = first.get(url).context["form"]["version"].value()
    v2 = second.get(url).context["form"]["version"].value()

    assert first.post(url, {"period_end": "2024-12-31", "value": "21", "version": v1}).status_code == 302
    stale = second.post(url, {"period_end": "2024-12-31", "value": "25", "note": "Rättad", "version": v2})

    assert stale.status_code == 409
    form = stale.context["form"]
    assert str(STALE_MEASUREMENT) in [str(e) for e in form.non_field_errors()]
    assert (form["value"].value(), form["note"].value(), form["version"].value()) == ("25", "Rättad", "2")
    measurement.refresh_from_db()
    assert (measurement.value, measurement.note, measurement.version) == (Decimal(21), "", 2)


def test_a_correction_still_checks_the_period(world):
    indicator = make_indicator(world, measurements=((date(2024, 12, 31), "20"), (date(2025, 12, 31), "30")))
    measurement = indicator.measurements.get(period_end=date(2024, 12, 31))
    url = reverse("indicators:measurement_edit", args=[measurement.pk])
    client = world.client("contact_a")
    for period_end in ("2025-12-31", "2031-12-31"):  # taken by the other measurement; after the period
        response = client.post(url, {"period_end": period_end, "value": "20", "version": "1"})
        assert response.status_code == 200 and "period_end" in response.context["form"].errors
    measurement.refresh_from_db()
    assert (measurement.period_end, measurement.version) == (date(2024, 12, 31), 1)
