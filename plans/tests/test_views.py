from io import BytesIO

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from conftest import make_plan
from imports.models import ImportJob
from plans.models import Goal, GoalResponsibility, Plan

from .test_planfile import VALID


def plan_post(**overrides):
    data = {
        "title": "Handlingsplan för romsk inkludering 2030",
        "kind": "handlingsplan",
        "status": "antagen",
        "valid_from": "2026-01-01",
        "valid_to": "2030-12-31",
        "adopted_by": "Kommunfullmäktige",
        "adopted_on": "2025-12-08",
        "overall_goal": "Staden säkerställer romers lika tillgång till de mänskliga rättigheterna",
        "description": "",
        "level_1_name": "Fokusområde",
        "level_2_name": "Mål",
        "level_2_kind": "effektmal",
        "level_3_name": "Resultatmål",
        "level_3_kind": "resultatmal",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_a_plan_with_its_own_levels(world):
    client = world.client("coordinator")
    response = client.post(reverse("plans:create"), plan_post(title="Ny plan"))
    plan = Plan.objects.get(title="Ny plan")
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert plan.municipality == world.municipality
    assert [(lvl.name, lvl.goal_kind) for lvl in plan.levels.order_by("depth")] == [
        ("Fokusområde", ""),
        ("Mål", "effektmal"),
        ("Resultatmål", "resultatmal"),
    ]
    event = AuditEvent.objects.get(action="create", object_id=plan.pk)
    assert event.actor == world.users["coordinator"]
    assert event.changes["levels"] == [None, ["Fokusområde", "Mål", "Resultatmål"]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"valid_to": "2020-01-01"}, "valid_to"),
        ({"title": ""}, "title"),
        ({"level_1_name": ""}, "level_1_name"),
        ({"level_2_name": "", "level_3_name": "Resultatmål"}, "level_3_name"),
        ({"kind": "vision"}, "kind"),
        ({"valid_from": "den första"}, "valid_from"),
    ],
)
def test_bad_plan_input_is_refused_on_its_field_and_nothing_saved(world, overrides, field):
    client = world.client("coordinator")
    events = AuditEvent.objects.count()
    response = client.post(reverse("plans:create"), plan_post(**({"title": "X"} | overrides)))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Plan.objects.filter(title="X").exists()
    assert AuditEvent.objects.count() == events


def test_levels_cannot_be_removed_under_existing_goals(world):
    client = world.client("coordinator")
    response = client.post(reverse("plans:edit", args=[world.plan.pk]), plan_post(level_3_name=""))
    assert response.status_code == 200
    assert "level_3_name" in response.context["form"].errors
    assert world.plan.levels.count() == 3


def test_edit_plan_records_what_changed_and_shows_it(world):
    client = world.client("coordinator")
    client.post(reverse("plans:edit", args=[world.plan.pk]), plan_post(status="pa_remiss"))
    event = AuditEvent.objects.get(action="update", object_id=world.plan.pk)
    assert event.changes["status"][1] == "out for consultation" or event.changes["status"][1] == "på remiss"
    page = client.get(reverse("plans:detail", args=[world.plan.pk]))
    assert "coordinator" in page.content.decode() or "Coordinator" in page.content.decode()
    assert page.context["history"][0] == event


def goal_post(world, **overrides):
    data = {
        "parent": world.goal.pk,
        "code": "1.2.2",
        "title": "Informationsmaterial efter målgruppens behov",
        "kind": "resultatmal",
        "description": "",
        "guidance": "Exempel på insatser:\n• samhällsvägledning på romani chib",
        "rights_areas": ["kultur", "utbildning"],
        "primary": [f"u{world.unit_a.pk}", f"g{world.group.pk}"],
        "co_responsible": [f"u{world.unit_ks.pk}"],
    }
    data.update(overrides)
    return data


def test_coordinator_adds_a_result_goal_with_responsibility(world):
    client = world.client("coordinator")
    response = client.post(reverse("plans:goal_create", args=[world.plan.pk]), goal_post(world))
    assert response.status_code == 302
    goal = Goal.objects.get(plan=world.plan, code="1.2.2")
    assert goal.depth == 3 and goal.parent == world.goal
    assert {(r.unit_id, r.group_id, r.role) for r in goal.responsibilities.all()} == {
        (world.unit_a.pk, None, "primary"),
        (None, world.group.pk, "primary"),
        (world.unit_ks.pk, None, "co"),
    }
    assert set(goal.rights_areas.values_list("code", flat=True)) == {"kultur", "utbildning"}
    assert AuditEvent.objects.filter(object_id=goal.pk, action="create").exists()


