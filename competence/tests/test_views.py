"""The competence pages through the HTTP client: forms as the browser sends them."""

from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from competence.models import Headcount, Participation, ShareIndicator, Training, TrainingOccasion
from competence.services import share_indicators_refresh
from indicators.models import Measurement
from tests.formreader import submissions

from .factories import make_occasion, make_share_indicator, make_training, staff_groups


def form_of(client, url: str) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    (sub,) = [s for s in submissions(url, page.content) if s.action == url]
    return dict(sub.data)


def test_contact_registers_an_occasion_that_moves_the_indicator(world):
    year = timezone.localdate().year
    _teachers, social = staff_groups(world)
    Headcount.objects.create(unit=world.unit_a, staff_group=social, year=year, number=20)
    training = make_training(world)
    indicator = make_share_indicator(world)
    share_indicators_refresh(municipality=world.municipality, by=None)
    assert indicator.measurements.get().value == Decimal("0.0")
    client = world.client("contact_a")
    url = reverse("competence:occasion_create", args=[training.pk])
    page = client.get(url)
    assert "Hägersten-Älvsjö" not in page.content.decode()  # only the contact's own unit to choose
    data = form_of(client, url)
    data |= {"date": [f"{year}-03-10"], "rader-0-unit": [str(world.unit_a.pk)]}
    data |= {"rader-0-staff_group": [str(social.pk)], "rader-0-participants": ["5"]}
    events = AuditEvent.objects.count()
    response = client.post(url, data)
    assert response.status_code == 302
    occasion = TrainingOccasion.objects.get(training=training)
    assert [(r.unit, r.staff_group, r.participants) for r in occasion.rows.all()] == [(world.unit_a, social, 5)]
    assert indicator.measurements.get().value == Decimal("25.0")  # 5 of 20
    # The occasion and the measurement's change, both audited.
    assert AuditEvent.objects.count() == events + 2
    detail = client.get(reverse("indicators:detail", args=[indicator.pk])).content.decode()
    assert "25" in detail and reverse("indicators:measurement_create", args=[indicator.pk]) not in detail


def test_a_contact_cannot_count_another_units_staff(world):
    _teachers, social = staff_groups(world)
    training = make_training(world)
    client = world.client("contact_a")
    url = reverse("competence:occasion_create", args=[training.pk])
    data = form_of(client, url) | {"date": ["2026-03-10"], "rader-0-unit": [str(world.unit_b.pk)]}
    data |= {"rader-0-staff_group": [str(social.pk)], "rader-0-participants": ["5"]}
    response = client.post(url, data)
    assert response.status_code == 200 and not TrainingOccasion.objects.exists()


def test_negative_and_half_rows_are_refused(world):
    _teachers, social = staff_groups(world)
    training = make_training(world)
    client = world.client("coordinator")
    url = reverse("competence:occasion_create", args=[training.pk])
    base = form_of(client, url) | {"date": ["2026-03-10"], "rader-0-unit": [str(world.unit_b.pk)]}
    for extra in ({"rader-0-staff_group": [str(social.pk)], "rader-0-participants": ["-1"]}, {}):
        response = client.post(url, base | extra)
        assert response.status_code == 200
        assert b"data-error-summary" in response.content
    assert not TrainingOccasion.objects.exists()


def test_only_the_coordinator_edits_an_occasion_of_several_units(world):
    teachers, social = staff_groups(world)
    training = make_training(world)
    occasion = make_occasion(training, date(2026, 2, 1), [(world.unit_a, social, 3), (world.unit_b, teachers, 7)])
    # Contact A may not edit an occasion that also counts unit B's staff; the coordinator may.
    assert world.client("contact_a").get(reverse("competence:occasion_edit", args=[occasion.pk])).status_code == 403
    client = world.client("coordinator")
    url = reverse("competence:occasion_edit", args=[occasion.pk])
    data = form_of(client, url)
    (row,) = [k for k, v in data.items() if k.endswith("-unit") and v == [str(world.unit_a.pk)]]
    data[row.replace("-unit", "-participants")] = ["4"]
    assert client.post(url, data).status_code == 302
    assert sorted(Participation.objects.values_list("participants", flat=True)) == [4, 7]


def test_headcounts_grid(world):
    teachers, social = staff_groups(world)
    client = world.client("contact_a")
    url = reverse("competence:headcounts", args=[world.unit_a.pk]) + "?ar=2026"
    data = form_of(client, url) | {f"group_{teachers.pk}": ["12"], f"group_{social.pk}": ["-3"]}
    assert client.post(url, data).status_code == 200 and not Headcount.objects.exists()
    data[f"group_{social.pk}"] = ["30"]
    assert client.post(url, data).status_code == 302
    assert dict(Headcount.objects.values_list("staff_group__name", "number")) == {"Lärare": 12, "Socialsekreterare": 30}
    assert set(Headcount.objects.values_list("year", flat=True)) == {2026}
    data[f"group_{teachers.pk}"] = [""]
    client.post(url, data)
    assert list(Headcount.objects.values_list("number", flat=True)) == [30]


