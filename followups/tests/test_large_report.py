"""A large unit's report as the browser fills it in, and the coverage matrix by page.

The report form of the benchmark city's largest unit has about 700 fields; its
widgets are written in Python (lib.fastfields) rather than by a template each.
These tests read the page as a browser does (tests/formreader.py), so whatever
the page renders is what is posted and must be what is saved."""

from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from lxml import html as lxml_html
from openpyxl import load_workbook

from conftest import make_activity
from followups.models import Assessment, RoundField, UnitReport
from followups.services import FieldSpec
from followups.views import COVERAGE_UNITS_PER_PAGE
from organisations.models import OrgUnit
from plans.models import Goal, GoalResponsibility
from tests.formreader import submissions

GOALS, ACTIVITIES = 60, 200  # the benchmark city's largest unit: 61 goals, 227 activities


def _large_report(world):
    """A round in which Socialnämnden answers for GOALS goals and has ACTIVITIES
    activities, with a number, a choice and a text question per goal."""
    for i in range(GOALS - 1):
        goal = Goal.objects.create(
            plan=world.plan, parent=world.goal, depth=3, code=f"1.2.{i + 2}", title=f"Mål {i}", position=i + 2
        )
        GoalResponsibility.objects.create(goal=goal, unit=world.unit_a)
    goals = list(world.plan.goals.filter(depth=3))
    for i in range(ACTIVITIES - 1):
        make_activity(world.plan, world.unit_a, [goals[i % len(goals)]], title=f"Aktivitet {i} <&>")
    from followups.services import round_open

    rnd = round_open(
        plan=world.plan,
        by=None,
        fields={
            "name": "Stor omgång",
            "period_start": world.round.period_start,
            "period_end": world.round.period_end,
            "deadline": world.round.deadline,
        },
        extra_fields=[
            FieldSpec(label="Antal deltagare", kind=RoundField.Kind.NUMBER),
            FieldSpec(label="Nådde ni målgruppen?", kind=RoundField.Kind.CHOICE, choices="Ja\nNej\nDelvis"),
            FieldSpec(label="Samarbetspartner", kind=RoundField.Kind.TEXT),
        ],
    )
    return rnd.reports.get(unit=world.unit_a)


def _page_form(response, url):
    (form,) = [s for s in submissions(url, response.content) if s.name == "followups:report_edit|save"]
    return {name: values[0] if len(values) == 1 else values for name, values in form.data.items()}


