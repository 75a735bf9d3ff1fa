"""The inbox "Väntar på dig": each kind reaches the right person and leaves
when the work is done; another unit's or municipality's work never shows; the
header count; a fixed number of queries for 2 and for 20 items."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from conftest import make_round
from consultations.models import AgendaItem, View
from consultations.services import minutes_send
from followups.models import UnitReport
from followups.tests.test_followups import report_post
from inbox.models import Kind
from inbox.selectors import inbox_items
from public.models import PublicSite
from public.services import text_save
from remiss import services as remiss_services
from remiss.forms import parse_organisations
from surveys.models import Survey
from tests.formreader import submissions


def sv_(msgid: str) -> str:
    with translation.override("sv"):
        return gettext(msgid)


def items_of(world, role) -> list:
    return inbox_items(world.membership(role))


def titles(world, role, kind) -> list[str]:
    return [i.title for i in items_of(world, role) if i.kind == kind]


def inbox_page(world, role) -> str:
    response = world.client(role).get(reverse("inbox:list"))
    assert response.status_code == 200
    return response.content.decode()


def the_form(client, url, name: str):
    page = client.get(url)
    assert page.status_code == 200, url
    forms = [f for f in submissions(url, page.content) if f.name == name]
    assert forms, f"no form {name} on {url}"
    return forms[0]


def post(client, sub, **changes):
    data = dict(sub.data)
    for key, value in changes.items():
        data[key] = value if isinstance(value, list) else [value]
    return client.post(sub.action, data)


def overdue_item(world, days_ago=60) -> None:
    AgendaItem.objects.filter(pk=world.item.pk).update(decision_date=timezone.localdate() - timedelta(days=days_ago))


def sent_remiss(world, units, title="Remiss: Handlingsplan 2030"):
    remiss = remiss_services.remiss_create(
        plan=world.plan,
        by=world.users["coordinator"],
        title=title,
        dnr="E2025-02080-1",
        deadline=timezone.localdate() + timedelta(days=20),
        units=units,
        organisations=parse_organisations("Romska kvinnoföreningen, info@example.se"),
    )
    remiss_services.remiss_send(remiss=remiss, by=world.users["coordinator"])
    return remiss


def closed_survey(world, unit, name="Enkät om fritid") -> Survey:
    today = timezone.localdate()
    return Survey.objects.create(
        municipality=world.municipality, unit=unit, name=name, languages=["sv"],
        texts={"sv": {"title": name, "intro": ""}}, opens_on=today - timedelta(days=30),
        closes_on=today - timedelta(days=1), status=Survey.Status.CLOSED,
    )  # fmt: skip


# --- Reports ---------------------------------------------------------------------------


def test_a_report_waits_for_its_units_contacts_and_then_for_the_coordinator(world):
    report = world.report_a
    contact, coordinator = world.client("contact_a"), world.client("coordinator")
    title = f"{world.round.name}: the report of Socialnämnden"
    with translation.override("en"):
        assert titles(world, "contact_a", Kind.REPORT_TO_WRITE) == [title]
        # Contact B writes unit B's report, never unit A's; nobody else writes reports.
        assert titles(world, "contact_b", Kind.REPORT_TO_WRITE) == [
            f"{world.round.name}: the report of Hägersten-Älvsjö stadsdelsnämnd"
        ]
        assert items_of(world, "reader") == [] and items_of(world, "other_coordinator") == []
        assert titles(world, "coordinator", Kind.REPORT_TO_APPROVE) == []
    page = inbox_page(world, "contact_a")
    assert reverse("followups:report_edit", args=[report.pk]) in page
    assert "Hägersten-Älvsjö" not in page

    # Submitted: gone from the contact's inbox, waiting for the coordinator's approval.
    edit = reverse("followups:report_edit", args=[report.pk])
    assert contact.post(edit, report_post(report) | {"submit": "1"}).status_code == 302
    assert Kind.REPORT_TO_WRITE not in {i.kind for i in items_of(world, "contact_a")}
    assert reverse("followups:report_edit", args=[report.pk]) not in inbox_page(world, "contact_a")
    assert reverse("followups:report", args=[report.pk]) in inbox_page(world, "coordinator")
    assert items_of(world, "other_coordinator") == []  # another municipality's coordinator

    # Returned: back with the contact, as a returned report with the coordinator's comment.
    coordinator.post(reverse("followups:report_return", args=[report.pk]), {"comment": "Komplettera utmaningarna."})
    returned = [i for i in items_of(world, "contact_a") if i.kind == Kind.REPORT_RETURNED]
    assert [i.detail for i in returned] == ["Komplettera utmaningarna."]
    assert titles(world, "coordinator", Kind.REPORT_TO_APPROVE) == []
    report.refresh_from_db()
    contact.post(edit, report_post(report) | {"submit": "1"})
    coordinator.post(reverse("followups:report_approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == UnitReport.Status.APPROVED
    kinds = {i.kind for i in items_of(world, "contact_a")} | {i.kind for i in items_of(world, "coordinator")}
    assert not kinds & {Kind.REPORT_TO_WRITE, Kind.REPORT_RETURNED, Kind.REPORT_TO_APPROVE}


def test_due_dates_and_the_overdue_flag(world):
    today = timezone.localdate()
    late = make_round(
        world.plan, "Sen omgång", period_start=today - timedelta(days=90), period_end=today - timedelta(days=30),
        deadline=today - timedelta(days=1),
    )  # fmt: skip
    soon = make_round(
        world.plan, "Snar omgång", period_start=today - timedelta(days=30), period_end=today,
        deadline=today + timedelta(days=5),
    )  # fmt: skip
    items = [i for i in items_of(world, "contact_a") if i.kind == Kind.REPORT_TO_WRITE and " omgång" in i.title]
    assert [(i.title.split(":")[0], i.due, i.overdue) for i in items] == [
        ("Sen omgång", late.deadline, True),
        ("Snar omgång", soon.deadline, False),
    ]
    page = inbox_page(world, "contact_a")
    assert sv_("overdue") in page and late.deadline.isoformat() in page


# --- Consultations ---------------------------------------------------------------------


def test_overdue_feedback_waits_for_the_responsible_unit_until_it_is_given(world):
    overdue_item(world, days_ago=-10)  # decided in ten days: nothing is overdue yet
    assert titles(world, "contact_a", Kind.FEEDBACK_OVERDUE) == []
    overdue_item(world, days_ago=29)  # within the municipality's 30 days
    assert titles(world, "coordinator", Kind.FEEDBACK_OVERDUE) == []
    overdue_item(world)
    for role in ("contact_a", "coordinator"):
        assert [i.url for i in items_of(world, role) if i.kind == Kind.FEEDBACK_OVERDUE] == [
            reverse("consultations:feedback", args=[world.view.pk])
        ], role
    for role in ("contact_b", "reader", "representative", "other_coordinator"):
        assert Kind.FEEDBACK_OVERDUE not in {i.kind for i in items_of(world, role)}, role
        assert world.view.text not in inbox_page(world, role), role

    # The contact gives feedback as the browser sends the form: gone for everyone.
    contact = world.client("contact_a")
    url = reverse("consultations:feedback", args=[world.view.pk])
    sub = the_form(contact, url, "consultations:feedback")
    response = post(contact, sub, status="beaktad", reasoning="Två brobyggare anställs i söderort.")
    assert response.status_code == 302, response.content.decode()[:2000]
    for role in ("contact_a", "coordinator"):
        assert Kind.FEEDBACK_OVERDUE not in {i.kind for i in items_of(world, role)}, role


def test_feedback_under_preparation_is_still_overdue(world):
    from consultations.models import Feedback

    overdue_item(world)
    Feedback.objects.create(view=world.view, status=Feedback.Status.PREPARING, reasoning="Bereds.", unit=world.unit_a)
    assert titles(world, "contact_a", Kind.FEEDBACK_OVERDUE)


def test_minutes_wait_for_the_representative_until_they_comment(world):
    rep = world.membership("representative")
    minutes_send(minutes=world.minutes, by=world.users["coordinator"], reviewers=[rep])
    url = reverse("consultations:minutes", args=[world.minutes.pk])
    assert [i.url for i in items_of(world, "representative")] == [url]
    assert url in inbox_page(world, "representative")
    for role in ("contact_b", "coordinator", "other_coordinator"):
        assert Kind.MINUTES_TO_REVIEW not in {i.kind for i in items_of(world, role)}, role
    client = world.client("representative")
    sub = the_form(client, url, "consultations:minutes_comment")
    assert post(client, sub, text="Skriv att föreningen deltog.").status_code == 302
    assert items_of(world, "representative") == []
    assert sv_("Nothing is waiting for you. Well done!") in inbox_page(world, "representative")


# --- Remiss, translations, surveys --------------------------------------------------


def test_a_remiss_answer_waits_for_the_units_contacts_until_they_answer(world):
    remiss = sent_remiss(world, [world.unit_a])
    body = remiss.bodies.get(unit=world.unit_a)
    url = reverse("remiss:answer", args=[body.pk])
    assert [(i.url, i.due) for i in items_of(world, "contact_a") if i.kind == Kind.REMISS_ANSWER] == [
        (url, remiss.deadline)
    ]
    for role in ("contact_b", "coordinator", "reader", "other_coordinator"):
        assert Kind.REMISS_ANSWER not in {i.kind for i in items_of(world, role)}, role
    client = world.client("contact_a")
    sub = the_form(client, url, "remiss:answer")
    response = post(client, sub, stance="tillstyrker", officer="Anna Handläggare")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Kind.REMISS_ANSWER not in {i.kind for i in items_of(world, "contact_a")}


def test_a_translation_waits_for_someone_other_than_its_author(world):
    m = world.municipality
    PublicSite.objects.create(municipality=m, languages=["en"])
    text_save(
        obj=world.result_goal, municipality=m, language="sv", texts={"plain_summary": "Staden söker upp."}, by=None
    )
    text_save(
        obj=world.result_goal, municipality=m, language="en", texts={"plain_summary": "Outreach."},
        by=world.users["contact_a"],
    )  # fmt: skip
    waiting = [i for i in items_of(world, "coordinator") if i.kind == Kind.TRANSLATION_TO_CHECK]
    assert len(waiting) == 1 and "1.2.1" in waiting[0].title
    # The author does not review their own; a contact only their units' activities and events.
    for role in ("contact_a", "contact_b", "reader", "other_coordinator"):
        assert Kind.TRANSLATION_TO_CHECK not in {i.kind for i in items_of(world, role)}, role
    # A Swedish change sends it back to translation: nothing to check until it is translated again.
    text_save(obj=world.result_goal, municipality=m, language="sv", texts={"plain_summary": "Ändrad."}, by=None)
    assert Kind.TRANSLATION_TO_CHECK not in {i.kind for i in items_of(world, "coordinator")}
    text_save(
        obj=world.result_goal, municipality=m, language="en", texts={"plain_summary": "Changed."},
        by=world.users["contact_a"],
    )  # fmt: skip
    coordinator = world.client("coordinator")
    url = waiting[0].url
    sub = the_form(coordinator, url, "public_staff:translation|review")
    assert coordinator.post(sub.action, sub.data).status_code == 302
    assert Kind.TRANSLATION_TO_CHECK not in {i.kind for i in items_of(world, "coordinator")}


def test_a_closed_survey_waits_to_be_finalised(world):
    survey = closed_survey(world, world.unit_a)
    for role in ("contact_a", "coordinator"):
        assert [i.url for i in items_of(world, role) if i.kind == Kind.SURVEY_TO_FINALISE] == [
            reverse("surveys:detail", args=[survey.pk])
        ], role
    for role in ("contact_b", "reader", "other_coordinator", "representative"):
        assert Kind.SURVEY_TO_FINALISE not in {i.kind for i in items_of(world, role)}, role
    assert world.client("contact_a").post(reverse("surveys:finalise", args=[survey.pk])).status_code == 302
    survey.refresh_from_db()
    assert survey.status == Survey.Status.FINALISED
    assert Kind.SURVEY_TO_FINALISE not in {i.kind for i in items_of(world, "contact_a")}


# --- The header and the cost ------------------------------------------------------------


def test_the_header_counts_what_waits(world):
    overdue_item(world)
    n = len(items_of(world, "contact_a"))
    assert n >= 2  # the report and the overdue feedback
    page = world.client("contact_a").get(reverse("activities:list")).content.decode()
    assert f'<span class="inbox-count">{n}<span class="visually-hidden">' in page
    assert sv_("Waiting for you") in page
    # Nothing waits for the reader: no count.
    assert 'class="inbox-count"' not in world.client("reader").get(reverse("activities:list")).content.decode()


def test_the_header_count_is_kept_until_the_data_changes(world, page_cache, django_assert_max_num_queries):
    client = world.client("contact_a")
    url = reverse("inbox:preferences")
    client.get(url)
    with CaptureQueriesContext(connection) as cold:
        client.get(url)
    overdue_item(world)  # a write: a new data generation
    page = client.get(url).content.decode()
    assert f'<span class="inbox-count">{len(items_of(world, "contact_a"))}<' in page
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    assert len(warm.captured_queries) == len(cold.captured_queries)
    assert not any("followups_unitreport" in q["sql"] for q in warm.captured_queries)


def _grow(world, n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        rnd = make_round(world.plan, f"Omgång {n}-{i}")
        rnd.reports.filter(unit=world.unit_b).update(status=UnitReport.Status.SUBMITTED)
        View.objects.create(item=world.item, text=f"Synpunkt {n}-{i}")
        closed_survey(world, world.unit_a, name=f"Enkät {n}-{i}")
        sent_remiss(world, [world.unit_a], title=f"Remiss {n}-{i}")
    AgendaItem.objects.filter(pk=world.item.pk).update(decision_date=today - timedelta(days=60))


@pytest.mark.parametrize("role", ["contact_a", "coordinator"])
def test_queries_do_not_grow_with_the_items(world, role):
    counts, sizes = [], []
    for n in (2, 18):  # 2, then 20 of each
        _grow(world, n)
        membership = world.membership(role)
        membership.__dict__.pop("unit_ids", None)
        with CaptureQueriesContext(connection) as ctx:
            items = inbox_items(membership)
        counts.append(len(ctx.captured_queries))
        sizes.append(len(items))
    assert sizes[1] > sizes[0] >= 2
    assert counts[0] == counts[1], counts
