"""An indicator about children splits into girls and boys, not women and men
(Indicator.gender_terms): chosen on the indicator's form, and said so on its page,
its chart's table, the measurement form and its errors, the public page, the
council report and the open data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import GenderTerms, Indicator, Measurement
from tests.formreader import submissions

from .factories import make_indicator


@pytest.fixture
def pupils(world):
    indicator = make_indicator(
        world, name="Elever med modersmålsundervisning i romani chib", gender_split=True, unit="elever"
    )
    Measurement.objects.create(
        indicator=indicator, period_end=date(2024, 10, 15), value=Decimal(30), women=Decimal(17), men=Decimal(13)
    )
    return indicator


def choose_children(world, indicator) -> None:
    """The coordinator picks "flickor och pojkar" on the indicator's form, as a browser sends the form."""
    client = world.client("coordinator")
    url = reverse("indicators:edit", args=[indicator.pk])
    (form,) = [s for s in submissions(url, client.get(url).content) if s.name == "indicators:edit"]
    assert form.data["gender_terms"] == [GenderTerms.ADULTS]  # the default, selected
    form.data["gender_terms"] = [GenderTerms.CHILDREN]
    response = client.post(form.action, form.data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    indicator.refresh_from_db()
    assert indicator.gender_terms == GenderTerms.CHILDREN


def test_the_default_is_women_and_men(world, pupils):
    page = world.client("coordinator").get(reverse("indicators:detail", args=[pupils.pk])).content.decode()
    assert ">Kvinnor</th>" in page and ">Män</th>" in page and "Flickor" not in page


def test_girls_and_boys_on_the_page_and_in_the_measurement_form(world, pupils):
    choose_children(world, pupils)
    client = world.client("contact_a")
    page = client.get(reverse("indicators:detail", args=[pupils.pk])).content.decode()
    assert ">Flickor</th>" in page and ">Pojkar</th>" in page
    assert "uppdelat på kön (flickor, pojkar, totalt)" in page
    assert "Kvinnor" not in page and ">Män<" not in page
    form_page = client.get(reverse("indicators:measurement_create", args=[pupils.pk])).content.decode()
    assert "Flickor (elever)" in form_page and "Pojkar (elever)" in form_page
    assert "Ange flickor och pojkar." in form_page and "kvinnor" not in form_page.lower()
    # The errors say girls and boys too.
    url = reverse("indicators:measurement_create", args=[pupils.pk])
    response = client.post(url, {"period_end": "2025-10-15", "women": "20"})
    assert response.context["form"].errors["men"] == ["Ange både flickor och pojkar, eller ingetdera."]
    response = client.post(url, {"period_end": "2025-10-15", "women": "20", "men": "10", "value": "31"})
    assert "summan av flickor och pojkar (30)" in response.context["form"].errors["value"][0]


def test_girls_and_boys_in_the_edit_forms_baseline(world, pupils):
    choose_children(world, pupils)
    page = world.client("coordinator").get(reverse("indicators:edit", args=[pupils.pk])).content.decode()
    assert "Nollmätning: flickor" in page and "Nollmätning: pojkar" in page


def test_girls_and_boys_in_the_open_data_and_the_council_report(world, pupils, settings):
    from django.utils import timezone
    from django.utils.translation import override

    from reports.chapters import indicators as chapter
    from reports.document import Chart, Document

    settings.OPEN_DATA_REQUESTS_PER_MINUTE = 0
    choose_children(world, pupils)
    Indicator.objects.filter(pk=pupils.pk).update(public=True)
    data = world.client("anonymous").get(reverse("opendata:indicators", args=[world.municipality.code])).json()
    (record,) = [r for r in data["results"] if r["id"] == pupils.pk]
    assert record["gender_terms"] == "flickor_pojkar" and record["measurements"][0]["women"] == 17
    doc = Document(title="Rapport", subtitle="", municipality="Stockholms stad", date="")
    with override("sv"):
        chapter.add(doc, plan=world.plan, until=date(2025, 12, 31), read_at=timezone.now(), charts=True)
    (chart,) = [b for b in doc.blocks if isinstance(b, Chart)]
    assert chart.table.header[-2:] == ["Flickor", "Pojkar"]
    assert "Flickor" in chart.svg and "Kvinnor" not in doc.text()