def test_a_large_report_is_saved_as_the_page_posts_it(world):
    report = _large_report(world)
    entries = list(report.entries.all())
    activities = list(world.unit_a.activities.all())
    fields = {f.kind: f for f in report.round.fields.all()}
    assert (len(entries), len(activities)) == (GOALS, ACTIVITIES)
    client = world.client("contact_a")
    url = reverse("followups:report_edit", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200

    # Every control is labelled, and the page renders every field of the report.
    document = lxml_html.document_fromstring(page.content)
    labelled = {label.get("for") for label in document.iter("label")}
    controls = [c for c in document.iter("textarea", "select", "input") if c.get("type") not in ("hidden", "submit")]
    assert controls and all(c.get("id") in labelled for c in controls)
    data = _page_form(page, url)
    expected = {"csrfmiddlewaretoken", "version", "summary", "save"}
    for e in entries:
        names = ("result", "challenges", "assessment", *[f.key for f in fields.values()])
        expected |= {f"e{e.pk}-{name}" for name in names}
    for a in activities:
        expected |= {f"a{a.pk}-status", f"a{a.pk}-comment"}
    assert set(data) == expected  # 1 + 6 × 60 + 2 × 200 fields, and nothing else

    # Fill in everything, choosing only what the page offers.
    statuses = list(world.plan.activity_statuses.all())
    assessments = [v for v in Assessment.values if v != data[f"e{entries[0].pk}-assessment"]]
    options = {
        select.get("name"): [o.get("value") for o in select.iter("option")] for select in document.iter("select")
    }
    for i, e in enumerate(entries):
        p = f"e{e.pk}"
        data[f"{p}-result"] = f"Resultat {i}:\r\n<b>två rader</b> & mer"
        data[f"{p}-challenges"] = f"Utmaning {i}"
        data[f"{p}-assessment"] = assessments[i % len(assessments)]
        data[f"{p}-{fields['number'].key}"] = f"{i}.50"
        data[f"{p}-{fields['choice'].key}"] = options[f"{p}-{fields['choice'].key}"][1 + i % 3]
        data[f"{p}-{fields['text'].key}"] = f"Partner {i}"
    for i, a in enumerate(activities):
        status = statuses[i % len(statuses)]
        assert str(status.pk) in options[f"a{a.pk}-status"]
        data[f"a{a.pk}-status"] = str(status.pk)
        data[f"a{a.pk}-comment"] = f"Kommentar {i}"
    data["summary"] = "Ett år med många aktiviteter."
    response = client.post(url, data)
    assert response.status_code == 302

    report.refresh_from_db()
    assert report.summary == "Ett år med många aktiviteter."
    by_pk = {e.pk: e for e in report.entries.all()}
    for i, e in enumerate(entries):
        saved = by_pk[e.pk]
        assert saved.result == f"Resultat {i}:\n<b>två rader</b> & mer"  # the browser's CR LF as "\n" (lib/forms.py)
        assert saved.challenges == f"Utmaning {i}"
        assert saved.assessment == assessments[i % len(assessments)]
        assert Decimal(saved.extra[fields["number"].key]) == Decimal(f"{i}.50")
        assert saved.extra[fields["choice"].key] == ["Ja", "Nej", "Delvis"][i % 3]
        assert saved.extra[fields["text"].key] == f"Partner {i}"
    updates = {u.activity_id: u for u in report.activity_updates.all()}
    assert len(updates) == ACTIVITIES
    for i, a in enumerate(activities):
        assert updates[a.pk].status_id == statuses[i % len(statuses)].pk
        assert updates[a.pk].comment == f"Kommentar {i}"

    # The page shows what was saved, escaped, and posting it back unchanged changes nothing.
    page = client.get(url)
    text = page.content.decode()
    assert "&lt;b&gt;två rader&lt;/b&gt; &amp; mer" in text and "<b>två rader" not in text
    assert "Aktivitet 0 &lt;&amp;&gt;" in text
    again = _page_form(page, url)
    for name, value in data.items():
        if name not in ("csrfmiddlewaretoken", "version"):
            assert again[name] == value, name
    assert client.post(url, again).status_code == 302
    assert {e.pk: (e.result, e.extra) for e in report.entries.all()} == {
        pk: (e.result, e.extra) for pk, e in by_pk.items()
    }


def test_errors_are_summarised_and_tied_to_their_field(world):
    report = _large_report(world)
    client = world.client("contact_a")
    url = reverse("followups:report_edit", args=[report.pk])
    data = _page_form(client.get(url), url)
    entry = report.entries.first()
    number = report.round.fields.get(kind=RoundField.Kind.NUMBER)
    activity = world.unit_a.activities.order_by("number").first()
    data[f"e{entry.pk}-{number.key}"] = "många"
    data[f"a{activity.pk}-status"] = "999999"
    response = client.post(url, data)
    assert response.status_code == 400
    document = lxml_html.document_fromstring(response.content)
    (summary,) = document.find_class("form-errors")
    assert summary.get("tabindex") == "-1" and "data-error-summary" in summary.attrib
    assert summary.xpath(".//*[@role='alert']//h2")
    # One link per error, to the Python-written field's own id, named by its goal or activity.
    links = {a.get("href"): a.text_content() for a in summary.xpath(".//a")}
    assert set(links) == {f"#id_e{entry.pk}-{number.key}", f"#id_a{activity.pk}-status"}
    assert links[f"#id_e{entry.pk}-{number.key}"].startswith(f"{entry.goal.code} {number.label}: ")
    assert links[f"#id_a{activity.pk}-status"].startswith(f"{activity.title}, ")
    for name in (f"e{entry.pk}-{number.key}", f"a{activity.pk}-status"):
        (control,) = document.xpath(f'//*[@name="{name}"]')
        assert control.get("aria-invalid") == "true"
        error_id = f"id_{name}_error"
        assert error_id in control.get("aria-describedby").split()
        assert document.get_element_by_id(error_id).text_content().strip()
    # What the contact typed is kept, and nothing was saved.
    assert 'value="många"' in response.content.decode()
    report.refresh_from_db()
    assert report.version == int(data["version"]) and report.status == UnitReport.Status.DRAFT


# --- Coverage by page ------------------------------------------------------------------


def _many_units(world, n):
    """n more units, each responsible for a goal of its own under the focus area."""
    units = []
    for i in range(n):
        unit = OrgUnit.objects.create(
            municipality=world.municipality, kind="namnd", name=f"Nämnd {i:03}", short_name=f"N{i:03}"
        )
        goal = Goal.objects.create(
            plan=world.plan, parent=world.goal, depth=3, code=f"1.2.{i + 2}", title=f"Mål {i}", position=i + 2
        )
        GoalResponsibility.objects.create(goal=goal, unit=unit)
        units.append(unit)
    return units


def test_the_coverage_matrix_shows_one_focus_area_and_a_page_of_units(world):
    other_focus = Goal.objects.create(plan=world.plan, depth=1, code="2", title="Utbildning", position=2)
    other_goal = Goal.objects.create(plan=world.plan, parent=other_focus, depth=2, code="2.1", title="Skolan når alla")
    GoalResponsibility.objects.create(goal=other_goal, unit=world.unit_a)
    units = _many_units(world, 2 * COVERAGE_UNITS_PER_PAGE)
    client = world.client("reader")
    url = reverse("followups:coverage")
    page = client.get(url)
    matrix = page.context["matrix"]
    # The first focus area by default: goal 2.1 is not a row; one page of units.
    assert matrix.focus == world.focus
    assert "2.1" not in [r.goal.code for r in matrix.rows]
    assert len(matrix.units) == COVERAGE_UNITS_PER_PAGE < matrix.unit_count
    # The summary counts every unit, not only the page's.
    assert matrix.pair_count == 2 * COVERAGE_UNITS_PER_PAGE + 3 and matrix.gap_count == matrix.pair_count - 1
    text = page.content.decode()
    legend = (
        f"1–{COVERAGE_UNITS_PER_PAGE} av {matrix.unit_count}",
        f"1–{COVERAGE_UNITS_PER_PAGE} of {matrix.unit_count}",
    )
    assert any(s in text for s in legend)  # in Swedish once the lead has merged the translations
    document = lxml_html.document_fromstring(page.content)
    (table,) = document.find_class("matrix")
    assert table.find("caption").text_content().strip()
    assert all(th.get("scope") in ("col", "row") for th in table.iter("th"))
    assert len(table.find("tbody").findall("tr")) == len(matrix.rows)
    assert all(len(tr.findall("td")) == len(matrix.units) for tr in table.find("tbody").findall("tr"))

    # The next page of units, reached by its link.
    (next_link,) = document.xpath('//a[@rel="next"]')
    second = client.get(url + next_link.get("href"))
    shown = {u.pk for u in matrix.units} | {u.pk for u in second.context["matrix"].units}
    assert len(shown) == 2 * COVERAGE_UNITS_PER_PAGE
    # Every focus area at once, and one unit group.
    everything = client.get(url, {"fokus": "alla"}).context["matrix"]
    assert "2.1" in [r.goal.code for r in everything.rows]
    grouped = client.get(url, {"grupp": world.group.pk}).context["matrix"]
    assert [u.pk for u in grouped.units] == [world.unit_b.pk]
    # The spreadsheet has every unit, whatever page the link was on.
    export = client.get(reverse("followups:coverage_export"), {"fokus": "alla", "sida": "2"})
    header = [c.value for c in next(load_workbook(BytesIO(export.content))["Täckning"].iter_rows(max_row=1))]
    assert len(header) == 2 + everything.unit_count and units[-1].short_name in header


def test_the_coverage_page_does_not_grow_with_the_number_of_units(world):
    """Units responsible for the same goals: three times the units, the same page of columns."""
    client = world.client("reader")
    url = reverse("followups:coverage")

    def add_units(n, start):
        for i in range(start, start + n):
            unit = OrgUnit.objects.create(
                municipality=world.municipality, kind="namnd", name=f"Nämnd {i:03}", short_name=f"N{i:03}"
            )
            GoalResponsibility.objects.create(goal=world.result_goal, unit=unit)

    add_units(20, 0)
    before = len(client.get(url).content)
    add_units(40, 20)
    page = client.get(url)
    assert page.context["matrix"].unit_count == 63 and len(page.context["matrix"].units) == COVERAGE_UNITS_PER_PAGE
    assert len(page.content) < 1.3 * before


def test_coverage_query_counts_do_not_grow_with_units_or_pages(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client("reader")
    url = reverse("followups:coverage")
    params = [{}, {"fokus": "alla"}, {"grupp": world.group.pk}, {"sida": "2"}, {"enhet": world.unit_a.pk}]

    def counts():
        out = []
        for p in params:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url, p).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    before = counts()
    _many_units(world, 50)
    assert counts() == before
