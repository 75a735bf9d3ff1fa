from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from activities.services import activity_update
from conftest import make_activity, make_round
from followups.models import ReminderSent, Round, UnitReport
from followups.selectors import coverage
from followups.services import send_followup_reminders
from organisations.models import OrgUnit
from plans.models import Goal, GoalResponsibility


def report_post(report, **entry_values):
    """The report form as a browser posts it, with every entry filled."""
    data = {"summary": "", "version": report.version}
    for entry in report.entries.all():
        p = f"e{entry.pk}"
        data |= {
            f"{p}-result": entry_values.get("result", "Två brobyggare har stöttat 40 familjer."),
            f"{p}-challenges": entry_values.get("challenges", "Tillfällig finansiering."),
            f"{p}-assessment": entry_values.get("assessment", "delvis"),
        }
    for activity in report.unit.activities.all():
        data |= {f"a{activity.pk}-status": activity.status_id, f"a{activity.pk}-comment": ""}
    return data


def test_opening_a_round_gives_every_responsible_unit_a_report(world):
    client = world.client("coordinator")
    response = client.post(
        reverse("followups:round_create"),
        {
            "plan": world.plan.pk,
            "name": "Verksamhetsberättelse 2026",
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
            "deadline": "2027-02-15",
            "extra_1_label": "Antal deltagare",
            "extra_1_kind": "number",
        },
    )
    assert response.status_code == 302
    rnd = Round.objects.get(name="Verksamhetsberättelse 2026")
    units = {r.unit for r in rnd.reports.all()}
    # Socialnämnden directly, Hägersten-Älvsjö through Stadsdelsnämnderna, KS as co-responsible.
    assert units == {world.unit_a, world.unit_b, world.unit_ks}
    for report in rnd.reports.all():
        assert [e.goal for e in report.entries.all()] == [world.result_goal]
    assert [f.label for f in rnd.fields.all()] == ["Antal deltagare"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"period_end": "2025-01-01"}, "period_end"), ({"deadline": "2025-01-01"}, "deadline"), ({"name": ""}, "name")],
)
def test_bad_round_input(world, overrides, field):
    data = {"plan": world.plan.pk, "name": "T3", "period_start": "2026-01-01", "period_end": "2026-04-30"}
    data |= {"deadline": "2026-05-15"} | overrides
    response = world.client("coordinator").post(reverse("followups:round_create"), data)
    assert field in response.context["form"].errors
    assert not Round.objects.filter(name="T3").exists()


