"""Plan versions: the copy, the comparison, adoption with carry-over (docs/plan-versions.md)."""

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from lxml import html as lxml_html

from activities.models import Activity
from audit.models import AuditEvent
from conftest import make_activity
from indicators.tests.factories import make_indicator
from organisations.models import Municipality
from plans.models import Goal, GoalResponsibility, Plan
from plans.planfile import dump_plan, parse_plan_file
from plans.services import AdoptionRefused, NewVersionRefused, plan_adopt, plan_import, plan_new_version
from plans.tests.test_views import browser_form
from plans.versions import DELETE, EQUAL, INSERT, Segment, compare, snapshot, word_diff


@pytest.fixture(autouse=True)
def rounds_finished(request):
    """The world's follow-up round approved: a version is adopted once the rounds of the one
    it replaces are finished (test_adoption_waits_for_the_open_reports_of_the_version_it_replaces)."""
    from followups.models import UnitReport

    if "world" in request.fixturenames:
        world = request.getfixturevalue("world")
        UnitReport.objects.filter(round__plan=world.plan).update(
            status=UnitReport.Status.APPROVED, approved_at=timezone.now()
        )


def english(client):
    """The client with English chosen in the language switcher (the pages are Swedish otherwise)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def today():
    return timezone.localdate()


# --- Word diff ----------------------------------------------------------------------------


def test_word_diff_marks_words_added_and_removed():
    segments = word_diff("Staden når romer med information", "Staden når alla romer med tydlig information")
    assert [(s.kind, s.text.strip()) for s in segments] == [
        (EQUAL, "Staden når"),
        (INSERT, "alla"),
        (EQUAL, "romer med"),
        (INSERT, "tydlig"),
        (EQUAL, "information"),
    ]
    assert "".join(s.text for s in segments) == "Staden når alla romer med tydlig information"
    assert word_diff("en två tre", "en fyra tre") == [
        Segment(EQUAL, "en "),
        Segment(DELETE, "två"),
        Segment(INSERT, "fyra"),
        Segment(EQUAL, " tre"),
    ]
    assert word_diff("", "ny text") == [Segment(INSERT, "ny text")]
    assert word_diff("samma", "samma") == [Segment(EQUAL, "samma")]
    # A changed line break is a change of its own.
    assert Segment(DELETE, " ") in word_diff("rad ett", "rad\nett")


# --- The copy -----------------------------------------------------------------------------


def test_a_new_version_copies_the_plan_with_the_same_identities(world):
    world.plan.dnr = "KS 2026/12"
    world.plan.save()
    copy = plan_new_version(plan=world.plan, by=world.users["coordinator"])
    assert (copy.version, copy.previous_version, copy.status, copy.is_current) == (2, world.plan, "utkast", False)
    assert (copy.title, copy.kind, copy.dnr) == (world.plan.title, world.plan.kind, "KS 2026/12")
    assert [lv.name for lv in copy.levels.order_by("depth")] == ["Fokusområde", "Mål", "Resultatmål"]
    assert [s.name for s in copy.activity_statuses.all()] == [s.name for s in world.plan.activity_statuses.all()]
    old = {g.identity: g for g in world.plan.goals.all()}
    new = {g.identity: g for g in copy.goals.all()}
    assert set(old) == set(new) and len(new) == 3
    for identity, goal in new.items():
        before = old[identity]
        assert goal.pk != before.pk
        assert (goal.code, goal.title, goal.kind, goal.depth, goal.position) == (
            before.code,
            before.title,
            before.kind,
            before.depth,
            before.position,
        )
        assert (goal.parent.identity if goal.parent else None) == (before.parent.identity if before.parent else None)
        assert goal.parent is None or goal.parent.plan_id == copy.pk
    copied = new[world.result_goal.identity]
    assert {(r.unit_id, r.group_id, r.role) for r in copied.responsibilities.all()} == {
        (r.unit_id, r.group_id, r.role) for r in world.result_goal.responsibilities.all()
    }
    assert [a.code for a in copied.rights_areas.all()] == ["kultur"]
    # The old version is untouched, and keeps its activities until the new one is adopted.
    assert world.plan.goals.count() == 3 and world.activity.plan_id == world.plan.pk
    assert Plan.objects.get(pk=world.plan.pk).is_current
    assert AuditEvent.objects.filter(object_id=copy.pk, action="create").exists()
    # Only the newest version is copied (item 4 of review r16): an older one is refused,
    # naming the newest, and nothing is made.
    with translation.override("sv"), pytest.raises(NewVersionRefused, match="version 2") as refused:
        plan_new_version(plan=world.plan, by=None)
    assert refused.value.newest == copy and Plan.objects.filter(previous_version=world.plan).count() == 1
    assert plan_new_version(plan=copy, by=None).version == 3


def _plan_with_goals(world, count: int) -> Plan:
    plan = Plan.objects.create(municipality=world.municipality, title=f"Plan med {count} mål", kind="program")
    top = Goal.objects.create(plan=plan, depth=1, code="1", title="Topp")
    for i in range(count - 1):
        goal = Goal.objects.create(plan=plan, parent=top, depth=2, code=f"1.{i}", title=f"Mål {i}", position=i)
        GoalResponsibility.objects.create(goal=goal, unit=world.unit_a)
        goal.rights_areas.set(["arbete"])
    return plan


def test_copying_costs_the_same_queries_for_5_and_50_goals(world):
    counts = []
    for n in (5, 50):
        plan = _plan_with_goals(world, n)
        with CaptureQueriesContext(connection) as ctx:
            copy = plan_new_version(plan=plan, by=None)
        assert copy.goals.count() == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# --- The comparison -----------------------------------------------------------------------


def test_the_comparison_finds_each_kind_of_change(world):
    new = plan_new_version(plan=world.plan, by=None)
    by_identity = {g.identity: g for g in new.goals.all()}
    focus, goal, result = (by_identity[g.identity] for g in (world.focus, world.goal, world.result_goal))
    # Retitled word by word, recoded, description changed.
    goal.title = "Staden når alla romer med tydlig information"
    goal.code = "1.3"
    goal.description = "Information på romani."
    goal.kind = "resultatmal"
    goal.save()
    # Responsibilities: unit A removed, unit B added, KS from co-responsible to responsible.
    result.responsibilities.filter(unit=world.unit_a).delete()
    GoalResponsibility.objects.create(goal=result, unit=world.unit_b)
    result.responsibilities.filter(unit=world.unit_ks).update(role=GoalResponsibility.Role.PRIMARY)
    # Moved: the result goal goes to a new focus area, which is added.
    added = Goal.objects.create(plan=new, depth=1, code="2", title="Utbildning", position=2)
    Goal.objects.filter(pk=result.pk).update(parent=added, depth=2)
    # Removed: a goal only the old version has.
    gone = Goal.objects.create(
        plan=world.plan, parent=world.focus, depth=2, code="1.9", title="Gammalt mål", position=9
    )
    new.overall_goal = "Romer ska ha samma möjligheter."
    new.save()

    c = compare(snapshot(world.plan), snapshot(new))
    kinds = {name: [g.goal.code for g in c.of_kind(name)] for name in ("added", "removed", "moved", "recoded")}
    assert kinds == {"added": ["2"], "removed": ["1.9"], "moved": ["1.2.1"], "recoded": ["1.3"]}
    assert [g.goal.code for g in c.of_kind("retitled")] == ["1.3"]
    (change,) = [g for g in c.goals if g.new and g.new.identity == goal.identity]
    title = next(t for t in change.texts if t.field == "title")
    assert [s.text.strip() for s in title.segments if s.kind == INSERT] == ["alla", "tydlig"]
    assert "".join(s.text for s in title.segments if s.kind != DELETE) == goal.title
    assert [t.field for t in change.texts] == ["title", "description"]
    assert change.kind_changed and change.content_changed
    (moved,) = c.of_kind("moved")
    assert moved.responsibilities.added == [("Hägersten-Älvsjö stadsdelsnämnd", "ansvarig")]
    assert moved.responsibilities.removed == [("Socialnämnden", "ansvarig")]
    assert moved.responsibilities.role_changed == [("Kommunstyrelsen", "medansvarig", "ansvarig")]
    assert [t.field for t in c.plan_texts] == ["overall_goal"]
    unchanged = [g for g in c.goals if g.new and g.new.identity == focus.identity]
    assert unchanged and not unchanged[0].changed
    # The removed goal is listed after the goal that preceded it in the old version.
    order = [g.goal.code for g in c.goals]
    assert order.index("1.9") == order.index("1.2.1") + 1 or "1.9" in order
    assert gone.identity not in {g.identity for g in snapshot(new).goals}


def test_reordering_siblings_marks_only_the_goal_that_moved(world):
    plan = _plan_with_goals(world, 5)  # 1.0 … 1.3 under "1"
    new = plan_new_version(plan=plan, by=None)
    # 1.3 moves to the top; a new sibling at the end moves nothing.
    for position, code in enumerate(["1.3", "1.0", "1.1", "1.2"]):
        new.goals.filter(code=code).update(position=position)
    Goal.objects.create(plan=new, parent=new.goals.get(code="1"), depth=2, code="1.9", title="Nytt", position=99)
    c = compare(snapshot(plan), snapshot(new))
    assert [g.goal.code for g in c.of_kind("moved")] == ["1.3"]
    assert [g.goal.code for g in c.of_kind("added")] == ["1.9"]


def test_the_compare_page_shows_the_changes_readably(world):
    new = plan_new_version(plan=world.plan, by=None)
    new.goals.filter(identity=world.goal.identity).update(title="Staden når alla romer med information")
    client = english(world.client("reader"))
    page = client.get(reverse("plans:compare", args=[world.plan.pk, new.pk]))
    assert page.status_code == 200
    doc = lxml_html.document_fromstring(page.content)
    (ins,) = doc.xpath("//ins")
    assert ins.text_content().split() == ["added:", "alla"]
    assert ins.xpath(".//span[@class='visually-hidden']")[0].text_content().strip() == "added:"
    assert "New title" in page.content.decode()
    # The choice of versions leads to the same page.
    choose = client.get(reverse("plans:compare_choose", args=[new.pk]), {"fran": world.plan.pk, "till": new.pk})
    assert choose.status_code == 302 and choose.url == reverse("plans:compare", args=[world.plan.pk, new.pk])


def test_only_versions_of_the_same_plan_can_be_compared(world):
    other = Plan.objects.create(municipality=world.municipality, title="En annan plan", kind="program")
    client = world.client("coordinator")
    assert client.get(reverse("plans:compare", args=[world.plan.pk, other.pk])).status_code == 404
    assert client.get(reverse("plans:compare", args=[world.plan.pk, world.other_plan.pk])).status_code == 404
    new = plan_new_version(plan=world.plan, by=None)
    assert client.get(reverse("plans:compare", args=[new.pk, world.plan.pk])).status_code == 200


# --- Adoption ----------------------------------------------------------------------------


def test_adoption_as_the_browser_sends_it_carries_the_activities_over(world):
    indicator = make_indicator(world)
    client = english(world.client("coordinator"))
    page = client.get(reverse("plans:detail", args=[world.plan.pk]))
    assert "Versions" in page.content.decode()
    response = client.post(
        reverse("plans:new_version", args=[world.plan.pk]),
        browser_form(page, reverse("plans:new_version", args=[world.plan.pk])),
    )
    new = Plan.objects.get(previous_version=world.plan)
    assert response.status_code == 302 and response.url == reverse("plans:detail", args=[new.pk])
    # The goal 1.2.1 is recoded in the new version: it still carries over.
    new.goals.filter(identity=world.result_goal.identity).update(code="1.2.5")
    # An activity whose only goal is not in the new version stays behind.
    dropped = Goal.objects.create(plan=world.plan, parent=world.focus, depth=2, code="1.7", title="Utgår", position=7)
    stays = make_activity(world.plan, world.unit_b, [dropped], title="Stannar kvar")

    page = client.get(reverse("plans:detail", args=[new.pk]))
    assert "Adopt this version" in page.content.decode()
    url = reverse("plans:adopt", args=[new.pk])
    data = browser_form(page, url)
    assert data["adopt-adopted_by"] == [""]  # the form shows what the version has
    data.update(
        {
            "adopt-adopted_by": ["Kommunfullmäktige"],
            "adopt-adopted_on": [(today() - dt.timedelta(days=3)).isoformat()],
            "adopt-paragraph": ["§ 12"],
            "adopt-dnr": ["KS 2026/0042"],
        }
    )
    response = client.post(url, data, follow=True)
    text = response.content.decode()
    assert "Version 2 is adopted." in text
    assert "1 activity was carried over from version 1." in text
    assert "1 activity stays with version 1" in text
    new.refresh_from_db()
    old = Plan.objects.get(pk=world.plan.pk)
    assert (new.status, new.adopted_by, new.adopted_paragraph, new.dnr, new.is_current) == (
        "antagen",
        "Kommunfullmäktige",
        "§ 12",
        "KS 2026/0042",
        True,
    )
    assert (old.status, old.replaced_by, old.is_current) == ("ersatt", new, False)
    activity = Activity.objects.get(pk=world.activity.pk)
    new_goal = new.goals.get(identity=world.result_goal.identity)
    assert activity.plan == new
    assert activity.status.plan == new and activity.status.name == world.activity.status.name
    assert set(activity.goals.all()) == {world.result_goal, new_goal}  # keeps the old goal, gains the new
    assert activity.version == world.activity.version + 1
    assert Activity.objects.get(pk=stays.pk).plan == old
    assert set(indicator.goals.all()) == {world.result_goal, new_goal}
    assert world.round.__class__.objects.get(pk=world.round.pk).plan == old  # rounds stay with their version
    assert AuditEvent.objects.filter(object_id=activity.pk, changes__has_key="plan").exists()

    # The adopted version's pages show the carried-over activity; the old version's still work.
    for name, args in [
        ("plans:detail", [new.pk]),
        ("plans:goal", [new_goal.pk]),
        ("plans:detail", [old.pk]),
        ("plans:goal", [world.result_goal.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200
    assert world.activity.title in client.get(reverse("plans:goal", args=[new_goal.pk])).content.decode()
    listing = client.get(reverse("activities:list"), {"plan": new.pk})
    assert listing.status_code == 200 and world.activity.title in listing.content.decode()
    assert "Stannar kvar" not in listing.content.decode()
    coverage = client.get(reverse("followups:coverage"), {"plan": new.pk})
    assert coverage.status_code == 200


@pytest.mark.parametrize(
    ("adopted_by", "adopted_on"),
    [("", "today"), ("   ", "today"), ("Kommunfullmäktige", None)],
)
def test_adoption_without_who_or_when_is_refused_and_saves_nothing(world, adopted_by, adopted_on):
    new = plan_new_version(plan=world.plan, by=None)
    events = AuditEvent.objects.count()
    with translation.override("sv"), pytest.raises(AdoptionRefused):
        plan_adopt(plan=new, by=None, adopted_by=adopted_by, adopted_on=today() if adopted_on else None)
    assert Plan.objects.get(pk=new.pk).status == "utkast"
    assert Plan.objects.get(pk=world.plan.pk).status == "antagen"
    assert AuditEvent.objects.count() == events
    # The same through the form: an error on the page, nothing saved.
    client = world.client("coordinator")
    url = reverse("plans:adopt", args=[new.pk])
    data = browser_form(client.get(url), url)
    data["adopt-adopted_by"] = [adopted_by]
    data["adopt-adopted_on"] = [today().isoformat() if adopted_on else ""]
    response = client.post(url, data)
    assert response.status_code == 400
    assert lxml_html.document_fromstring(response.content).xpath("//*[contains(@class, 'error')]")
    assert Plan.objects.get(pk=new.pk).status == "utkast"


def test_an_adopted_or_replaced_version_cannot_be_adopted_again(world):
    with translation.override("en"), pytest.raises(AdoptionRefused, match="already adopted"):
        plan_adopt(plan=world.plan, by=None, adopted_by="KF", adopted_on=today())
    new = plan_new_version(plan=world.plan, by=None)
    plan_adopt(plan=new, by=None, adopted_by="KF", adopted_on=today())
    with translation.override("en"), pytest.raises(AdoptionRefused, match="already replaced"):
        plan_adopt(plan=world.plan, by=None, adopted_by="KF", adopted_on=today())
    client = english(world.client("coordinator"))
    url = reverse("plans:adopt", args=[world.plan.pk])
    response = client.post(url, {"adopt-adopted_by": "KF", "adopt-adopted_on": today().isoformat()})
    assert response.status_code == 400 and "already replaced" in response.content.decode()
    assert Plan.objects.get(pk=world.plan.pk).status == "ersatt"


def test_only_the_coordinator_creates_or_adopts_versions(world):
    for role in ("reader", "contact_a"):
        client = world.client(role)
        assert client.post(reverse("plans:new_version", args=[world.plan.pk])).status_code == 403
        assert client.get(reverse("plans:adopt", args=[world.plan.pk])).status_code == 403
        page = client.get(reverse("plans:detail", args=[world.plan.pk])).content.decode()
        assert reverse("plans:new_version", args=[world.plan.pk]) not in page
    other = world.client("other_coordinator")
    assert other.post(reverse("plans:new_version", args=[world.plan.pk])).status_code == 404
    assert Plan.objects.filter(previous_version=world.plan).count() == 0


def test_carrying_over_costs_the_same_queries_for_5_and_50_activities(world):
    counts = []
    for n in (5, 50):
        plan = Plan.objects.get(pk=world.plan.pk)
        new = plan_new_version(plan=plan, by=None)
        Activity.objects.filter(plan=plan).delete()
        for i in range(n):
            make_activity(plan, world.unit_a, [world.result_goal, world.goal], title=f"Aktivitet {i}")
        with CaptureQueriesContext(connection) as ctx:
            result = plan_adopt(plan=new, by=world.users["coordinator"], adopted_by="KF", adopted_on=today())
        assert result.moved == n
        counts.append(len(ctx.captured_queries))
        # The next round starts from the newly adopted version.
        world.plan = new
        world.result_goal = new.goals.get(identity=world.result_goal.identity)
        world.goal = new.goals.get(identity=world.goal.identity)
    assert counts[0] == counts[1], counts


# --- The plan file ---------------------------------------------------------------------------


def test_the_plan_file_keeps_identities_and_version_metadata(world):
    Plan.objects.filter(pk=world.plan.pk).update(dnr="KS 2026/1", version=3)
    text = dump_plan(Plan.objects.get(pk=world.plan.pk))
    assert "version: 2\n" in text and f"id: {world.result_goal.identity}" in text
    other = Municipality.objects.create(name="Test", code="0001")
    spec = parse_plan_file(text, world.municipality)
    copy = plan_import(municipality=world.municipality, spec=spec, by=None, as_new=True)
    assert (copy.version, copy.dnr) == (3, "KS 2026/1")
    assert {g.identity for g in copy.goals.all()} == {g.identity for g in world.plan.goals.all()}
    del other


def test_a_repeated_id_gets_a_new_identity_and_a_bad_one_is_an_error(world):
    text = dump_plan(Plan.objects.get(pk=world.plan.pk)).replace(
        f"id: {world.goal.identity}", f"id: {world.focus.identity}"
    )
    spec = parse_plan_file(text, world.municipality)
    ids = [g.identity for g in spec.all_goals()]
    assert ids[0] == world.focus.identity and ids[1] is None
    from plans.planfile import PlanFileInvalid

    with pytest.raises(PlanFileInvalid, match="id"):
        parse_plan_file(text.replace(f"id: {world.focus.identity}", "id: inte-ett-id", 1), world.municipality)


def test_a_version_1_file_still_imports_with_new_identities(world):
    text = """format: inkludera-plan
