from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from audit.models import AuditEvent
from organisations.models import OrgUnit
from outreach.models import OutreachRecord
from outreach.selectors import outreach_published, outreach_summary, year_grid
from outreach.services import outreach_month_save
from tests.formreader import submissions


def form_of(client, url: str) -> dict:
    page = client.get(url)
    assert page.status_code == 200
    (sub,) = [s for s in submissions(url, page.content) if s.action == url]
    return dict(sub.data)


def this_month() -> date:
    return timezone.localdate().replace(day=1)


def month_url(unit, month: date) -> str:
    return reverse("outreach:month", args=[unit.pk, month.year, month.month])


COUNTS = {
    "contacts": 12, "area_skola": 5, "area_socialtjanst": 3, "area_bostad": 2, "area_halsa": 1, "area_arbete": 1,
    "channel_besok": 6, "channel_telefon": 4, "channel_plats": 2, "referrals": 4,
}  # fmt: skip


def save(world, unit=None, month=None, goals=(), **counts):
    return outreach_month_save(
        unit=unit or world.unit_a,
        month=month or this_month(),
        counts=counts or COUNTS,
        by=None,
        activity=world.activity,
        goals=goals,
    )


def test_a_contact_enters_a_month_as_the_browser_sends_it(world):
    client = world.client("contact_a")
    url = month_url(world.unit_a, this_month())
    data = form_of(client, url)
    data |= {name: [str(n)] for name, n in COUNTS.items()}
    data |= {"activity": [str(world.activity.pk)], "goals": [str(world.result_goal.pk)]}
    response = client.post(url, data)
    assert response.status_code == 302
    record = OutreachRecord.objects.get(unit=world.unit_a, month=this_month())
    assert record.contacts == 12 and record.area_skola == 5 and record.channel_plats == 2 and record.referrals == 4
    assert record.area_ovrigt == 0 and record.channel_digitalt == 0
    assert list(record.goals.all()) == [world.result_goal] and record.activity == world.activity
    event = AuditEvent.objects.get(
        object_id=str(record.pk), content_type__model="outreachrecord", action=AuditEvent.Action.CREATE
    )
    assert event.changes["contacts"][0] is None and str(event.changes["contacts"][1]) == "12"
    # The month grid shows it; the link to change it is there for the contact.
    page = client.get(response["Location"])
    doc = lxml_html.fromstring(page.content)
    row = doc.xpath('//table[@id="outreach-grid"]/tbody/tr')[this_month().month - 1]
    assert [c.text_content() for c in row.xpath("td[@class='num']")][:2] == ["12", "5"]
    assert row.xpath(f'.//a[@href="{url}"]')


def test_changing_a_month_is_audited_and_the_next_month_starts_from_its_goals(world):
    month = this_month()
    previous = (month - timezone.timedelta(days=1)).replace(day=1)
    record = save(world, month=previous, goals=[world.result_goal])
    client = world.client("coordinator")
    url = month_url(world.unit_a, previous)
    data = form_of(client, url)
    data |= {"contacts": ["13"], "area_ovrigt": ["1"], "channel_digitalt": ["1"]}
    assert client.post(url, data).status_code == 302
    record.refresh_from_db()
    assert record.contacts == 13
    event = AuditEvent.objects.get(
        object_id=str(record.pk), content_type__model="outreachrecord", action=AuditEvent.Action.UPDATE
    )
    assert set(event.changes) == {"contacts", "area_ovrigt", "channel_digitalt"}
    # A new month is offered with the latest month's activity and goals.
    data = form_of(client, month_url(world.unit_a, month))
    assert data["goals"] == [str(world.result_goal.pk)] and data["activity"] == [str(world.activity.pk)]


@pytest.mark.parametrize(
    "change, error",
    [
        ({"area_skola": ["6"]}, "13"),  # areas add up to 13, not 12
        ({"channel_besok": ["5"]}, "11"),  # channels add up to 11
        ({"referrals": ["-1"]}, "negativ"),
        ({"contacts": ["tolv"]}, "heltal"),
    ],
)
def test_the_form_refuses_counts_that_do_not_add_up(world, change, error):
    client = world.client("contact_a")
    url = month_url(world.unit_a, this_month())
    data = form_of(client, url) | {name: [str(n)] for name, n in COUNTS.items()} | change
    response = client.post(url, data)
    assert response.status_code == 200 and error in response.content.decode()
    assert not OutreachRecord.objects.exists() and not AuditEvent.objects.filter(object_repr__contains="SN").exists()


