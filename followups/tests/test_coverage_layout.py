"""The coverage matrix turned around (``?rader=enheter``: units as rows, goals as
columns) has the same cells as the matrix with goals as rows, on every page of
units; the choice stays in the URL through filtering and paging. Read from the
HTML as served, without a browser (tests/test_print_and_small_screens.py shows
the layout in one)."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse
from lxml import html as lxml_html

from conftest import make_activity
from followups.views import COVERAGE_UNITS_PER_PAGE
from organisations.models import OrgUnit
from plans.models import Goal, GoalResponsibility


def _cells(content: bytes, *, units_as_rows: bool) -> dict[tuple[str, str], tuple[str, str, str, str]]:
    """{(goal code, unit short name): (class, visible text, link, assessment)} of the matrix."""
    (table,) = lxml_html.document_fromstring(content).find_class("matrix")
    head = table.find("thead").find("tr").findall("th")[1:]
    if units_as_rows:
        columns = [th.find("a").text_content().strip() for th in head]  # goal codes
    else:
        columns = [th.find("abbr").text_content().strip() for th in head]  # unit short names
    units = {u.name: u.short_name for u in OrgUnit.objects.all()}
    out = {}
    for tr in table.find("tbody").findall("tr"):
        row_head = tr.find("th")
        label = row_head.find("a").text_content().strip()
        row = units[label] if units_as_rows else label  # a unit's full name, or a goal's code
        for column, td in zip(columns, tr.findall("td"), strict=True):
            link = td.find("a")
            for hidden in td.find_class("visually-hidden"):  # names the other axis: differs by design
                hidden.drop_tree()
            assessment = "".join(s.text_content() for s in td.find_class("assessment"))
            key = (column, row) if units_as_rows else (row, column)
            out[key] = (
                td.get("class"),
                td.text_content().strip(),
                link.get("href") if link is not None else "",
                assessment,
            )
    return out


def _more_units(world, n: int) -> None:
    for i in range(n):
        unit = OrgUnit.objects.create(
            municipality=world.municipality, kind="namnd", name=f"Nämnd {i:02}", short_name=f"N{i:02}"
        )
        GoalResponsibility.objects.create(goal=world.result_goal, unit=unit, role="co" if i % 3 == 0 else "primary")
        if i % 2:
            make_activity(world.plan, unit, [world.result_goal], title=f"Insats {i}")


def test_units_as_rows_has_the_same_cells_on_every_page(world):
    second = Goal.objects.create(
        plan=world.plan, parent=world.goal, depth=3, code="1.2.9", title="Ett mål med en lång titel " * 4
    )
    GoalResponsibility.objects.create(goal=second, unit=world.unit_b)
    _more_units(world, COVERAGE_UNITS_PER_PAGE + 3)
    client = world.client("reader")
    url = reverse("followups:coverage")
    for page in ("1", "2"):
        goals_as_rows = client.get(url, {"sida": page})
        units_as_rows = client.get(url, {"sida": page, "rader": "enheter"})
        by_goal = _cells(goals_as_rows.content, units_as_rows=False)
        by_unit = _cells(units_as_rows.content, units_as_rows=True)
        assert by_goal == by_unit
        matrix = goals_as_rows.context["matrix"]
        assert len(by_goal) == len(matrix.rows) * len(matrix.units) > 2
        assert {c[0] for c in by_goal.values()} >= {"cell-gap", "cell-some", "cell-none"}
        assert any(text.endswith("*") for _, text, _, _ in by_goal.values())  # a co-responsible unit
        # Each view says which it is, in the heading and the table's caption, and marks its toggle.
        document = lxml_html.document_fromstring(units_as_rows.content)
        caption = document.find_class("matrix")[0].find("caption").text_content()
        assert caption.startswith(("Täckning: ansvariga enheter × mål", "Coverage: responsible units × goals"))
        current = document.xpath('//nav[@class="view-toggle"]//a[@aria-current="true"]')
        assert len(current) == 1 and parse_qs(urlsplit(current[0].get("href")).query)["rader"] == ["enheter"]


def test_the_choice_of_rows_stays_through_paging_and_filtering(world):
    _more_units(world, COVERAGE_UNITS_PER_PAGE + 3)
    client = world.client("reader")
    url = reverse("followups:coverage")
    page = client.get(url, {"rader": "enheter"})
    document = lxml_html.document_fromstring(page.content)
    (next_link,) = document.xpath('//a[@rel="next"]')
    assert parse_qs(urlsplit(next_link.get("href")).query)["rader"] == ["enheter"]
    second = client.get(url + next_link.get("href"))
    assert b"matrix-by-unit" in second.content
    (back,) = lxml_html.document_fromstring(second.content).xpath('//nav[@class="view-toggle"]//a[not(@aria-current)]')
    query = parse_qs(urlsplit(back.get("href")).query)
    assert "rader" not in query and query["sida"] == ["2"]  # the same page of units, goals as rows
    # The filter form carries the choice as a hidden field.
    (form,) = document.find_class("filters")
    assert [(i.get("name"), i.get("value")) for i in form.xpath('.//input[@name="rader"]')] == [("rader", "enheter")]
    assert (
        not lxml_html.document_fromstring(client.get(url).content)
        .find_class("filters")[0]
        .xpath('.//input[@name="rader"]')
    )
    # The spreadsheet is the same either way (goals as rows).
    (export,) = document.xpath('//a[contains(@href, "tackning.xlsx")]')
    assert "rader" not in parse_qs(urlsplit(export.get("href")).query)
    # Anything else in the parameter: goals as rows.
    assert b"matrix-by-unit" not in client.get(url, {"rader": "x"}).content


def test_units_as_rows_takes_as_many_queries_as_goals_as_rows(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client("reader")
    url = reverse("followups:coverage")

    def count(params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        return len(ctx.captured_queries)

    before = count({"rader": "enheter"})
    _more_units(world, 2 * COVERAGE_UNITS_PER_PAGE)
    assert count({"rader": "enheter"}) == before
    assert count({"rader": "enheter", "sida": "2"}) == before
