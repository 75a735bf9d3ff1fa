"""A plan's steering (issue 18, "Steering"): the units that must have a contact person
(the start page warns about those), support between units, other steering documents the
plan refers to, and goals linked to goals of other plans. Forms are posted as the browser
sends them (tests/formreader.py)."""

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from conftest import make_plan
from organisations.models import OrgUnit
from plans import services
from plans.models import Goal, Plan, PlanReference, SupportRelation
from plans.planfile import PlanFileInvalid, dump_plan, parse_plan_file
from tests.formreader import submissions

from .test_planfile import VALID

pytestmark = pytest.mark.django_db


def steering_form(client, plan):
    url = reverse("plans:steering", args=[plan.pk])
    page = client.get(url)
    assert page.status_code == 200
    (form,) = [s for s in submissions(url, page.content) if s.name == "plans:steering"]
    return form


def test_the_coordinator_records_the_plans_steering_and_it_shows_on_the_plan_page(world):
    client = world.client("coordinator")
    form = steering_form(client, world.plan)
    form.data["k-contact_units"] = [str(world.unit_a.pk), str(world.unit_b.pk)]
    form.data["st-0-supporter"] = [str(world.unit_a.pk)]
    form.data["st-0-kind"] = [SupportRelation.Kind.COORDINATES]
    form.data["st-0-supported_groups"] = [str(world.group.pk)]
    form.data["st-0-area"] = ["inom sitt verksamhetsområde"]
    form.data["ref-0-title"] = ["Program för mänskliga rättigheter"]
    form.data["ref-0-kind"] = [PlanReference.Kind.PROGRAMME]
    form.data["ref-0-url"] = ["https://start.stockholm/mr-programmet"]
    response = client.post(form.action, form.data)
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = world.plan
    assert set(plan.contact_units.all()) == {world.unit_a, world.unit_b}
    (relation,) = plan.support_relations.all()
    assert relation.supporter == world.unit_a and list(relation.supported_groups.all()) == [world.group]
    (ref,) = plan.references.all()
    assert ref.url == "https://start.stockholm/mr-programmet"
    event = AuditEvent.objects.filter(object_id=str(plan.pk), action=AuditEvent.Action.UPDATE).latest("pk")
    assert "contact_units" in event.changes and "support_relations" in event.changes

    html = client.get(reverse("plans:detail", args=[plan.pk]), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Styrning" in html and "Program för mänskliga rättigheter" in html
    assert "Socialnämnden</strong>" in html and "Stadsdelsnämnderna" in html
    # contact_a acts for SN; Hägersten-Älvsjö has contact_b: both have one.
    assert "ingen kontaktperson" not in html

    # The form posted back unchanged keeps everything (and records nothing new).
    before = AuditEvent.objects.count()
    form = steering_form(client, plan)
    assert client.post(form.action, form.data).status_code == 302
    assert set(plan.contact_units.all()) == {world.unit_a, world.unit_b} and plan.support_relations.count() == 1
    assert plan.references.count() == 1 and AuditEvent.objects.count() == before


def test_a_support_relation_without_anyone_supported_is_refused_and_nothing_is_saved(world):
    client = world.client("coordinator")
    form = steering_form(client, world.plan)
    form.data["k-contact_units"] = [str(world.unit_a.pk)]
    form.data["st-0-supporter"] = [str(world.unit_a.pk)]
    response = client.post(form.action, form.data, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400
    assert "Välj de enheter eller grupper av enheter som får stöd." in response.content.decode()
    assert not world.plan.contact_units.exists() and not world.plan.support_relations.exists()


def test_a_half_filled_row_is_named_and_linked_in_the_error_summary(world):
    client = world.client("coordinator")
    form = steering_form(client, world.plan)
    form.data["ref-0-url"] = ["https://example.se/mr"]
    response = client.post(form.action, form.data, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Fel: " in html
    assert '<a href="#id_ref-0-title">Titel, rad 1: Skriv dokumentets titel.</a>' in html
    assert html.count("data-error-summary") == 1  # one summary for the whole page
    assert not world.plan.references.exists()


def test_another_municipalitys_unit_cannot_be_named(world):
    client = world.client("coordinator")
    form = steering_form(client, world.plan)
    form.data["k-contact_units"] = [str(world.other_unit.pk)]
    response = client.post(form.action, form.data)
    assert response.status_code == 400
    assert not world.plan.contact_units.exists()


@pytest.mark.parametrize("role", ["reader", "contact_a"])
def test_only_the_coordinator_edits_the_steering(world, role):
    client = world.client(role)
    assert client.get(reverse("plans:steering", args=[world.plan.pk])).status_code == 403
    assert client.get(reverse("plans:detail", args=[world.plan.pk])).status_code == 200


def units_section(client) -> str:
    html = client.get(reverse("home:start"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    return html.split('id="units-heading"', 1)[1].split("</section>", 1)[0]


def test_the_start_page_warns_about_the_units_the_plan_names(world):
    client = world.client("coordinator")
    silent = OrgUnit.objects.create(
        municipality=world.municipality, kind=OrgUnit.Kind.NAMND, name="Idrottsnämnden", short_name="IDN"
    )
    named = OrgUnit.objects.create(
        municipality=world.municipality, kind=OrgUnit.Kind.NAMND, name="Äldrenämnden", short_name="ÄN"
    )
    html = units_section(client)
    # No units named by the plan: every committee without a contact person.
    assert "Idrottsnämnden" in html and "Äldrenämnden" in html and "Kommunstyrelsen</a>" in html
    world.plan.contact_units.set([named, world.unit_a])
    html = units_section(client)
    assert "Enheter som enligt planen ska ha en kontaktperson men saknar en" in html
    assert "Äldrenämnden</a>" in html and silent.name not in html and "Kommunstyrelsen</a>" not in html


def test_a_new_version_keeps_the_steering_and_the_links_between_goals(world):
    other = make_plan(world.municipality, "Program för mänskliga rättigheter", level_names=("Fokusområde",))
    mr_goal = Goal.objects.create(plan=other, depth=1, code="A", title="Alla bemöts likvärdigt")
    world.plan.contact_units.set([world.unit_a])
    relation = SupportRelation.objects.create(plan=world.plan, supporter=world.unit_a, area="socialtjänst")
    relation.supported_units.set([world.unit_b])
    PlanReference.objects.create(plan=world.plan, title="MR-programmet", referenced_plan=other)
    world.goal.related_goals.set([mr_goal, world.focus])  # one outside the plan, one inside
    copy = services.plan_new_version(plan=world.plan, by=None)
    assert list(copy.contact_units.all()) == [world.unit_a]
    (new_relation,) = copy.support_relations.all()
    assert new_relation.area == "socialtjänst" and list(new_relation.supported_units.all()) == [world.unit_b]
    assert copy.references.get().referenced_plan == other
    new_goal = copy.goals.get(identity=world.goal.identity)
    new_focus = copy.goals.get(identity=world.focus.identity)
    assert set(new_goal.related_goals.all()) == {mr_goal, new_focus}
    assert set(world.goal.related_goals.all()) == {mr_goal, world.focus}  # the old version unchanged


def test_goals_link_to_goals_of_other_plans_from_the_goal_form(world):
    other = make_plan(world.municipality, "Program för mänskliga rättigheter", level_names=("Fokusområde",))
    mr_goal = Goal.objects.create(plan=other, depth=1, code="A", title="Alla bemöts likvärdigt")
    client = world.client("coordinator")
    url = reverse("plans:goal_edit", args=[world.goal.pk])
    page = client.get(url)
    (form,) = [s for s in submissions(url, page.content) if s.name == "plans:goal_edit"]
    html = page.content.decode()
    assert f'value="{mr_goal.pk}"' in html
    assert f'value="{world.other_goal.pk}"' not in html and f'value="{world.result_goal.pk}"' not in html
    form.data["related_goals"] = [str(mr_goal.pk)]
    assert client.post(form.action, form.data).status_code == 302
    assert list(world.goal.related_goals.all()) == [mr_goal]
    # Both goal pages show the link, each from its side.
    here = client.get(reverse("plans:goal", args=[world.goal.pk]), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    there = client.get(reverse("plans:goal", args=[mr_goal.pk]), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Bygger på eller bidrar till" in here and "Alla bemöts likvärdigt" in here
    assert "Hänvisas till av" in there and world.goal.title in there
    # Posted back unchanged, the link stays; a crafted post naming another municipality's goal is refused.
    page = client.get(url)
    (form,) = [s for s in submissions(url, page.content) if s.name == "plans:goal_edit"]
    assert form.data["related_goals"] == [str(mr_goal.pk)]
    form.data["related_goals"] = [str(world.other_goal.pk)]
    assert client.post(form.action, form.data).status_code == 200
    assert list(world.goal.related_goals.all()) == [mr_goal]


def test_the_goal_page_reads_its_links_in_a_fixed_number_of_queries(world):
    client = world.client("coordinator")
    url = reverse("plans:goal", args=[world.goal.pk])

    def queries():
        client.get(url)  # warm caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    other = make_plan(world.municipality, "Program för mänskliga rättigheter", level_names=("Fokusområde",))
    goals = [Goal.objects.create(plan=other, depth=1, code=str(n), title=f"Mål {n}") for n in range(12)]
    world.goal.related_goals.set(goals[:1])
    few = queries()
    world.goal.related_goals.set(goals)
    for g in goals[:5]:
        g.related_goals.add(world.goal)
    assert queries() == few


def test_the_plan_file_carries_the_steering_both_ways(world):
    world.plan.contact_units.set([world.unit_a, world.unit_b])
    relation = SupportRelation.objects.create(
        plan=world.plan, supporter=world.unit_a, kind=SupportRelation.Kind.ON_REQUEST, area="vid behov"
    )
    relation.supported_units.set([world.unit_ks])
    relation.supported_groups.set([world.group])
    PlanReference.objects.create(plan=world.plan, title="MR-programmet", url="https://example.se/mr", note="Hör till")
    text = dump_plan(world.plan)
    data = yaml.safe_load(text)
    assert data["steering"]["contact_units"] == ["Hägersten-Älvsjö", "SN"]
    assert data["steering"]["support"] == [
        {"unit": "SN", "kind": "vid_behov", "supports": ["KS", "Stadsdelsnämnderna"], "area": "vid behov"}
    ]
    spec = parse_plan_file(text, world.municipality)
    plan = services.plan_import(municipality=world.municipality, spec=spec, by=None, as_new=True)
    assert plan.pk != world.plan.pk
    assert set(plan.contact_units.all()) == {world.unit_a, world.unit_b}
    (copied,) = plan.support_relations.all()
    assert (copied.kind, copied.area) == (SupportRelation.Kind.ON_REQUEST, "vid behov")
    assert list(copied.supported_units.all()) == [world.unit_ks] and list(copied.supported_groups.all()) == [
        world.group
    ]
    assert plan.references.get().url == "https://example.se/mr"
    assert dump_plan(plan).split("\n", 2)[2] == text.split("\n", 2)[2]


def test_a_plan_files_steering_errors_name_their_lines(world):
    text = (
        VALID
        + "steering:\n  contact_units: [SN, Okänd]\n  support:\n    - {unit: SN, kind: fel}\n"
        + "  references:\n    - {title: MR, url: ftp://x}\n"
    )
    with pytest.raises(PlanFileInvalid) as caught:
        parse_plan_file(text, world.municipality)
    lines: dict[int, str] = {}
    for error in caught.value.errors:
        lines[error.line] = lines.get(error.line, "") + " " + error.message
    base = VALID.count("\n")
    assert "Okänd" in lines[base + 2]
    assert "kind" in lines[base + 4] and "supports" in lines[base + 4]
    assert "url" in lines[base + 6]
    assert not Plan.objects.filter(title="x").exists()