def test_goal_codes_are_unique_in_the_plan(world):
    client = world.client("coordinator")
    response = client.post(reverse("plans:goal_create", args=[world.plan.pk]), goal_post(world, code="1.2.1"))
    assert "code" in response.context["form"].errors
    assert world.plan.goals.count() == 3


def test_a_crafted_post_cannot_name_another_municipalitys_unit_or_goal(world):
    client = world.client("coordinator")
    response = client.post(
        reverse("plans:goal_create", args=[world.plan.pk]),
        goal_post(world, primary=[f"u{world.other_unit.pk}"], parent=world.other_goal.pk),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "primary" in errors and "parent" in errors
    assert not GoalResponsibility.objects.filter(unit=world.other_unit, goal__plan=world.plan).exists()
    assert world.plan.goals.count() == 3


def test_a_goal_cannot_be_added_below_the_last_level(world):
    client = world.client("coordinator")
    response = client.post(
        reverse("plans:goal_create", args=[world.plan.pk]), goal_post(world, parent=world.result_goal.pk)
    )
    assert "parent" in response.context["form"].errors


def test_edit_goal_changes_responsibility_and_records_it(world):
    client = world.client("coordinator")
    data = goal_post(world, code="1.2.1", primary=[f"u{world.unit_b.pk}"], co_responsible=[])
    data.pop("parent")
    response = client.post(reverse("plans:goal_edit", args=[world.result_goal.pk]), data)
    assert response.status_code == 302
    resps = list(world.result_goal.responsibilities.all())
    assert [(r.unit_id, r.role) for r in resps] == [(world.unit_b.pk, "primary")]
    event = AuditEvent.objects.get(object_id=world.result_goal.pk, action="update")
    old, new = event.changes["responsible"]
    assert "SN" in " ".join(old) and new == [f"{world.unit_b.short_name} ({resps[0].get_role_display()})"]
    page = client.get(reverse("plans:goal", args=[world.result_goal.pk]))
    assert page.context["history"][0] == event


def test_same_unit_cannot_be_both_primary_and_co_responsible(world):
    client = world.client("coordinator")
    data = goal_post(world, co_responsible=[f"u{world.unit_a.pk}"])
    response = client.post(reverse("plans:goal_create", args=[world.plan.pk]), data)
    assert "co_responsible" in response.context["form"].errors


def test_deleting_a_goal_deletes_its_branch_and_keeps_the_history(world):
    world.round.delete()
    client = world.client("coordinator")
    response = client.post(reverse("plans:goal_delete", args=[world.goal.pk]))
    assert response.status_code == 302
    assert list(world.plan.goals.values_list("code", flat=True)) == ["1"]
    deleted = set(AuditEvent.objects.filter(action="delete").values_list("object_repr", flat=True))
    assert {str(world.goal), str(world.result_goal)} <= deleted


def test_deleting_a_plan(world):
    world.round.delete()
    client = world.client("coordinator")
    client.post(reverse("plans:delete", args=[world.plan.pk]))
    assert not Plan.objects.filter(pk=world.plan.pk).exists()
    assert AuditEvent.objects.filter(action="delete", object_repr=world.plan.title).exists()


def test_the_current_plan_is_deleted_only_after_another_is_chosen(world):
    """Deleting the current plan while others exist left no current plan: the activity pages
    then said "There is no plan yet" though the municipality works by another one."""
    world.round.delete()
    other = make_plan(world.municipality, "Strategi 2035")
    client = world.client("coordinator")
    action = reverse("plans:delete", args=[world.plan.pk])
    page = client.get(action, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Det här är kommunens aktuella plan." in page and 'type="submit"' not in page.split("<main")[1]
    response = client.post(action, follow=True)
    assert "Gör först en annan plan till aktuell plan" in response.content.decode()
    world.plan.refresh_from_db()
    assert world.plan.is_current
    client.post(reverse("plans:make_current", args=[other.pk]))
    page = client.get(action)
    client.post(action, browser_form(page, action))
    assert not Plan.objects.filter(pk=world.plan.pk).exists()
    assert Plan.objects.get(municipality=world.municipality, is_current=True) == other


def test_a_followed_up_plan_or_goal_is_kept(world):
    """Follow-up reports point at the plan and its goals: they cannot be deleted from under them."""
    client = world.client("coordinator")
    events = AuditEvent.objects.count()
    response = client.post(reverse("plans:delete", args=[world.plan.pk]), follow=True)
    assert "cannot be deleted" in response.content.decode() or "kan inte tas bort" in response.content.decode()
    response = client.post(reverse("plans:goal_delete", args=[world.goal.pk]))
    assert response.status_code == 302
    assert Plan.objects.filter(pk=world.plan.pk).exists()
    assert world.plan.goals.count() == 3
    assert AuditEvent.objects.count() == events


def test_import_page_lists_every_error_and_saves_nothing(world):
    client = world.client("coordinator")
    bad = VALID.replace("[sn, Stadsdelsnämnderna]", "[SOC]").replace('code: "1.10.1"', 'code: "1"')
    upload = SimpleUploadedFile("plan.yaml", bad.encode(), content_type="application/yaml")
    response = client.post(reverse("plans:import"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400
    assert len(response.context["errors"]) == 2
    assert Plan.objects.count() == 2


def test_import_page_rejects_an_oversized_file(world, settings):
    settings.PLAN_FILE_MAX_BYTES = 100
    client = world.client("coordinator")
    upload = SimpleUploadedFile("plan.yaml", VALID.encode(), content_type="application/yaml")
    response = client.post(reverse("plans:import"), {"file": upload})
    assert "file" in response.context["form"].errors
    assert Plan.objects.count() == 2


def imported_plan(client, response) -> Plan:
    """Follow an accepted plan file to its import job's page (the job ran after the
    commit, in the tests' task backend) and return the new plan that page links to."""
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("imports:job", args=[job.pk])
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="sv")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and not job.file, job.errors
    html = page.content.decode()
    assert f"Planen ”{job.result_plan.title}” har importerats med {job.created} mål." in html
    assert reverse("plans:detail", args=[job.result_plan.pk]) in html
    return job.result_plan


def test_import_page_imports_and_export_downloads(world, django_capture_on_commit_callbacks):
    client = world.client("coordinator")
    upload = SimpleUploadedFile("plan.yaml", VALID.encode(), content_type="application/yaml")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plans:import"), {"file": upload})
    plan = Plan.objects.get(title="Testplan")
    assert imported_plan(client, response) == plan
    download = client.get(reverse("plans:export", args=[plan.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="testplan.plan.yaml"'
    data = yaml.safe_load(download.content.decode())
    assert data["goals"][0]["goals"][0]["goals"][0]["responsible"]["co_responsible"] == ["KS"]


def test_plan_page_shows_the_tree_and_responsible_units(world):
    page = world.client("reader").get(reverse("plans:detail", args=[world.plan.pk]))
    html = page.content.decode()
    for text in ["Kunskap och information", "1.2.1", "Socialnämnden", "Stadsdelsnämnderna", "Kommunstyrelsen"]:
        assert text in html


def codes(response) -> list[str]:
    out = []

    def walk(nodes):
        for node in nodes:
            if node.matches:
                out.append(node.goal.code)
            walk(node.children)

    walk(response.context["tree"].roots)
    return out


def test_filter_by_unit_includes_groups_and_all_units(world):
    client = world.client("reader")
    url = reverse("plans:detail", args=[world.plan.pk])
    assert codes(client.get(url, {"enhet": world.unit_b.pk})) == ["1.2.1"]  # through the group
    world.goal.all_units = True
    world.goal.save()
    assert codes(client.get(url, {"enhet": world.unit_ks.pk})) == ["1.2", "1.2.1"]  # all + co-responsible
    assert codes(client.get(url, {"omrade": "kultur"})) == ["1.2.1"]
    assert codes(client.get(url, {"omrade": "bostad"})) == []
    # Ancestors stay visible for context.
    roots = client.get(url, {"omrade": "kultur"}).context["tree"].roots
    assert roots[0].goal == world.focus and not roots[0].matches


def test_bad_filter_values_are_ignored(world):
    client = world.client("reader")
    url = reverse("plans:detail", args=[world.plan.pk])
    response = client.get(url, {"enhet": world.other_unit.pk, "omrade": "'; drop"})
    assert response.status_code == 200
    assert response.context["tree"].shown_count == 3


def build_plan(world, n_goals: int) -> Plan:
    plan = make_plan(world.municipality, f"Plan med {n_goals} mål")
    top = None
    for i in range(n_goals):
        if i % 10 == 0:
            top = Goal.objects.create(plan=plan, depth=1, code=f"{i // 10 + 1}", title=f"Område {i}")
            continue
        goal = Goal.objects.create(plan=plan, parent=top, depth=2, code=f"{top.code}.{i}", title=f"Mål {i}")
        GoalResponsibility.objects.create(goal=goal, unit=world.unit_a)
        GoalResponsibility.objects.create(goal=goal, group=world.group, role="co")
        goal.rights_areas.set(["utbildning", "arbete"])
    return plan


@pytest.mark.parametrize("params", [{}, {"omrade": "arbete"}, {"enhet": "unit_b"}])
def test_plan_page_query_count_does_not_grow_with_goals(world, params):
    client = world.client("coordinator")
    counts = []
    for n in (5, 50):
        plan = build_plan(world, n)
        query = {k: (world.unit_b.pk if v == "unit_b" else v) for k, v in params.items()}
        client.get(reverse("plans:detail", args=[plan.pk]), query)  # warm caches (content types, session)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("plans:detail", args=[plan.pk]), query)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_plan_list_and_start_page_query_counts(world):
    client = world.client("contact_a")
    counts = {}
    for n in (1, 20):
        for _ in range(n):
            build_plan(world, 3)
        for name in ("plans:list", "home:start"):
            client.get(reverse(name))
            with CaptureQueriesContext(connection) as ctx:
                client.get(reverse(name))
            counts.setdefault(name, []).append(len(ctx.captured_queries))
    assert all(a == b for a, b in counts.values()), counts


def test_the_coordinator_names_the_plans_statuses(world):
    client = world.client("coordinator")
    url = reverse("plans:statuses", args=[world.plan.pk])
    formset = client.get(url).context["formset"]
    data = {"s-TOTAL_FORMS": str(len(formset.forms)), "s-INITIAL_FORMS": str(len(formset.initial_forms)),
            "s-MIN_NUM_FORMS": "0", "s-MAX_NUM_FORMS": "1000"}  # fmt: skip
    for i, form in enumerate(formset.forms):
        for name in ("id", "plan", "name", "summary", "position"):
            value = form[name].value()
            data[f"s-{i}-{name}"] = "" if value is None else value
    used = world.activity.status
    first = next(i for i, f in enumerate(formset.initial_forms) if f.instance == used)
    data[f"s-{first}-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 400  # in use: refused
    del data[f"s-{first}-DELETE"]
    data[f"s-{first}-name"] = "Startad"
    new = len(formset.initial_forms)
    data |= {f"s-{new}-name": "Väntar på beslut", f"s-{new}-summary": "pausad", f"s-{new}-position": "9"}
    assert client.post(url, data).status_code == 302
    names = list(world.plan.activity_statuses.values_list("name", flat=True))
    assert "Startad" in names and "Väntar på beslut" in names


def test_the_plan_downloads_as_a_spreadsheet_with_the_kommunkod(world):
    from openpyxl import load_workbook

    from plans.spreadsheet import plan_workbook

    response = world.client("reader").get(reverse("plans:xlsx", args=[world.plan.pk]))
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("Kommunkod", "Kod", "Nivå")
    goal = next(r for r in rows if r[1] == "1.2.1")
    assert goal[0] == "0180" and goal[4] == "Stadens verksamheter arbetar uppsökande"
    assert "Socialnämnden" in goal[5] and "Stadsdelsnämnderna" in goal[5] and goal[6] == "Kommunstyrelsen"
    assert goal[8] == 1  # the world's activity
    with CaptureQueriesContext(connection) as ctx:
        plan_workbook(world.plan)
    assert len(ctx.captured_queries) == 6  # levels, goals, responsibilities, units, groups, rights areas


# --- As the browser sends it ------------------------------------------------------------


def browser_form(page, action: str) -> dict[str, list[str]]:
    """The fields of the page's form posting to ``action``, as a browser submits them unchanged."""
    from tests.formreader import submissions

    (form,) = [f for f in submissions(page.wsgi_request.path, page.content) if f.action.endswith(action)]
    return form.data


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("title", "Handlingsplan\r\nför romsk inkludering", "Skriv det här på en rad, utan radbrytningar."),
        ("title", "Handlingsplan\x07", "Texten innehåller ett styrtecken (U+0007) som inte kan sparas; ta bort det."),
        ("adopted_by", "Kommun-\nfullmäktige", "Skriv det här på en rad"),
        ("level_2_name", "M\u2028l", "Skriv det här på en rad"),
        ("level_2_name", "M" * 101, "100 tecken"),
        ("description", "Rad ett\r\nRad\x0ctvå", "Texten innehåller ett styrtecken (U+000C)"),
    ],
)
def test_the_plan_form_refuses_text_that_would_not_survive_export(world, field, value, expected):
    client = world.client("coordinator")
    url = reverse("plans:edit", args=[world.plan.pk])
    data = browser_form(client.get(url, HTTP_ACCEPT_LANGUAGE="sv"), url)
    data[field] = [value]
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    assert any(expected in str(e) for e in response.context["form"].errors[field]), response.context["form"].errors
    assert expected.split(" (")[0] in response.content.decode()  # shown by the field
    world.plan.refresh_from_db()
    assert world.plan.title == "Handlingsplan för romsk inkludering 2030"
    assert "\n" not in world.plan.description


def test_the_plan_form_saves_a_multiline_description(world):
    client = world.client("coordinator")
    url = reverse("plans:edit", args=[world.plan.pk])
    data = browser_form(client.get(url), url)
    data["description"] = ["Rad ett\r\nRad två"]
    assert client.post(url, data).status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.description.splitlines() == ["Rad ett", "Rad två"]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("title", "Staden når romer\r\nmed information", "Skriv det här på en rad, utan radbrytningar."),
        ("code", "1.\t2", "Texten innehåller ett styrtecken (U+0009)"),
        ("title", "Staden\x00når", "Null characters are not allowed."),
        ("guidance", "Exempel\x1b[31m", "Texten innehåller ett styrtecken (U+001B)"),
    ],
)
def test_the_goal_form_refuses_text_that_would_not_survive_export(world, field, value, expected):
    client = world.client("coordinator")
    url = reverse("plans:goal_edit", args=[world.goal.pk])
    data = browser_form(client.get(url, HTTP_ACCEPT_LANGUAGE="sv"), url)
    data[field] = [value]
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 200
    errors = [str(e) for e in response.context["form"].errors[field]]
    assert any(expected in e or "Null" in expected for e in errors), errors
    world.goal.refresh_from_db()
    assert (world.goal.code, world.goal.title) == ("1.2", "Staden når romer med information")


# --- The current plan -------------------------------------------------------------------


def test_reimporting_the_current_plan_asks_first_and_never_changes_the_current_plan(
    world, django_capture_on_commit_callbacks
):
    """The incident: re-importing a municipality's plan made the empty copy the current plan."""
    client = world.client("coordinator")
    exported = client.get(reverse("plans:export", args=[world.plan.pk])).content
    url = reverse("plans:import")
    page = client.get(url)
    data = browser_form(page, url)
    assert "as_new" not in data  # not offered until a plan with the same title and period is found
    upload = SimpleUploadedFile("plan.yaml", exported, content_type="application/yaml")
    response = client.post(url, {**data, "file": upload}, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Det finns redan en plan med den här titeln och perioden. Ingenting sparades." in html
    assert reverse("plans:detail", args=[world.plan.pk]) in html
    assert Plan.objects.filter(municipality=world.municipality).count() == 1

    # Second step: the form now offers the confirmation; tick it and choose the file again.
    data = browser_form(response, url)
    assert data.get("as_new") is None  # offered, not ticked
    data["as_new"] = ["on"]
    upload = SimpleUploadedFile("plan.yaml", exported, content_type="application/yaml")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "file": upload})
    copy = Plan.objects.filter(municipality=world.municipality).exclude(pk=world.plan.pk).get()
    assert imported_plan(client, response) == copy
    assert copy.goals.count() == world.plan.goals.count() and copy.activities.count() == 0
    world.plan.refresh_from_db()
    assert world.plan.is_current and not copy.is_current
    start = client.get(reverse("home:start"))
    assert start.context["current_plan"] == world.plan
    assert start.context["board"].activity_total == world.plan.activities.count() == 1


def test_a_coordinator_makes_another_plan_current_and_it_is_recorded(world):
    other = make_plan(world.municipality, "Strategi 2035")
    assert not other.is_current
    client = world.client("coordinator")
    page = client.get(reverse("plans:detail", args=[other.pk]), HTTP_ACCEPT_LANGUAGE="sv")
    assert "Gör till aktuell plan" in page.content.decode()
    action = reverse("plans:make_current", args=[other.pk])
    response = client.post(action, browser_form(page, action))
    assert response["Location"] == reverse("plans:detail", args=[other.pk])
    other.refresh_from_db()
    world.plan.refresh_from_db()
    assert other.is_current and not world.plan.is_current
    assert Plan.objects.filter(municipality=world.municipality, is_current=True).count() == 1
    events = AuditEvent.objects.filter(action="update", object_repr__in=[other.title, world.plan.title])
    assert {(e.object_repr, tuple(e.changes["is_current"])) for e in events} == {
        (other.title, (False, True)),
        (world.plan.title, (True, False)),
    }
    assert all(e.actor == world.users["coordinator"] for e in events)
    assert client.get(reverse("home:start")).context["current_plan"] == other
    # The current plan's page offers no button; posting again changes and records nothing.
    page = client.get(reverse("plans:detail", args=[other.pk]), HTTP_ACCEPT_LANGUAGE="sv")
    assert "Gör till aktuell plan" not in page.content.decode()
    count = AuditEvent.objects.count()
    client.post(action)
    assert AuditEvent.objects.count() == count


def test_a_replaced_plan_cannot_be_made_current(world):
    other = make_plan(world.municipality, "Strategi 2018")
    other.status = Plan.Status.REPLACED
    other.save()
    client = world.client("coordinator")
    assert "Gör till aktuell plan" not in client.get(reverse("plans:detail", args=[other.pk])).content.decode()
    client.post(reverse("plans:make_current", args=[other.pk]))
    other.refresh_from_db()
    assert not other.is_current


def test_readers_and_contacts_cannot_make_a_plan_current(world):
    other = make_plan(world.municipality, "Strategi 2035")
    for role in ("reader", "contact_a"):
        assert world.client(role).post(reverse("plans:make_current", args=[other.pk])).status_code == 403
        page = world.client(role).get(reverse("plans:detail", args=[other.pk]))
        assert reverse("plans:make_current", args=[other.pk]) not in page.content.decode()
    assert world.client("other_coordinator").post(reverse("plans:make_current", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert not other.is_current


def test_the_first_plan_becomes_current_and_later_ones_do_not(world):
    Plan.objects.filter(municipality=world.municipality).update(is_current=False)
    client = world.client("coordinator")
    page = client.get(reverse("home:start"), HTTP_ACCEPT_LANGUAGE="sv")
    assert "Ingen plan är vald som aktuell plan" in page.content.decode()
    client.post(reverse("plans:create"), plan_post(title="Första planen"))
    client.post(reverse("plans:create"), plan_post(title="Andra planen"))
    assert list(Plan.objects.filter(is_current=True, municipality=world.municipality)) == [
        Plan.objects.get(title="Första planen")
    ]


def test_the_goal_page_pages_its_activities_with_a_fixed_number_of_queries(world):
    """A goal every unit serves can have a thousand activities: they come 50 at a time."""
    from conftest import make_activity

    client = world.client("reader")
    url = reverse("plans:goal", args=[world.result_goal.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    client.get(url)  # the first request after signing in
    one = queries()
    for i in range(60):
        make_activity(world.plan, world.unit_b, [world.result_goal], title=f"Aktivitet {i:02}")
    assert queries() == one
    response = client.get(url)
    page = response.content.decode()
    served = world.result_goal.activities.count()
    assert response.context["activities"].paginator.count == served > 50
    assert len(response.context["activities"].object_list) == 50
    assert "1–50" in page and '<nav class="pagination" aria-label="Sidor">' in page
    assert 'href="?sida=2#goal-activities" rel="next"' in page
    assert f'href="{reverse("activities:list")}?plan={world.plan.pk}&amp;mal={world.result_goal.pk}"' in page
    second = client.get(url, {"sida": 2})
    assert len(second.context["activities"].object_list) == served - 50
    assert 'aria-current="page">Sida 2 av 2' in second.content.decode()
    shown = {a.pk for a in response.context["activities"]} | {a.pk for a in second.context["activities"]}
    assert shown == set(world.result_goal.activities.values_list("pk", flat=True))
    # Sorted by title, descending: page 2 keeps the sort, in the same number of queries.
    ordered = client.get(url, {"ordning": "-titel"})
    titles = [a.title for a in ordered.context["activities"]]
    assert titles.index("Aktivitet 59") < titles.index("Aktivitet 58")
    assert 'href="?ordning=-titel&amp;sida=2#goal-activities" rel="next"' in ordered.content.decode()
    assert 'aria-sort="descending"' in ordered.content.decode()
    with CaptureQueriesContext(connection) as ctx:
        last = client.get(url, {"ordning": "-titel", "sida": 2})
    assert len(ctx.captured_queries) == one
    assert [a.title for a in last.context["activities"]][-2:] == ["Aktivitet 01", "Aktivitet 00"]