def test_the_database_refuses_counts_that_do_not_add_up(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutreachRecord.objects.create(
            municipality=world.municipality, unit=world.unit_a, month=this_month(), contacts=3, area_skola=2,
            channel_besok=3,
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        OutreachRecord.objects.create(municipality=world.municipality, unit=world.unit_a, month=date(2026, 1, 2))
    save(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutreachRecord.objects.create(municipality=world.municipality, unit=world.unit_a, month=this_month())


def test_a_contact_enters_only_their_own_units_and_no_month_to_come(world):
    client = world.client("contact_a")
    assert client.get(month_url(world.unit_b, this_month())).status_code == 403
    assert client.post(month_url(world.unit_b, this_month()), COUNTS).status_code == 403
    assert client.get(month_url(world.other_unit, this_month())).status_code == 404
    month = this_month()
    coming = date(month.year + 1, month.month, 1)
    assert client.get(month_url(world.unit_a, coming)).status_code == 404
    assert client.get(reverse("outreach:month", args=[world.unit_a.pk, 2026, 13])).status_code == 404
    # The reader sees the grid, without links to enter.
    page = world.client("reader").get(reverse("outreach:list") + f"?enhet={world.unit_a.pk}")
    assert page.status_code == 200 and b"/uppsokande/" + str(world.unit_a.pk).encode() not in page.content
    assert not OutreachRecord.objects.exists()


def test_the_summary_sums_per_goal_and_unit(world):
    month = this_month()
    save(world, goals=[world.result_goal, world.goal])
    save(world, unit=world.unit_b, goals=[world.result_goal], contacts=2, area_bostad=2, channel_telefon=2)
    summary = outreach_summary(world.municipality, start=month, end=month)
    assert summary.totals["contacts"] == 14 and summary.totals["area_bostad"] == 4 and summary.months == 2
    assert {row.obj: row.counts["contacts"] for row in summary.by_unit} == {world.unit_a: 12, world.unit_b: 2}
    assert [(row.obj, row.counts["contacts"]) for row in summary.by_goal] == [(world.goal, 12), (world.result_goal, 14)]
    # Another municipality's outreach is not counted.
    other = outreach_summary(world.other_municipality, start=month, end=month)
    assert other.totals["contacts"] == 0 and not other.by_unit
    page = world.client("reader").get(reverse("outreach:summary"), {"fran": f"{month:%Y-%m}", "till": f"{month:%Y-%m}"})
    content = page.content.decode()
    assert "1.2.1 Stadens verksamheter arbetar uppsökande" in content and ">14<" in content


def test_published_outreach_hides_small_counts(world):
    save(world)  # school 5, social services 3, housing 2, health 1, work 1; referrals 4
    summary = outreach_summary(world.municipality, start=this_month(), end=this_month())
    published = outreach_published(summary, k=5)
    areas = {code: cell for code, _label, cell in published.areas}
    assert str(published.contacts) == "12"
    assert areas["skola"].suppressed and areas["socialtjanst"].suppressed and areas["halsa"].suppressed
    assert str(areas["ovrigt"]) == "0"
    assert published.referrals.suppressed
    small = outreach_published(outreach_summary(world.municipality, start=date(2000, 1, 1), end=date(2000, 1, 1)), k=5)
    assert str(small.contacts) == "0"


def _records(world, n: int):
    units = [
        OrgUnit.objects.create(municipality=world.municipality, name=f"Enhet {i}", short_name=f"E{i}") for i in range(n)
    ]
    for unit in units:
        save(world, unit=unit, goals=[world.result_goal])


@pytest.mark.parametrize("n", [5, 50])
def test_the_summary_and_grid_take_a_fixed_number_of_queries(world, n):
    _records(world, n)
    month = this_month()
    with CaptureQueriesContext(connection) as queries:
        summary = outreach_summary(world.municipality, start=month, end=month)
        year_grid(world.unit_a, month.year, today=timezone.localdate())
    assert summary.months == n
    assert len(queries) == 7


def test_the_demo_split_adds_up():
    from outreach.demo import split

    for total in (0, 1, 7, 34, 61):
        parts = split(total, {"skola": 78, "socialtjanst": 8, "halsa": 6, "bostad": 3, "ovrigt": 5})
        assert sum(parts.values()) == total and min(parts.values()) >= 0
    assert split(10, {"a": 50, "b": 50}) == {"a": 5, "b": 5}


def _errors_of(content: bytes) -> list[str]:
    doc = lxml_html.fromstring(content)
    return [li.text_content().strip() for li in doc.xpath("//div[@data-error-summary]//li")]


def test_a_month_that_does_not_add_up_shows_only_the_forms_own_messages(world):
    """Both sums wrong: the two messages with the numbers, not the constraints' again
    (the ModelForm validates the model's constraints after clean())."""
    client = world.client("contact_a")
    url = month_url(world.unit_a, this_month())
    data = form_of(client, url) | {name: [str(n)] for name, n in COUNTS.items()}
    data |= {"area_skola": ["6"], "channel_besok": ["5"]}
    response = client.post(url, data)
    assert response.status_code == 200
    errors = _errors_of(response.content)
    assert len(errors) == 2, errors
    assert errors[0].startswith("Kontakterna per behovsområde blir sammanlagt 13, inte 12")
    assert errors[1].startswith("Kontakterna per kanal blir sammanlagt 11, inte 12")
    page = response.content.decode()
    assert "outreach_areas_add_up" not in page and "outreach_channels_add_up" not in page
    assert "Begränsningen" not in page and not OutreachRecord.objects.exists()


def test_the_constraints_say_in_words_what_is_wrong_on_any_other_path(world):
    from django.core.exceptions import ValidationError

    record = OutreachRecord(
        municipality=world.municipality, unit=world.unit_a, month=this_month(), contacts=3, area_skola=2,
        channel_besok=3,
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        record.full_clean()
    messages = caught.value.message_dict["__all__"]
    assert messages == ["Kontakterna per behovsområde måste sammanlagt bli lika många som antalet kontakter."]


def test_the_months_pickers_put_the_units_own_goals_and_activities_first_and_filter(world):
    from conftest import make_activity

    make_activity(world.plan, world.unit_b, [], title="Språkcafé på biblioteket")
    client = world.client("contact_a")
    doc = lxml_html.fromstring(client.get(month_url(world.unit_a, this_month())).content)
    select = doc.get_element_by_id("id_activity")
    assert select.getparent().get("data-filter-picker") is not None
    groups = select.xpath("optgroup")
    assert [g.get("label") for g in groups] == ["Enhetens aktiviteter", "Övriga aktiviteter"]
    assert [o.text_content() for o in groups[0].xpath("option")] == [
        f"{world.activity.reference} {world.activity.title}"
    ]
    assert "Språkcafé på biblioteket" in groups[1].text_content()
    assert doc.xpath('//input[@name="goals"]/ancestor::*[@data-filter-picker]')
    own_goals = doc.xpath('//fieldset[legend[normalize-space()="Enhetens mål"]]//input[@name="goals"]/@value')
    assert str(world.result_goal.pk) in own_goals


def months_before(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 - n
    return date(index // 12, index % 12 + 1, 1)


def test_the_goal_page_sums_the_goals_outreach_of_the_last_twelve_months(world):
    from outreach.selectors import goal_outreach

    month = this_month()
    save(world, goals=[world.result_goal])  # 12 contacts, 4 referrals
    save(world, unit=world.unit_b, month=months_before(month, 11), goals=[world.result_goal],
         contacts=2, area_bostad=2, channel_telefon=2, referrals=1)  # fmt: skip
    save(world, unit=world.unit_b, month=months_before(month, 12), goals=[world.result_goal],
         contacts=7, area_halsa=7, channel_besok=7)  # fmt: skip
    save(world, unit=world.unit_b, goals=[world.goal], contacts=3, area_arbete=3, channel_besok=3)
    with CaptureQueriesContext(connection) as queries:
        outreach = goal_outreach(world.result_goal, today=timezone.localdate())
    assert len(queries) == 1
    assert (outreach.months, outreach.units) == (2, 2)
    assert outreach.totals["contacts"] == 14 and outreach.totals["referrals"] == 5
    assert outreach.totals["area_halsa"] == 1 and outreach.totals["area_bostad"] == 4
    assert outreach.start == months_before(month, 11) and outreach.end == month
    assert goal_outreach(world.goal, today=timezone.localdate()).months == 1

    url = reverse("plans:goal", args=[world.result_goal.pk])
    doc = lxml_html.fromstring(world.client("reader").get(url).content)
    (section,) = doc.xpath('//section[@aria-labelledby="goal-outreach-heading"]')
    text = " ".join(section.text_content().split())
    assert "2 enhetsmånader kopplade till målet" in text, text
    rows = {r.xpath("th")[0].text_content(): r.xpath("td")[0].text_content() for r in section.xpath(".//tr[td]")}
    assert rows["Bostad"] == "4" and rows["Skola"] == "5" and rows["Hälsa"] == "1"
    assert rows["Kontakter totalt"] == "14" and rows["Hänvisningar"] == "5"
    (link,) = section.xpath(".//a/@href")
    assert link == f"{reverse('outreach:summary')}?fran={months_before(month, 11):%Y-%m}&till={month:%Y-%m}"


def test_the_goal_page_has_no_outreach_section_without_months_or_for_a_representative(world):
    url = reverse("plans:goal", args=[world.result_goal.pk])
    assert b"goal-outreach-heading" not in world.client("coordinator").get(url).content
    save(world, goals=[world.result_goal])
    assert b"goal-outreach-heading" in world.client("coordinator").get(url).content
    response = world.client("representative").get(url)
    assert b"goal-outreach-heading" not in response.content
