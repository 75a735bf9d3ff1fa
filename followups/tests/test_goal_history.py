"""A goal's history (followups.selectors.goal_history) on the goal page: each
unit's assessment round by round, "not reported" and "not applicable" told apart,
older rounds a page back, in a fixed number of queries."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_round
from followups.models import ReportEntry, UnitReport
from followups.selectors import NOT_APPLICABLE, NOT_REPORTED, goal_history
from organisations.models import OrgUnit
from plans.models import GoalResponsibility


def round_in(plan, year: int, name: str | None = None):
    """A round for the year's second tertial (rounds in time order by year)."""
    return make_round(
        plan,
        name or f"Tertial 2 {year}",
        period_start=date(year, 5, 1),
        period_end=date(year, 8, 31),
        deadline=date(year, 9, 30),
    )


def set_report(rnd, unit, status, assessment=None, goal=None):
    report = rnd.reports.get(unit=unit)
    approved = timezone.now() if status == UnitReport.Status.APPROVED else None
    UnitReport.objects.filter(pk=report.pk).update(status=status, approved_at=approved)
    if assessment:
        ReportEntry.objects.filter(report=report, goal=goal).update(assessment=assessment)
    return report


def states(history):
    return {row.unit.name: [c.state for c in row.cells] for row in history.rows}


def test_each_unit_has_its_assessment_per_round_in_time_order(world):
    goal = world.result_goal
    older = world.round  # Tertial 2 2026
    newer = round_in(world.plan, 2027)
    set_report(older, world.unit_a, UnitReport.Status.APPROVED, "uppfyllt", goal)
    set_report(older, world.unit_b, UnitReport.Status.SUBMITTED, "ej_uppfyllt", goal)
    set_report(older, world.unit_ks, UnitReport.Status.RETURNED, "delvis", goal)  # returned: not counted
    set_report(newer, world.unit_a, UnitReport.Status.SUBMITTED, "delvis", goal)
    # Hägersten-Älvsjö did not answer for the goal in the newer round: no entry for it then.
    ReportEntry.objects.filter(report__round=newer, report__unit=world.unit_b, goal=goal).delete()

    history = goal_history(goal)

    assert [r.name for r in history.rounds] == ["Tertial 2 2026", "Tertial 2 2027"]
    assert states(history) == {
        "Hägersten-Älvsjö stadsdelsnämnd": ["ej_uppfyllt", NOT_APPLICABLE],
        "Kommunstyrelsen": [NOT_REPORTED, NOT_REPORTED],
        "Socialnämnden": ["uppfyllt", "delvis"],
    }
    cell = history.rows[2].cells[0]
    assert cell.report_id == older.reports.get(unit=world.unit_a).pk
    assert history.rows[0].cells[1].report_id is None  # nothing to open where the unit had no entry
    assert all(row.responsible for row in history.rows)
    assert (history.pages, history.older_page, history.newer_page) == (1, None, None)


def test_a_unit_no_longer_responsible_keeps_its_row_while_its_rounds_are_shown(world):
    goal = world.result_goal
    set_report(world.round, world.unit_ks, UnitReport.Status.SUBMITTED, "uppfyllt", goal)
    GoalResponsibility.objects.filter(goal=goal, unit=world.unit_ks).delete()
    history = goal_history(goal)
    ks = next(row for row in history.rows if row.unit.pk == world.unit_ks.pk)
    assert not ks.responsible
    assert [c.state for c in ks.cells] == ["uppfyllt"]
    # A unit responsible now that had no report in the round: not applicable.
    unit = OrgUnit.objects.create(municipality=world.municipality, kind="namnd", name="Arbetsmarknadsnämnden")
    GoalResponsibility.objects.create(goal=goal, unit=unit)
    assert states(goal_history(goal))["Arbetsmarknadsnämnden"] == [NOT_APPLICABLE]


def test_a_long_plan_shows_the_latest_rounds_and_pages_back(world):
    for year in range(2027, 2037):  # 11 rounds with the world's
        round_in(world.plan, year)
    first = goal_history(world.result_goal)
    assert first.round_count == 11 and first.pages == 2
    assert [r.name for r in first.rounds] == [f"Tertial 2 {y}" for y in range(2029, 2037)]
    assert (first.older_page, first.newer_page) == (2, None)
    second = goal_history(world.result_goal, page=2)
    assert [r.name for r in second.rounds] == ["Tertial 2 2026", "Tertial 2 2027", "Tertial 2 2028"]
    assert (second.older_page, second.newer_page) == (None, 1)
    assert goal_history(world.result_goal, page=99).page == 2  # past the last: the last


def test_no_round_yet(world):
    world.round.delete()
    history = goal_history(world.result_goal)
    assert history.rounds == [] and history.round_count == 0
    html = world.client("reader").get(reverse("plans:goal", args=[world.result_goal.pk])).content.decode()
    assert "Ingen uppföljningsomgång har öppnats under planen ännu." in html


