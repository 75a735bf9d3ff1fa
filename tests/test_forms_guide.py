"""Forms that guide (DEVELOPERS.md): the error summary above every staff form
links to each field with an error, the title starts "Fel: " on a page showing a
form with errors, a refused submission says the draft was saved
(followups/tests/test_review_steps.py), and the long goal pickers show the
unit's own goals first. The browser half is tests/test_forms_guide_browser.py."""

import pytest
from django import forms
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from lxml import html as lxml_html

from conftest import make_activity
from lib.pickers import FilterCheckboxSelectMultiple
from plans.models import Goal, GoalResponsibility
from tests.formreader import submissions


def swedish(message: str) -> str:
    with translation.override("sv"):
        return gettext(message)


# --- The summary -------------------------------------------------------------------


class SampleForm(forms.Form):
    title = forms.CharField(label="Titel")
    kind = forms.ChoiceField(label="Slag", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    areas = forms.MultipleChoiceField(
        label="Områden", choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple
    )
    goals = forms.MultipleChoiceField(
        label="Mål",
        choices=[("Enhetens mål", [("1", "1 Ett")]), ("Övriga mål", [("2", "2 Två")])],
        widget=FilterCheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Formuläret som helhet stämmer inte.")


class RowForm(forms.Form):
    name = forms.CharField(label="Namn")


RowFormSet = forms.formset_factory(RowForm, extra=0)


def _page(form, **extra) -> lxml_html.HtmlElement:
    html = render_to_string("form_fields.html", {"form": form, **extra})
    return lxml_html.fragment_fromstring(f"<div>{html}</div>")


def _links(summary) -> dict[str, str]:
    return {a.get("href"): a.text_content() for a in summary.xpath(".//a")}


def test_the_summary_links_every_error_to_its_field():
    form = SampleForm(data={"version": "x"})
    assert not form.is_valid()
    page = _page(form)
    (summary,) = page.xpath("//*[@data-error-summary]")
    assert summary.get("tabindex") == "-1"
    assert summary.xpath("string(.//h2)").strip() == gettext("There are errors to correct")
    links = _links(summary)
    # A text field: its input; a radio or checkbox group: its first box (in its group).
    assert set(links) == {"#id_title", "#id_kind_0", "#id_areas_0", "#id_goals_0_0"}
    for href in links:
        (target,) = page.xpath(f"//*[@id='{href[1:]}']")
        assert target.tag == "input" and target.get("name") == href[4:].split("_")[0]
    assert links["#id_title"].startswith("Titel: ")
    items = [li.text_content().strip() for li in summary.xpath(".//li")]
    assert "Formuläret som helhet stämmer inte." in items  # the form's own error, as text
    # The hidden field: a request to reload, naming it, not a link.
    assert any("(version)" in item for item in items)
    assert len(items) == 6


def test_a_formsets_rows_link_to_their_prefixed_fields():
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",  # rows already saved: an emptied one is an error
        "form-0-name": "Ok",
        "form-1-name": "",
    }
    formset = RowFormSet(data)
    assert not formset.is_valid()
    html = render_to_string("form_errors.html", {"form": None, "formset": formset})
    summary = lxml_html.fragment_fromstring(html)
    (link,) = summary.xpath(".//a")
    assert link.get("href") == "#id_form-1-name"
    assert link.text_content().startswith(gettext("%(label)s, row %(number)s") % {"label": "Namn", "number": 2})


def test_no_summary_without_errors():
    assert "data-error-summary" not in render_to_string("form_fields.html", {"form": SampleForm()})
    valid = RowFormSet({"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-name": "Ok"})
    assert "data-error-summary" not in render_to_string("form_errors.html", {"formset": valid})


# --- "Fel: " before the title ------------------------------------------------------


def _title(response) -> str:
    return lxml_html.document_fromstring(response.content).findtext(".//title")


def _post_emptied(client, url, field, button=None):
    """The page's form as the browser sends it, with ``field`` emptied."""
    page = client.get(url)
    assert not _title(page).startswith(swedish("Error: "))
    found = [s for s in submissions(url, page.content) if s.action.split("?")[0] == url.split("?")[0]]
    form = found[0]
    data = dict(form.data)
    data[field] = [""]
    return client.post(form.action, data)


@pytest.mark.parametrize(
    ("role", "url_name", "field"),
    [
        ("coordinator", "activities:create", "title"),  # a ModelForm in a function view (render)
        ("coordinator", "consultations:council_create", "name"),  # a form with a formset
        ("coordinator", "indicators:create", "name"),
        ("coordinator", "plans:create", "title"),
    ],
)
def test_the_title_starts_with_error_on_a_form_with_errors(world, role, url_name, field):
    client = world.client(role)
    url = reverse(url_name)
    if url_name == "activities:create":
        url += f"?plan={world.plan.pk}"
    response = _post_emptied(client, url, field)
    assert response.status_code in (200, 400)
    title = _title(response)
    assert title.startswith(swedish("Error: ")), title
    summary = lxml_html.document_fromstring(response.content).xpath("//*[@data-error-summary]")
    assert len(summary) == 1
    assert f"#id_{field}" in _links(summary[0])


def test_the_title_of_the_report_form_with_a_field_error(world):
    report = world.report_a
    entry = report.entries.get()
    client = world.client("contact_a")
    url = reverse("followups:report_edit", args=[report.pk])
    (form,) = [s for s in submissions(url, client.get(url).content) if s.action == url and s.name.endswith("|save")]
    data = dict(form.data) | {f"e{entry.pk}-assessment": ["nonsense"]}
    response = client.post(url, data)
    assert response.status_code == 400
    assert _title(response).startswith(swedish("Error: "))
    (summary,) = lxml_html.document_fromstring(response.content).xpath("//*[@data-error-summary]")
    assert f"#id_e{entry.pk}-assessment" in _links(summary)


# --- Goal pickers: the unit's own goals first --------------------------------------


def _goal_groups(response) -> list[tuple[str, list[str]]]:
    document = lxml_html.document_fromstring(response.content)
    (picker,) = document.xpath("//*[@data-filter-picker]")
    groups = []
    for fieldset in picker.xpath(".//fieldset[@class='picker-group']"):
        labels = [label.text_content().strip() for label in fieldset.xpath(".//label")]
        groups.append((fieldset.findtext("legend"), labels))
    return groups


def test_the_activity_forms_goal_picker_shows_the_units_goals_first(world):
    url = reverse("activities:create") + f"?plan={world.plan.pk}"
    groups = _goal_groups(world.client("contact_a").get(url))
    assert [name for name, _labels in groups] == [swedish("The unit's goals"), swedish("Other goals")]
    assert groups[0][1] == [f"{world.result_goal.code} {world.result_goal.title}"]
    assert f"{world.focus.code} {world.focus.title}" in groups[1][1]
    # The coordinator answers for no unit: one plain list.
    response = world.client("coordinator").get(url)
    assert _goal_groups(response) == []
    document = lxml_html.document_fromstring(response.content)
    (picker,) = document.xpath("//*[@data-filter-picker]")
    assert picker.get("data-filter-count") == swedish("{shown} of {total} goals shown")
    assert len(picker.xpath(".//input[@name='goals']")) == world.plan.goals.count()


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_goal_pickers_query_count_does_not_grow_with_the_plan(world):
    client = world.client("contact_a")
    url = reverse("activities:create") + f"?plan={world.plan.pk}"
    client.get(url)  # warm the per-process caches
    few = _count_queries(client, url)
    for i in range(40):
        goal = Goal.objects.create(
            plan=world.plan, parent=world.focus, depth=2, code=f"1.{i + 10}", title=f"Mål {i}", position=i + 10
        )
        if i % 2:
            GoalResponsibility.objects.create(goal=goal, unit=world.unit_a)
        else:
            GoalResponsibility.objects.create(goal=goal, group=world.group)
    many = _count_queries(client, url)
    assert many == few
    groups = _goal_groups(client.get(url))
    assert len(groups[0][1]) > 20  # the unit's own goals, directly and through its group


def test_the_event_forms_pickers_show_the_units_goals_and_activities_first(world):
    other = make_activity(world.plan, world.unit_b, [world.goal], title="Kulturkväll")
    response = world.client("contact_a").get(reverse("events:create"))
    document = lxml_html.document_fromstring(response.content)
    pickers = document.xpath("//*[@data-filter-picker]")
    assert [p.get("data-filter-label") for p in pickers] == [
        swedish("Filter the goals"),
        swedish("Filter the activities"),
    ]
    goals, activities = (
        [
            (f.findtext("legend"), [x.text_content().strip() for x in f.xpath(".//label")])
            for f in p.xpath(".//fieldset")
        ]
        for p in pickers
    )
    assert goals[0] == (swedish("The unit's goals"), [f"{world.result_goal.code} {world.result_goal.title}"])
    assert activities[0][0] == swedish("The unit's activities")
    assert f"{world.activity.reference} {world.activity.title}" in activities[0][1]
    assert activities[1] == (swedish("Other activities"), [f"{other.reference} {other.title}"])
