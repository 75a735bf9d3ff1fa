"""The start page's trends (followups.selectors.plan_trends): per round of the
current plan, the assessments and the reported activity statuses of the reports
that count, as charts with their tables, in a fixed number of queries."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_activity, make_round
from followups.models import ActivityUpdate, ReportEntry, UnitReport
from followups.selectors import plan_trends


def round_in(plan, year: int):
    return make_round(
        plan,
        f"Tertial 2 {year}",
        period_start=date(year, 5, 1),
        period_end=date(year, 8, 31),
        deadline=date(year, 9, 30),
    )


def report(rnd, unit, status, assessment, status_name=None, activity=None):
    r = rnd.reports.get(unit=unit)
    approved = timezone.now() if status == UnitReport.Status.APPROVED else None
    UnitReport.objects.filter(pk=r.pk).update(status=status, approved_at=approved)
    ReportEntry.objects.filter(report=r).update(assessment=assessment)
    if status_name:
        ActivityUpdate.objects.create(
            report=r, activity=activity, status=rnd.plan.activity_statuses.get(name=status_name)
        )
    return r


def rows(trend):
    return {row.round.name: {code: n for code, _label, n in row.counts} for row in trend}


def between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def test_the_trends_count_the_submitted_and_approved_reports_per_round(world):
    older, newer = world.round, round_in(world.plan, 2027)
    other = make_activity(world.plan, world.unit_b, [world.result_goal], title="Läxhjälp")
    report(older, world.unit_a, UnitReport.Status.APPROVED, "uppfyllt", "Pågår", world.activity)
    report(older, world.unit_b, UnitReport.Status.SUBMITTED, "delvis", "Genomförd", other)
    report(older, world.unit_ks, UnitReport.Status.DRAFT, "ej_uppfyllt")  # a draft: not counted
    report(newer, world.unit_a, UnitReport.Status.SUBMITTED, "ej_uppfyllt", "Försenad", world.activity)
    report(newer, world.unit_b, UnitReport.Status.RETURNED, "uppfyllt", "Pågår", other)  # returned: not counted

    trends = plan_trends(world.plan)

    zero = dict.fromkeys(["uppfyllt", "delvis", "ej_uppfyllt", "ej_bedomt"], 0)
    assert rows(trends.assessments) == {
        "Tertial 2 2026": zero | {"uppfyllt": 1, "delvis": 1},
        "Tertial 2 2027": zero | {"ej_uppfyllt": 1},
    }
    statuses = dict.fromkeys(["ej_paborjad", "pagar", "forsenad", "genomford", "pausad", "avbruten"], 0)
    assert rows(trends.statuses) == {
        "Tertial 2 2026": statuses | {"pagar": 1, "genomford": 1},
        "Tertial 2 2027": statuses | {"forsenad": 1},
    }
    assert [row.total for row in trends.assessments] == [2, 1]

    html = world.client("coordinator").get(reverse("home:start")).content.decode()
    table = between(html, "<caption>Bedömningar av mål per omgång</caption>", "</table>")
    assert '<th scope="col">Uppfyllt</th><th scope="col">Delvis uppfyllt</th>' in table
    assert (
        '<tr><th scope="row">Tertial 2 2026</th><td class="ind-num">1</td><td class="ind-num">1</td>'
        '<td class="ind-num">0</td><td class="ind-num">0</td><td class="ind-num">2</td></tr>'
    ) in table
    assert table.index("Tertial 2 2026") < table.index("Tertial 2 2027")  # the latest last
    table = between(html, "<caption>Rapporterade aktivitetsstatusar per omgång</caption>", "</table>")
    assert (
        '<tr><th scope="row">Tertial 2 2027</th><td class="ind-num">0</td><td class="ind-num">0</td>'
        '<td class="ind-num">1</td><td class="ind-num">0</td><td class="ind-num">0</td><td class="ind-num">0</td>'
        '<td class="ind-num">1</td></tr>'
    ) in table
    chart = between(html, '<svg class="chart bar-chart stacked-chart"', "</svg>")
    assert '<title id="chart-trend-assessments-title">Bedömningar av mål per omgång</title>' in chart
    assert chart.count('class="chart-seg chart-seg-uppfyllt"') == 1
    assert chart.count('class="chart-seg chart-seg-ej_uppfyllt"') == 1
    assert "chart-seg-ej_bedomt" not in chart  # no segment for a zero
    # The reader sees the overview too; a contact has no trends.
    assert "Bedömningar av mål per omgång" in world.client("reader").get(reverse("home:start")).content.decode()
    assert "Trender" not in world.client("contact_a").get(reverse("home:start")).content.decode()


def test_only_the_latest_rounds_of_the_current_plan(world):
    for year in range(2027, 2034):
        round_in(world.plan, year)
    make_round(world.other_plan, "Årsbokslut 2026")
    trends = plan_trends(world.plan)
    assert [row.round.name for row in trends.assessments] == [f"Tertial 2 {y}" for y in range(2028, 2034)]
    assert plan_trends(world.other_plan).assessments[0].round.name == "Årsbokslut 2026"


def _start_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("home:start")).status_code == 200
    return len(ctx.captured_queries)


def test_the_trends_take_a_fixed_number_of_queries(world):
    client = world.client("coordinator")
    report(world.round, world.unit_a, UnitReport.Status.SUBMITTED, "uppfyllt", "Pågår", world.activity)
    with CaptureQueriesContext(connection) as ctx:
        plan_trends(world.plan)
    assert len(ctx.captured_queries) == 3
    before = _start_queries(client)
    activities = [make_activity(world.plan, world.unit_a, [world.result_goal], title=f"A{i}") for i in range(20)]
    for year in range(2027, 2037):
        rnd = round_in(world.plan, year)
        r = report(rnd, world.unit_a, UnitReport.Status.APPROVED, "delvis")
        report(rnd, world.unit_b, UnitReport.Status.SUBMITTED, "ej_uppfyllt")
        ActivityUpdate.objects.bulk_create(
            ActivityUpdate(report=r, activity=a, status=a.status) for a in [world.activity, *activities]
        )
    trends = plan_trends(world.plan)
    assert [row.total for row in trends.statuses] == [21] * 6
    assert _start_queries(client) == before
