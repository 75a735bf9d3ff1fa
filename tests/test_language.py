"""The Swedish a municipal officer reads (issue 17 item 9): level names lower-cased mid-sentence,
nothing said twice, no raw codes, singular and plural, Swedish dates and amounts, statuses
with a capital letter where they stand alone, abbreviations explained."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from consultations.services import send_feedback_reminders
from followups.models import UnitReport
from lib.formatting import kronor, short_date, short_datetime
from plans.models import GoalKind, lower_first
from tests.formreader import submissions

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ENGLISH_MONTH = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")
RAW_KEYS = re.compile(r"barn_unga|ej_angivet|\baldre\b|'kvinnor'|\bman \d|\{'")


def page(world, role, name, *args) -> str:
    response = world.client(role).get(reverse(name, args=args), follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_dates_read_the_swedish_way():
    with translation.override("sv"):
        assert short_date(date(2026, 12, 6)) == "6 dec. 2026"
        assert short_date(date(2026, 5, 6)) == "6 maj 2026"
        assert short_date(date(2026, 3, 1)) == "1 mars 2026"
        # A moment is shown on its day in Stockholm: 23:30 UTC on 5 December is 00:30 on the 6th.
        assert short_datetime(datetime(2026, 12, 5, 23, 30, tzinfo=ZoneInfo("UTC"))) == "6 dec. 2026 00:30"
        assert short_date(None) == ""


def test_amounts_are_grouped_by_a_space():
    with translation.override("sv"):
        assert kronor(4500) == "4\xa0500 kr"
        assert kronor(1250000) == "1\xa0250\xa0000 kr"
        assert kronor(0) == "0 kr"


def test_an_activity_budget_and_a_consultation_compensation_are_grouped(world):
    world.activity.budget = 4500
    world.activity.save()
    assert "4\xa0500 kr" in page(world, "coordinator", "activities:detail", world.activity.pk)
    world.consultation.compensation_paid, world.consultation.compensation_total = True, 12000
    world.consultation.save()
    html = page(world, "coordinator", "consultations:detail", world.consultation.pk)
    assert "12\xa0000 kr" in html
    assert "12000" not in html


def test_level_names_are_lower_case_mid_sentence(world):
    html = page(world, "coordinator", "plans:detail", world.plan.pk)
    assert "Lägg till fokusområde" in html
    assert "Lägg till Fokusområde" not in html
    assert "Lägg till mål under det här målet" in page(world, "coordinator", "plans:goal", world.focus.pk)
    assert lower_first("Fokusområde") == "fokusområde"
    assert lower_first("KF-mål") == "KF-mål"  # an abbreviation keeps its capitals


def test_a_level_and_its_kind_of_goal_are_not_said_twice(world):
    level = world.plan.levels.get(depth=3)
    level.goal_kind = GoalKind.RESULTATMAL
    level.save()
    world.plan.levels.filter(depth=2).update(goal_kind="effektmal")
    html = page(world, "coordinator", "plans:detail", world.plan.pk)
    assert "Resultatmål (resultatmål)" not in html
    assert "Mål (effektmål)" in html  # a kind that adds something is still said
    world.result_goal.all_units = True
    world.result_goal.save()
    html = page(world, "coordinator", "plans:goal", world.result_goal.pk)
    assert "Samtliga nämnder och bolagsstyrelser" in html
    assert "(samtliga nämnder och bolagsstyrelser)" not in html


def test_one_overdue_view_is_one_synpunkt(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert send_feedback_reminders(today=date(2026, 11, 22)) == 2
    subjects = {m.subject for m in mail.outbox}
    assert subjects == {"Försenad återkoppling på 1 synpunkt"}


def test_attendance_is_told_in_words_with_girls_and_boys(world):
    client = world.client("coordinator")
    url = reverse("consultations:edit", args=[world.consultation.pk])
    html = client.get(url).content.decode()
    assert "barn och unga, flickor" in html and "barn och unga, pojkar" in html
    assert "vuxna, kvinnor" in html
    (form,) = [s for s in submissions(url, html.encode()) if s.action == url]
    data = form.data | {"att_barn_unga_kvinnor": ["6"], "att_barn_unga_man": ["7"], "att_vuxna_kvinnor": ["9"]}
    with time_machine.travel(datetime(2026, 12, 6, 14, 5, tzinfo=STOCKHOLM), tick=False):
        response = client.post(url, data, follow=True)
    assert response.status_code == 200
    world.consultation.refresh_from_db()
    assert world.consultation.attendance == {"barn_unga": {"kvinnor": 6, "man": 7}, "vuxna": {"kvinnor": 9}}
    html = page(world, "coordinator", "consultations:detail", world.consultation.pk)
    assert "barn och unga: flickor 6, pojkar 7; vuxna: kvinnor 9" in html  # the history
    assert not RAW_KEYS.search(html), RAW_KEYS.search(html)
    assert "6 dec. 2026 14:05" in html
    assert not ENGLISH_MONTH.search(html), ENGLISH_MONTH.search(html)


def test_an_approved_report_is_refused_as_approved(world):
    report = world.report_a
    report.status, report.approved_at = UnitReport.Status.APPROVED, timezone.now()
    report.save()
    html = page(world, "contact_a", "followups:report_edit", report.pk)
    assert "Rapporten är godkänd och kan inte längre ändras." in html
    assert "Rapporten har lämnats in" not in html


def test_statuses_standing_alone_start_with_a_capital(world):
    html = page(world, "coordinator", "followups:round", world.round.pk)
    assert re.search(r'<span class="state state-utkast">Utkast</span>', html)
    assert not re.search(r'<span class="state state-utkast">utkast</span>', html)
    html = page(world, "coordinator", "plans:list")
    assert re.search(r'<span class="status status-antagen">Antagen</span>', html)


def test_periods_are_named_for_what_they_are(world):
    assert "<dt>Uppföljningsperiod</dt>" in page(world, "coordinator", "followups:round", world.round.pk)
    assert "Giltighetstid" in page(world, "coordinator", "plans:list")
    assert "Giltighetstid" not in page(world, "coordinator", "activities:detail", world.activity.pk)


def test_short_unit_names_are_explained(world):
    html = page(world, "coordinator", "activities:list")
    assert '<abbr title="Socialnämnden">SN</abbr>' in html
    html = page(world, "coordinator", "consultations:list")
    assert '<abbr title="Socialnämnden">SN</abbr>' in html


def test_public_is_offentlig(world):
    world.activity.visibility = "publik"
    world.activity.save()
    html = page(world, "coordinator", "activities:detail", world.activity.pk)
    assert "Offentlig" in html
    assert not re.search(r"\b[Pp]ublik(a|t)?\b", re.sub(r'href="[^"]*"|action="[^"]*"', "", html))


def test_an_empty_filter_reads_motsvarar_urvalet(world):
    response = world.client("coordinator").get(reverse("activities:list"), {"q": "finns-inte-alls"})
    html = response.content.decode()
    assert "Ingen aktivitet motsvarar urvalet." in html
    assert "matchar filtret" not in html
    with translation.override("sv"):
        assert translation.gettext("Fingerprint") == "Kontrollsumma"
