"""The indicator list's rows, written in Python (indicators.templatetags.indicator_tags.indicator_rows):
what each kind of indicator shows, escaped."""

import re
from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from indicators.models import Indicator, Track
from plans.models import Goal

from .factories import make_indicator


def rows_by_name(html: str) -> dict[str, str]:
    tbody = html.split('<table class="indicator-table">', 1)[1].split("</tbody>", 1)[0]
    return {re.search(r'">([^<]*)</a>', row).group(1): row for row in tbody.split("<tr>")[2:]}


def test_each_kind_of_indicator_shows_its_goals_unit_latest_value_and_status(world):
    number = make_indicator(world, name="Brobyggare", unit="personer", measurements=((date(2023, 12, 31), "20.50"),))
    later_goal = Goal.objects.create(plan=world.plan, parent=world.goal, depth=3, code="1.2.10", title="Material")
    first_goal = Goal.objects.create(plan=world.plan, parent=world.goal, depth=3, code="1.2.0", title="Först")
    number.goals.set([later_goal, world.result_goal, first_goal])
    make_indicator(world, name="Plan antagen", kind=Indicator.Kind.YES_NO, measurements=((date(2024, 12, 31), "yes"),))
    make_indicator(
        world, name="Bemötande", kind=Indicator.Kind.TEXT, measurements=((date(2024, 12, 31), "Bättre " * 20),)
    )
    unmeasured = make_indicator(world, name="Ej mätt <b>ännu</b>", responsible=world.unit_b)
    unmeasured.goals.clear()
    make_indicator(
        world,
        name="Bedömd",
        measurements=((date(2023, 12, 31), "12"),),
        track_override=Track.ON_TRACK,
        track_override_reason="Skäl",
        track_override_by=world.users["coordinator"],
        track_override_at=timezone.now(),
    )
    rows = rows_by_name(world.client("reader").get(reverse("indicators:list")).content.decode())

    # Goals in plan and tree order (by position, then id), the value without trailing zeros and in Swedish.
    assert rows["Brobyggare"] == (
        f'<td><a href="/indikatorer/{number.pk}/">Brobyggare</a><br><span class="muted">Mål: 1.2.1, 1.2.10, 1.2.0'
        '</span></td><td><abbr title="Socialnämnden">SN</abbr></td>'
        '<td>20,5 personer <span class="muted">(31 dec. 2023)</span></td>'
        '<td><span class="ind-track ind-track-on_track">I fas</span></td></tr>'
    )
    assert '<td>ja <span class="muted">(31 dec. 2024)</span></td>' in rows["Plan antagen"]
    shortened = Truncator("Bättre " * 20).chars(80)  # as the truncatechars:80 the template had
    assert shortened.endswith("…") and f"<td>{shortened} <span" in rows["Bemötande"]
    assert '<span class="muted">inte mätt ännu</span>' in rows["Ej mätt &lt;b&gt;ännu&lt;/b&gt;"]
    assert "Mål:" not in rows["Ej mätt &lt;b&gt;ännu&lt;/b&gt;"]
    assert (
        '<td><abbr title="Hägersten-Älvsjö stadsdelsnämnd">Hägersten-Älvsjö</abbr></td>'
        in rows["Ej mätt &lt;b&gt;ännu&lt;/b&gt;"]
    )
    assert rows["Bedömd"].endswith(
        '<td><span class="ind-track ind-track-on_track">I fas</span> <span class="muted">(bedömd)</span></td></tr>'
    )
