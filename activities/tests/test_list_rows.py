"""The activity list's rows, written in Python (activities.templatetags.activity_list.activity_rows)
and its goal filter (plans.templatetags.plan_tags.goal_options): what a row shows, escaped."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from activities.models import Funding
from conftest import make_activity
from organisations.models import OrgUnit
from plans.models import Goal


def rows_by_reference(html: str) -> dict[str, str]:
    tbody = html.split('<table class="activity-table">', 1)[1].split("</tbody>", 1)[0]
    return {row.split("</td>", 1)[0].rsplit(">", 1)[1]: row.strip() for row in tbody.split("<tr>")[2:]}


def test_a_row_shows_reference_title_units_goals_status_and_period(world):
    today = timezone.localdate()
    ks = world.unit_ks
    other = OrgUnit.objects.create(municipality=world.municipality, kind="namnd", name="Arbetsmarknadsnämnden",
                                   short_name="AMN")  # fmt: skip
    second = Goal.objects.create(plan=world.plan, parent=world.focus, depth=2, code="1.1", title="Först", position=0)
    activity = make_activity(
        world.plan, world.unit_a, [world.result_goal, second], title='Brobyggare <i>"nya"</i>',
        funding=Funding.STATE_GRANT, funding_ends=today + timedelta(days=30), start_date=today - timedelta(days=10),
        ongoing=True,
    )  # fmt: skip
    activity.co_units.set([ks, other])
    finished = make_activity(
        world.plan, world.unit_b, [world.goal], title="Avslutad", funding=Funding.ORDINARY,
        end_date=today - timedelta(days=1),
    )  # fmt: skip
    rows = rows_by_reference(world.client("reader").get(reverse("activities:list")).content.decode())

    status = activity.status
    assert rows[activity.reference] == (
        f'<td class="nowrap">{activity.reference}</td>'
        f'<td><a href="/aktiviteter/{activity.pk}/">Brobyggare &lt;i&gt;&quot;nya&quot;&lt;/i&gt;</a>'
        ' <span class="tag tag-risk">Tillfällig finansiering</span></td>'
        '<td><abbr title="Socialnämnden">SN</abbr> <span class="muted">(med <abbr title="Arbetsmarknadsnämnden">AMN'
        '</abbr>, <abbr title="Kommunstyrelsen">KS</abbr>)</span></td>'  # co-operating units by short name, explained
        '<td><span class="tag">1.1</span><span class="tag">1.2.1</span></td>'  # goals by depth, position
        f'<td><span class="status sentiment-{status.sentiment}">{status.name}</span></td>'
        f'<td class="nowrap">{today - timedelta(days=10):%Y-%m-%d}–löpande</td></tr>'
    )
    row = rows[finished.reference]
    assert "tag-risk" not in row and "muted" not in row and '<span class="tag">1.2</span>' in row
    assert f'<td class="nowrap">–{today - timedelta(days=1):%Y-%m-%d}</td>' in row
    assert rows[world.activity.reference].endswith('<td class="nowrap"></td></tr>')  # no dates: no period


def test_goal_filter_lists_the_plans_goals_shortened_with_the_chosen_one_selected(world):
    Goal.objects.filter(pk=world.goal.pk).update(title="Staden når romer <med> information " * 3)
    html = world.client("reader").get(reverse("activities:list"), {"mal": world.goal.pk}).content.decode()
    options = html.split('<select id="f-goal" name="mal">', 1)[1].split("</select>", 1)[0]
    title = Truncator("Staden når romer <med> information " * 3).chars(60).replace("<", "&lt;").replace(">", "&gt;")
    assert options == (
        '<option value="">Alla mål</option>'
        f'<option value="{world.focus.pk}">1 Kunskap och information</option>'
        f'<option value="{world.goal.pk}" selected>1.2 {title}</option>'
        f'<option value="{world.result_goal.pk}">1.2.1 Stadens verksamheter arbetar uppsökande</option>'
    )
