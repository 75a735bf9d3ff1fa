"""The coordinator's start page's tables written in Python (home.templatetags.start_tags),
and which of a contact's activities need an update."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import Truncator

from activities.models import Activity, ProgressNote
from conftest import make_activity
from followups.models import ReportEntry, Round, UnitReport
from plans.models import Goal


def between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def test_coordinator_sees_each_units_report_and_the_assessments_per_goal(world):
    Round.objects.filter(pk=world.round.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    UnitReport.objects.filter(pk=world.report_a.pk).update(status=UnitReport.Status.SUBMITTED)
    long_title = "Stadens verksamheter arbetar uppsökande <och> " * 3
    Goal.objects.filter(pk=world.result_goal.pk).update(title=long_title)
    ReportEntry.objects.filter(report=world.report_a, goal=world.result_goal).update(assessment="delvis")
    html = world.client("coordinator").get(reverse("home:start")).content.decode()

    reports = between(html, '<caption class="visually-hidden">Enhetsrapporter</caption>', "</table>")
    rows = {}
    for report in world.round.reports.select_related("unit"):
        url = reverse("followups:report", args=[report.pk])
        rows[report.unit.name] = f'<tr><td><a href="{url}">{report.unit.name}</a></td>'
    submitted = rows.pop("Socialnämnden")
    assert f'{submitted}<td><span class="state state-inlamnad">Inlämnad</span></td></tr>' in reports
    for start in rows.values():  # the drafts: late, the deadline has passed
        assert (
            f'{start}<td><span class="state state-utkast">Utkast</span> <span class="late">försenad</span></td></tr>'
            in reports
        )
    assert reports.index(submitted) < min(reports.index(start) for start in rows.values())  # by state (code)

    goals = between(html, '<caption class="visually-hidden">Bedömningar per mål</caption>', "</table>")
    url = reverse("plans:goal", args=[world.result_goal.pk])
    shortened = escape(Truncator(long_title).chars(70))  # as the truncatechars:70 the template had
    assert shortened.endswith("…")
    assert (
        f'<tr><th scope="row"><a href="{url}">1.2.1</a> {shortened}</th><td>0</td><td>1</td><td>0</td><td>0</td></tr>'
        in goals
    )


def test_an_activity_needs_an_update_without_a_change_or_a_progress_note_in_six_months(world):
    today = timezone.localdate()
    old = timezone.now() - timedelta(days=200)
    quiet = make_activity(world.plan, world.unit_a, [world.result_goal], title="Tyst")
    old_note = make_activity(world.plan, world.unit_a, [world.result_goal], title="Gammal anteckning")
    ProgressNote.objects.create(activity=old_note, text="Förr.", date=today - timedelta(days=181))
    new_note = make_activity(world.plan, world.unit_a, [world.result_goal], title="Ny anteckning")
    ProgressNote.objects.create(activity=new_note, text="Nyss.", date=today - timedelta(days=170))
    ProgressNote.objects.filter(activity=world.activity).delete()
    Activity.objects.filter(pk__in=[quiet.pk, old_note.pk, new_note.pk]).update(updated_at=old)

    mine = world.client("contact_a").get(reverse("home:start")).context["mine"]
    assert [a.title for a in mine.stale_activities] == ["Tyst", "Gammal anteckning"]
    assert mine.stale_count == 2