def test_the_goal_page_shows_the_grid_with_text_labels(world):
    goal = world.result_goal
    newer = round_in(world.plan, 2027)
    report = set_report(world.round, world.unit_a, UnitReport.Status.APPROVED, "delvis", goal)
    ReportEntry.objects.filter(report__round=newer, report__unit=world.unit_b, goal=goal).delete()
    html = world.client("contact_b").get(reverse("plans:goal", args=[goal.pk])).content.decode()
    grid = html.split('<table class="history-grid">', 1)[1].split("</table>", 1)[0]
    assert "<caption>Bedömningar av målet per enhet och omgång</caption>" in grid
    round_url = reverse("followups:round", args=[newer.pk])
    assert f'<th scope="col"><a href="{round_url}">Tertial 2 2027</a></th>' in grid
    report_url = reverse("followups:report", args=[report.pk])
    row = grid.split(f'<a href="{reverse("organisations:unit", args=[world.unit_a.pk])}">Socialnämnden</a>', 1)[1]
    row = row.split("</tr>", 1)[0]
    assert f'<td class="history-cell history-delvis"><a href="{report_url}">Delvis uppfyllt</a></td>' in row
    assert '<td class="history-cell history-ej_rapporterad"><a href="' in row  # the newer round's draft
    assert '<td class="history-cell history-ej_aktuell">Ej aktuell</td>' in grid  # Hägersten-Älvsjö in 2027
    assert "Ej rapporterad</a>" in grid


def test_the_goal_page_pages_back_to_older_rounds(world):
    for year in range(2027, 2036):
        round_in(world.plan, year)
    client = world.client("reader")
    url = reverse("plans:goal", args=[world.result_goal.pk])
    html = client.get(url).content.decode()
    assert '<a href="?omgangar=2#goal-history">Tidigare omgångar</a>' in html
    assert "8 av 10 omgångar" in html
    assert "<caption>Bedömningar av målet per enhet, Tertial 2 2028 till Tertial 2 2035</caption>" in html
    assert ">Tertial 2 2026</a></th>" not in html
    older = client.get(url, {"omgangar": "2"}).content.decode()
    assert ">Tertial 2 2026</a></th>" in older and ">Tertial 2 2027</a></th>" in older
    assert '<a href="?omgangar=1#goal-history">Senare omgångar</a>' in older
    assert client.get(url, {"omgangar": "x"}).status_code == 200  # a bad value: the latest
    # The activity list's sort and page stay when the grid pages, and the other way round.
    sorted_page = client.get(url, {"ordning": "-titel", "sida": "1"}).content.decode()
    assert '<a href="?ordning=-titel&amp;sida=1&amp;omgangar=2#goal-history">Tidigare omgångar</a>' in sorted_page


def _queries(goal) -> int:
    with CaptureQueriesContext(connection) as ctx:
        goal_history(goal)
    return len(ctx.captured_queries)


def _page_queries(client, goal) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("plans:goal", args=[goal.pk])).status_code == 200
    return len(ctx.captured_queries)


def test_the_history_takes_a_fixed_number_of_queries(world):
    goal = world.result_goal
    client = world.client("reader")
    small = _queries(goal)
    page_before = _page_queries(client, goal)
    units = [
        OrgUnit.objects.create(municipality=world.municipality, kind="namnd", name=f"Nämnd {i}", short_name=f"N{i}")
        for i in range(45)
    ]
    for unit in units:
        GoalResponsibility.objects.create(goal=goal, unit=unit)
    for year in range(2027, 2047):
        rnd = round_in(world.plan, year)
        UnitReport.objects.filter(round=rnd, unit__in=units[:20]).update(status=UnitReport.Status.SUBMITTED)
    history = goal_history(goal)
    assert len(history.rows) == 48 and len(history.rounds) == 8
    assert sum(c.state == NOT_REPORTED for row in history.rows for c in row.cells) == 28 * 8
    assert _queries(goal) == small == 6
    assert _page_queries(client, goal) == page_before


def test_the_grid_escapes_unit_names_and_marks_units_no_longer_responsible(world):
    goal = world.result_goal
    OrgUnit.objects.filter(pk=world.unit_ks.pk).update(name='Nämnden <b>"&</b>')
    set_report(world.round, world.unit_ks, UnitReport.Status.SUBMITTED, "uppfyllt", goal)
    GoalResponsibility.objects.filter(goal=goal, unit=world.unit_ks).delete()
    html = world.client("coordinator").get(reverse("plans:goal", args=[goal.pk])).content.decode()
    grid = html.split('<table class="history-grid">', 1)[1].split("</table>", 1)[0]
    unit_url = reverse("organisations:unit", args=[world.unit_ks.pk])
    assert "<b>" not in grid
    assert (
        f'<th scope="row"><a href="{unit_url}">Nämnden &lt;b&gt;&quot;&amp;&lt;/b&gt;</a>'
        ' <span class="muted">(ansvarar inte längre)</span></th>'
    ) in grid