def test_the_whole_report_loop(world):
    report = world.report_a
    contact, coordinator = world.client("contact_a"), world.client("coordinator")
    edit = reverse("followups:report_edit", args=[report.pk])

    # Submitting an empty report is refused with what is missing.
    response = contact.post(reverse("followups:report_submit", args=[report.pk]), follow=True)
    report.refresh_from_db()
    assert report.status == UnitReport.Status.DRAFT
    assert "1.2.1" in response.content.decode()

    # The contact fills and submits; the activity's status follows the report.
    delayed = world.plan.activity_statuses.get(name="Försenad")
    data = report_post(report) | {f"a{world.activity.pk}-status": delayed.pk, "submit": "1"}
    assert contact.post(edit, data).status_code == 302
    report.refresh_from_db()
    world.activity.refresh_from_db()
    assert report.status == UnitReport.Status.SUBMITTED
    assert world.activity.status == delayed
    assert contact.get(edit).status_code == 302  # no longer editable

    # A contact cannot review.
    assert contact.post(reverse("followups:report_approve", args=[report.pk])).status_code == 403

    # The coordinator returns it with a comment; the contact completes and resubmits.
    coordinator.post(reverse("followups:report_return", args=[report.pk]), {"comment": "Komplettera utmaningarna."})
    report.refresh_from_db()
    assert (report.status, report.return_comment) == (UnitReport.Status.RETURNED, "Komplettera utmaningarna.")
    assert "Komplettera utmaningarna." in contact.get(reverse("followups:report", args=[report.pk])).content.decode()
    data = report_post(report, challenges="Svårt att nå familjer utan brobyggare.") | {"submit": "1"}
    assert contact.post(edit, data).status_code == 302
    report.refresh_from_db()
    assert report.status == UnitReport.Status.SUBMITTED

    # Approval freezes what the report said.
    coordinator.post(reverse("followups:report_approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == UnitReport.Status.APPROVED
    assert report.snapshot["entries"][0]["challenges"] == "Svårt att nå familjer utan brobyggare."
    assert report.snapshot["activities"][0]["status"] == "Försenad"
    activity_update(
        activity=world.activity, by=None, fields={"title": "Nytt namn", "status": world.plan.activity_statuses.first()}
    )
    page = coordinator.get(reverse("followups:report", args=[report.pk])).content.decode()
    assert "Brobyggare i socialtjänsten" in page and "Nytt namn" not in page
    assert "Försenad" in page


def test_return_needs_a_comment(world):
    report = world.report_a
    world.client("contact_a").post(
        reverse("followups:report_edit", args=[report.pk]), report_post(report) | {"submit": "1"}
    )
    world.client("coordinator").post(reverse("followups:report_return", args=[report.pk]), {"comment": ""})
    report.refresh_from_db()
    assert report.status == UnitReport.Status.SUBMITTED


def test_two_people_save_the_same_report(world):
    report = world.report_a
    first, second = world.client("contact_a"), world.client("coordinator")
    edit = reverse("followups:report_edit", args=[report.pk])
    data = report_post(report)
    assert first.post(edit, data).status_code == 302
    key = f"e{report.entries.get().pk}-result"
    response = second.post(edit, data | {key: "Mitt eget svar"})
    assert response.status_code == 409
    assert response.context["form"][key].value() == "Mitt eget svar"
    assert report.entries.get().result == "Två brobyggare har stöttat 40 familjer."


def test_changes_since_the_previous_approved_report(world):
    client = world.client("contact_a")
    coordinator = world.client("coordinator")
    first = world.report_a
    client.post(reverse("followups:report_edit", args=[first.pk]), report_post(first) | {"submit": "1"})
    coordinator.post(reverse("followups:report_approve", args=[first.pk]))
    later = make_round(
        world.plan, "Tertial 3 2026", period_start=date(2026, 9, 1), period_end=date(2026, 12, 31),
        deadline=date(2027, 1, 31),
    )  # fmt: skip
    second = later.reports.get(unit=world.unit_a)
    make_activity(world.plan, world.unit_a, [world.result_goal], title="Läxhjälp", start_date=date(2026, 10, 1))
    client.post(reverse("followups:report_edit", args=[second.pk]), report_post(second, assessment="uppfyllt"))
    page = client.get(reverse("followups:report", args=[second.pk])).content.decode()
    assert "Tertial 2 2026" in page  # compared with
    changes = client.get(reverse("followups:report", args=[second.pk])).context["changes"]
    kinds = {(c.what, c.field) for c in changes}
    assert ("1.2.1", "Assessment") in kinds or ("1.2.1", "Bedömning") in kinds
    assert any(c.title == "Läxhjälp" for c in changes)


def test_late_reports(world):
    world.round.deadline = date(2026, 1, 1)
    world.round.save()
    assert world.report_a.is_late(on=date(2026, 1, 2))
    assert not world.report_a.is_late(on=date(2026, 1, 1))
    page = world.client("coordinator").get(reverse("followups:round", args=[world.round.pk]))
    assert page.context["progress"].late == 3


def test_round_page_tables(world):
    """The round's tables (written in Python, followups/templatetags/round_tables.py):
    a row per unit report with its link, number of goals, state, "late" marker and
    dates; a row per goal with the number of units per assessment."""
    world.round.deadline = timezone.localdate() - timedelta(days=1)
    world.round.save()
    report_b = world.round.reports.get(unit=world.unit_b)
    world.client("contact_b").post(
        reverse("followups:report_edit", args=[report_b.pk]), report_post(report_b) | {"submit": "1"}
    )
    coordinator = world.client("coordinator")
    coordinator.post(reverse("followups:report_approve", args=[report_b.pk]))
    page = coordinator.get(reverse("followups:round", args=[world.round.pk]))
    document = lxml_html.document_fromstring(page.content)
    tables = document.xpath("//table")
    rows = {
        tr.xpath("string(td[1])"): [" ".join(td.text_content().split()) for td in tr.xpath("td")]
        for tr in tables[0].xpath("tbody/tr")
    }
    today = timezone.localdate().isoformat()
    assert rows == {
        "Hägersten-Älvsjö stadsdelsnämnd": ["Hägersten-Älvsjö stadsdelsnämnd", "1", "Godkänd", today, today],
        "Kommunstyrelsen": ["Kommunstyrelsen", "1", "Utkast försenad", "—", "—"],
        "Socialnämnden": ["Socialnämnden", "1", "Utkast försenad", "—", "—"],
    }
    links = tables[0].xpath("tbody/tr/td[1]/a/@href")
    assert reverse("followups:report", args=[report_b.pk]) in links and len(links) == 3
    (goal_row,) = tables[1].xpath("tbody/tr")
    assert goal_row.xpath("string(th)") == f"{world.result_goal.code} {world.result_goal.title}"
    assert goal_row.xpath("th/a/@href") == [reverse("plans:goal", args=[world.result_goal.pk])]
    headers = [th.text_content() for th in tables[1].xpath("thead/tr/th")][1:]
    assert headers == ["Uppfyllt", "Delvis uppfyllt", "Ej uppfyllt", "Ej bedömt"]
    assert [td.text_content() for td in goal_row.xpath("td")] == ["0", "1", "0", "0"]  # unit B: partly met


def test_reminders_are_sent_once_per_kind(world, django_capture_on_commit_callbacks):
    deadline = world.round.deadline
    with django_capture_on_commit_callbacks(execute=True):  # sent after the commit (outbox)
        assert send_followup_reminders(today=date(2026, 9, 1)) == 0  # too early
        assert send_followup_reminders(today=date(2026, 9, 25)) == 2  # contact A and contact B
        assert send_followup_reminders(today=date(2026, 9, 26)) == 0
    assert len(mail.outbox) == 2
    assert "/uppfoljning/rapport/" in mail.outbox[0].body
    world.client("contact_b").post(
        reverse("followups:report_edit", args=[world.round.reports.get(unit=world.unit_b).pk]),
        report_post(world.round.reports.get(unit=world.unit_b)) | {"submit": "1"},
    )
    call_command("send_followup_reminders", "--date", str(deadline + timedelta(days=1)))
    assert len(mail.outbox) == 3  # only unit A's contact: unit B has submitted
    assert ReminderSent.objects.filter(kind="efter").count() == 1
    call_command("send_followup_reminders", "--date", str(deadline + timedelta(days=2)))
    assert len(mail.outbox) == 3


def test_coverage_flags_responsible_units_without_activity(world):
    matrix = coverage(world.plan)
    row = next(r for r in matrix.rows if r.goal == world.result_goal)
    cells = {c.unit: c for c in row.cells}
    assert cells[world.unit_a].count == 1 and not cells[world.unit_a].gap
    assert cells[world.unit_b].gap and cells[world.unit_ks].gap and cells[world.unit_ks].role == "co"
    page = world.client("reader").get(reverse("followups:coverage")).content.decode()
    assert "cell-gap" in page
    export = world.client("reader").get(reverse("followups:coverage_export"))
    assert export.status_code == 200 and export["Content-Type"].endswith("spreadsheetml.sheet")


def test_coverage_filters(world):
    page = world.client("reader").get(reverse("followups:coverage"), {"enhet": world.unit_b.pk})
    assert [u.pk for u in page.context["matrix"].units] == [world.unit_b.pk]
    page = world.client("reader").get(reverse("followups:coverage"), {"omrade": "arbete"})
    assert page.context["matrix"].rows == []


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_rows(world):
    client = world.client("coordinator")
    # One approved report to start with, so that coverage reads assessments in both cases.
    report_b = world.round.reports.get(unit=world.unit_b)
    client.post(reverse("followups:report_edit", args=[report_b.pk]), report_post(report_b) | {"submit": "1"})
    client.post(reverse("followups:report_approve", args=[report_b.pk]))
    urls = [
        reverse("followups:rounds"),
        reverse("followups:round", args=[world.round.pk]),
        reverse("followups:report", args=[world.report_a.pk]),
        reverse("followups:report_edit", args=[world.report_a.pk]),
        reverse("followups:coverage"),
        reverse("home:start"),
    ]
    before = [_queries(client, url) for url in urls]
    units = [
        OrgUnit.objects.create(municipality=world.municipality, kind="namnd", name=f"Nämnd {i}", short_name=f"N{i}")
        for i in range(49)
    ]
    for i in range(49):
        goal = Goal.objects.create(
            plan=world.plan, parent=world.goal, depth=3, code=f"1.2.{i + 2}", title=f"Mål {i}", position=i + 2
        )
        GoalResponsibility.objects.create(goal=goal, unit=units[i])
        GoalResponsibility.objects.create(goal=goal, unit=world.unit_a)
        make_activity(world.plan, world.unit_a, [goal, world.result_goal], title=f"Aktivitet {i}")
        make_activity(world.plan, units[i], [goal], title=f"Insats {i}")
    for i in range(49):
        make_round(world.plan, f"Omgång {i}")
    report = Round.objects.get(name="Omgång 0").reports.get(unit=world.unit_a)
    client.post(reverse("followups:report_edit", args=[report.pk]), report_post(report) | {"submit": "1"})
    client.post(reverse("followups:report_approve", args=[report.pk]))
    urls[1] = reverse("followups:round", args=[report.round_id])
    urls[2] = urls[3] = None
    after = [_queries(client, url) if url else b for url, b in zip(urls, before, strict=True)]
    assert after == before
    # The report pages: 50 goals and 50 activities against one.
    second = Round.objects.get(name="Omgång 1").reports.get(unit=world.unit_a)
    assert second.entries.count() == 50
    assert _queries(client, reverse("followups:report", args=[second.pk])) == before[2]
    assert _queries(client, reverse("followups:report_edit", args=[second.pk])) == before[3]


def test_approving_and_returning_at_once_cannot_both_win(world):
    """Two coordinators act on the same submitted report from pages loaded at the same time."""
    from followups.services import report_approve, report_return
    from lib.locking import StaleEdit

    report = world.report_a
    edit = reverse("followups:report_edit", args=[report.pk])
    world.client("contact_a").post(edit, report_post(report) | {"submit": "1"})
    first, second = UnitReport.objects.get(pk=report.pk), UnitReport.objects.get(pk=report.pk)
    report_approve(report=first, by=world.users["coordinator"])
    with pytest.raises(StaleEdit):
        report_return(report=second, by=world.users["coordinator"], comment="Komplettera.")
    report.refresh_from_db()
    assert (report.status, report.return_comment) == (UnitReport.Status.APPROVED, "")


def test_renaming_a_round_to_a_taken_name_is_refused(world):
    make_round(world.plan, "Tertial 3 2026")
    client = world.client("coordinator")
    data = {
        "name": "Tertial 3 2026",
        "period_start": "2026-05-01",
        "period_end": "2026-08-31",
        "deadline": "2026-09-30",
    }
    response = client.post(reverse("followups:round_edit", args=[world.round.pk]), data)
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