def test_no_typed_measurements_for_a_computed_indicator(world):
    indicator = make_share_indicator(world)
    client = world.client("coordinator")
    assert client.get(reverse("indicators:measurement_create", args=[indicator.pk])).status_code == 403
    response = client.post(
        reverse("indicators:measurement_create", args=[indicator.pk]), {"period_end": "2026-12-31", "value": "99"}
    )
    assert response.status_code == 403 and not Measurement.objects.filter(indicator=indicator).exists()


def test_refresh_is_idempotent_and_replaces_typed_values(world):
    year = timezone.localdate().year
    _teachers, social = staff_groups(world)
    Headcount.objects.create(unit=world.unit_a, staff_group=social, year=year, number=8)
    make_occasion(make_training(world), date(year, 1, 10), [(world.unit_a, social, 2)])
    indicator = make_share_indicator(world)
    Measurement.objects.create(indicator=indicator, period_end=date(year - 5, 12, 31), value=Decimal("70"))
    share_indicators_refresh(municipality=world.municipality, by=None)
    assert list(indicator.measurements.values_list("period_end", "value")) == [(date(year, 12, 31), Decimal("25.00"))]
    events = AuditEvent.objects.count()
    share_indicators_refresh(municipality=world.municipality, by=None)
    assert AuditEvent.objects.count() == events


def test_list_and_detail_query_counts(world):
    teachers, social = staff_groups(world)
    client = world.client("reader")

    def counted(url):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(url)  # the content types and the session, cached as they are in use
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    training = make_training(world)
    make_occasion(training, date(2026, 1, 1), [(world.unit_a, social, 1)])
    small = [counted(reverse("competence:list")), counted(reverse("competence:detail", args=[training.pk]))]
    small.append(counted(reverse("competence:overview") + "?ar=2026"))
    for n in range(20):
        other = make_training(world, f"Kurs {n}")
        make_occasion(other, date(2026, 1, 1), [(world.unit_b, teachers, n + 1)])
        make_occasion(training, date(2025, 1, n + 1), [(world.unit_b, teachers, 1), (world.unit_a, social, 2)])
        Headcount.objects.create(unit=world.unit_b, staff_group=teachers, year=2000 + n, number=5)
    large = [counted(reverse("competence:list")), counted(reverse("competence:detail", args=[training.pk]))]
    large.append(counted(reverse("competence:overview") + "?ar=2026"))
    assert small == large
    assert Training.objects.count() == 21


def test_the_overview_draws_the_shares_with_the_table_beside_them(world):
    from lxml import html as lxml_html

    year = timezone.localdate().year
    _teachers, social = staff_groups(world)
    Headcount.objects.create(unit=world.unit_a, staff_group=social, year=year, number=8)
    training = make_training(world)
    make_occasion(training, date(year, 1, 15), [(world.unit_a, social, 3), (world.unit_b, social, 2)])
    page = world.client("reader").get(reverse("competence:overview"), {"ar": year})
    doc = lxml_html.fromstring(page.content)
    (svg,) = doc.xpath('//figure[@class="chart-figure"]/*[local-name()="svg"]')
    assert svg.get("role") == "img"
    title = svg.xpath('*[local-name()="title"]')[0].text_content()
    assert title == f"Andel utbildad personal {year}, per enhet"
    texts = [t.text_content() for t in svg.xpath('.//*[local-name()="text"]')]
    bars = dict(zip(texts[0::2], texts[1::2], strict=True))
    # 3 of 8 in unit A; unit B has participants but no headcount; the municipality counts unit A only.
    assert bars[world.unit_a.name] == "37,5\u00a0%"
    assert bars[world.unit_b.name] == "antal anställda saknas"
    assert bars["Kommunen"] == "37,5\u00a0%"
    widths = [float(r.get("width")) for r in svg.xpath('.//*[local-name()="rect"]')]
    assert widths == [120.0, 120.0]  # 37.5 % of 320, no bar for the unknown share
    assert doc.xpath("//table/caption")[0].text_content() == title


def test_a_computed_indicator_says_why_it_has_no_share_this_year(world):
    from lxml import html as lxml_html

    year = timezone.localdate().year
    _teachers, social = staff_groups(world)
    indicator = make_share_indicator(world, unit=world.unit_a)
    make_occasion(make_training(world), date(year, 1, 15), [(world.unit_a, social, 3)])
    url = reverse("indicators:detail", args=[indicator.pk])

    def gap() -> str:
        found = lxml_html.fromstring(world.client("reader").get(url).content).xpath('//p[@id="share-gap"]')
        return " ".join(found[0].text_content().split()) if found else ""

    assert gap() == f"Ingen andel för {year}: {world.unit_a.name} har inget antal anställda för {year}."
    Headcount.objects.create(unit=world.unit_a, staff_group=_teachers, year=year, number=10)
    assert gap() == (
        f"Ingen andel för {year}: {world.unit_a.name} har deltagare i en personalgrupp som saknar antal anställda"
        f" för {year}."
    )
    Headcount.objects.create(unit=world.unit_a, staff_group=social, year=year, number=6)
    assert gap() == ""
    # Over every unit, one staff group: no unit has a headcount.
    ShareIndicator.objects.filter(indicator=indicator).update(unit=None, staff_group=social)
    Headcount.objects.all().delete()
    page = world.client("reader").get(url).content.decode()
    assert f"Ingen andel för {year}: ingen enhet har ett antal anställda för {year}." in page