version: 1
plan:
  title: Gammal plan
  kind: program
  status: antagen
levels:
  - Mål
goals:
  - code: "1"
    title: Ett mål
  - code: "2"
    title: Ett annat mål
"""
    spec = parse_plan_file(text, world.municipality)
    plan = plan_import(municipality=world.municipality, spec=spec, by=None)
    identities = list(plan.goals.values_list("identity", flat=True))
    assert len(set(identities)) == 2 and all(isinstance(i, uuid.UUID) for i in identities)
    assert plan.version == 1


# --- The migration --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_existing_goal_its_own_identity():
    before, after = [("plans", "0008_text_sources")], [("plans", "0009_versions")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    municipality = Municipality.objects.create(name="Stockholms stad", code="0180")
    plan = apps.get_model("plans", "Plan").objects.create(
        municipality_id=municipality.pk, title="Plan", kind="program", status="antagen"
    )
    OldGoal = apps.get_model("plans", "Goal")
    for code in ("1", "2", "3"):
        OldGoal.objects.create(plan=plan, depth=1, code=code, title=f"Mål {code}")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    apps = executor.loader.project_state(after).apps
    identities = list(apps.get_model("plans", "Goal").objects.values_list("identity", flat=True))
    assert len(identities) == 3 and len(set(identities)) == 3 and None not in identities
    assert apps.get_model("plans", "Plan").objects.get().version == 1
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_comparison_downloads_as_word_with_earlier_and_new_wording_side_by_side(world):
    import io

    from docx import Document as WordDocument

    new = plan_new_version(plan=world.plan, by=None)
    new.goals.filter(identity=world.goal.identity).update(title="Staden når alla romer med information")
    response = world.client("reader").get(reverse("plans:compare_docx", args=[world.plan.pk, new.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('-v1-v2.docx"')
    word = WordDocument(io.BytesIO(response.content))
    rows = [[cell.text for cell in row.cells] for table in word.tables for row in table.rows]
    assert ["Staden når romer med information", "Staden når alla romer med information"] in rows


def test_a_first_adoption_carries_over_from_the_current_draft(world):
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.CONSULTATION)
    new = plan_new_version(plan=Plan.objects.get(pk=world.plan.pk), by=None)
    result = plan_adopt(plan=new, by=None, adopted_by="Kommunfullmäktige", adopted_on=today())
    assert (result.replaced, result.carried_from, result.moved) == (None, world.plan, 1)
    old = Plan.objects.get(pk=world.plan.pk)
    # The version on remiss is replaced by the adopted one (item 3 of review r16).
    assert (old.status, old.replaced_by, old.is_current) == ("ersatt", new, False)
    assert Plan.objects.get(pk=new.pk).is_current
    assert Activity.objects.get(pk=world.activity.pk).plan_id == new.pk


def test_a_version_with_a_later_version_is_not_deleted(world):
    new = plan_new_version(plan=world.plan, by=None)
    Plan.objects.filter(pk=world.plan.pk).update(is_current=False)  # not the current plan's rule that refuses
    client = english(world.client("coordinator"))
    response = client.post(reverse("plans:delete", args=[world.plan.pk]), follow=True)
    assert "A later version was made from this version" in response.content.decode()
    assert Plan.objects.filter(pk=world.plan.pk).exists()
    client.post(reverse("plans:delete", args=[new.pk]))
    assert not Plan.objects.filter(pk=new.pk).exists()


def test_adoption_waits_for_the_open_reports_of_the_version_it_replaces(world):
    """An activity moves to the adopted version; a report of the old one still being written would lose it."""
    from followups.models import ActivityUpdate, UnitReport

    report = UnitReport.objects.get(pk=world.report_a.pk)
    UnitReport.objects.filter(pk=report.pk).update(status=UnitReport.Status.DRAFT, approved_at=None)
    report.refresh_from_db()
    ActivityUpdate.objects.create(report=report, activity=world.activity, status=world.activity.status, comment="Pågår")
    new = plan_new_version(plan=world.plan, by=None)
    with pytest.raises(AdoptionRefused, match="Tertial 2 2026"):
        plan_adopt(plan=new, by=None, adopted_by="Kommunfullmäktige", adopted_on=today())
    new.refresh_from_db()
    assert new.status == Plan.Status.DRAFT and Activity.objects.get(pk=world.activity.pk).plan_id == world.plan.pk

    # Once the round is finished the version is adopted, and the old report keeps the activity it reported on.
    UnitReport.objects.filter(pk=report.pk).update(status=UnitReport.Status.APPROVED, approved_at=timezone.now())
    plan_adopt(plan=new, by=None, adopted_by="Kommunfullmäktige", adopted_on=today())
    assert Activity.objects.get(pk=world.activity.pk).plan_id == new.pk
    client = english(world.client("coordinator"))
    page = client.get(reverse("followups:report", args=[report.pk])).content.decode()
    assert world.activity.title in page and "Pågår" in page
