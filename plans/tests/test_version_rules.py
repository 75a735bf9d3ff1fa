"""The rules of plan versions that review r16 found missing (docs/plan-versions.md):
adopting only forward, earlier versions replaced, new versions only from the newest,
the adoption page saying why before the form, no future dates, CR LF never a change,
related goals of other plans only, and the history's labels in Swedish."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from lxml import html as lxml_html

from audit.models import AuditEvent
from audit.services import audit_record
from followups.models import UnitReport
from plans.forms import GoalForm
from plans.models import Goal, Plan
from plans.planfile import dump_plan, parse_plan_file
from plans.services import AdoptionRefused, goal_update, plan_adopt, plan_new_version
from plans.tests.test_views import browser_form
from plans.versions import compare, snapshot

SV = {"HTTP_ACCEPT_LANGUAGE": "sv"}


@pytest.fixture(autouse=True)
def rounds_finished(request):
    """The world's follow-up round approved, so that adoption is not held up by it."""
    if "world" in request.fixturenames:
        world = request.getfixturevalue("world")
        UnitReport.objects.filter(round__plan=world.plan).update(
            status=UnitReport.Status.APPROVED, approved_at=timezone.now()
        )


def today():
    return timezone.localdate()


def adopt_data(page, url, *, on=None):
    data = browser_form(page, url)
    data.update(
        {
            "adopt-adopted_by": ["Kommunfullmäktige"],
            "adopt-adopted_on": [(on or today()).isoformat()],
            "adopt-paragraph": ["§ 12"],
        }
    )
    return data


def text_of(response) -> str:
    return lxml_html.document_fromstring(response.content).text_content()


# --- Item 1: never adopt backwards ----------------------------------------------------------


def test_an_earlier_version_is_not_adopted_once_a_later_one_is(world):
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.CONSULTATION)
    v1 = Plan.objects.get(pk=world.plan.pk)
    v2 = plan_new_version(plan=v1, by=None)
    client = world.client("coordinator")
    url = reverse("plans:adopt", args=[v1.pk])
    data = adopt_data(client.get(url, **SV), url)  # the form as it was before v2 was adopted
    plan_adopt(plan=v2, by=None, adopted_by="Kommunfullmäktige", adopted_on=today())
    # As stored before the fix: the version on remiss left as it was.
    Plan.objects.filter(pk=v1.pk).update(status=Plan.Status.CONSULTATION, replaced_by=None)
    events = AuditEvent.objects.count()

    with translation.override("sv"), pytest.raises(AdoptionRefused, match="Version 2 av planen är redan antagen"):
        plan_adopt(plan=v1, by=None, adopted_by="Kommunfullmäktige", adopted_on=today())
    response = client.post(url, data, **SV)
    assert response.status_code == 400
    assert "Version 2 av planen är redan antagen" in text_of(response)
    assert not lxml_html.document_fromstring(response.content).xpath(f"//form[@action='{url}' or not(@action)]")
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v1.adopted_on, v1.is_current) == ("pa_remiss", None, False)
    assert (v2.status, v2.is_current) == ("antagen", True)
    assert world.activity.__class__.objects.get(pk=world.activity.pk).plan_id == v2.pk
    assert AuditEvent.objects.count() == events
    # A replaced version is refused too, on the page before any form.
    Plan.objects.filter(pk=v1.pk).update(status=Plan.Status.REPLACED, replaced_by=v2)
    page = client.get(url, **SV)
    assert "Versionen kan inte antas nu" in text_of(page) and "redan ersatt" in text_of(page)


# --- Item 3: the earlier versions are replaced; the plan list tells versions apart -----------


def test_adopting_replaces_every_earlier_version_and_the_list_shows_versions(world):
    v1 = Plan.objects.get(pk=world.plan.pk)  # adopted
    v2 = plan_new_version(plan=v1, by=None)
    Plan.objects.filter(pk=v2.pk).update(status=Plan.Status.CONSULTATION)
    v3 = plan_new_version(plan=Plan.objects.get(pk=v2.pk), by=None)
    plan_adopt(plan=v3, by=world.users["coordinator"], adopted_by="Kommunfullmäktige", adopted_on=today())
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.status, v1.replaced_by_id) == ("ersatt", v3.pk)
    assert (v2.status, v2.replaced_by_id) == ("ersatt", v3.pk)
    event = AuditEvent.objects.filter(object_id=v2.pk, changes__has_key="replaced_by").get()
    with translation.override("sv"):
        assert event.changes["status"] == ["på remiss", "ersatt"]
    page = text_of(world.client("coordinator").get(reverse("plans:list"), **SV))
    for line in ("Version 1, ersatt", "Version 2, ersatt", "Version 3, antagen"):
        assert line in page
    assert "Ersatt av Handlingsplan för romsk inkludering 2030, version 3" in page


# --- Item 4: a new version only from the newest -----------------------------------------------


def test_a_new_version_is_made_only_from_the_newest(world):
    client = world.client("coordinator")
    url = reverse("plans:new_version", args=[world.plan.pk])
    data = browser_form(client.get(reverse("plans:detail", args=[world.plan.pk]), **SV), url)
    v2 = plan_new_version(plan=world.plan, by=None)
    page = client.get(reverse("plans:detail", args=[world.plan.pk]), **SV)
    assert url not in page.content.decode()  # no button on the older version
    assert "En ny version görs av den senaste versionen, version 2" in text_of(page)
    newest = client.get(reverse("plans:detail", args=[v2.pk])).content.decode()
    assert reverse("plans:new_version", args=[v2.pk]) in newest
    response = client.post(url, data, follow=True, **SV)
    assert response.redirect_chain[-1][0] == reverse("plans:detail", args=[v2.pk])
    assert "En ny version görs av planens senaste version, version 2." in text_of(response)
    assert Plan.objects.filter(municipality=world.municipality, title=world.plan.title).count() == 2


# --- Item 5: the adoption page says before the form why it would be refused --------------------


def test_the_adoption_page_names_the_open_rounds_before_the_form(world):
    UnitReport.objects.filter(pk=world.report_a.pk).update(status=UnitReport.Status.SUBMITTED, approved_at=None)
    new = plan_new_version(plan=world.plan, by=None)
    client = world.client("coordinator")
    url = reverse("plans:adopt", args=[new.pk])
    page = client.get(url, **SV)
    assert page.status_code == 200
    document = lxml_html.document_fromstring(page.content)
    notice = document.get_element_by_id("adopt-blocked").text_content()
    assert "1 rapport i uppföljningsomgångarna för version 1 är inte godkänd ännu" in notice
    assert "Tertial 2 2026: 1 rapport är inte godkänd" in " ".join(notice.split())
    assert document.xpath(f"//a[@href='{reverse('followups:round', args=[world.round.pk])}']")
    assert not document.xpath("//form[@method='post' and not(@action)]")  # no form to send
    detail = client.get(reverse("plans:detail", args=[new.pk]), **SV).content.decode()
    assert f'action="{url}"' not in detail and "inte godkänd ännu" in detail
    # Posted anyway: refused, nothing saved (the rule stays).
    response = client.post(url, {"adopt-adopted_by": "KF", "adopt-adopted_on": today().isoformat()}, **SV)
    assert response.status_code == 400
    assert Plan.objects.get(pk=new.pk).status == "utkast"


# --- Item 6: no adoption in the future ---------------------------------------------------------


def test_the_date_of_adoption_is_today_at_the_latest(world):
    new = plan_new_version(plan=world.plan, by=None)
    with translation.override("sv"), pytest.raises(AdoptionRefused, match="kan inte vara i framtiden"):
        plan_adopt(plan=new, by=None, adopted_by="KF", adopted_on=today() + dt.timedelta(days=1))
    client = world.client("coordinator")
    url = reverse("plans:adopt", args=[new.pk])
    response = client.post(url, adopt_data(client.get(url), url, on=today() + dt.timedelta(days=1)), **SV)
    assert response.status_code == 400
    assert "Datumet för antagandet kan inte vara i framtiden." in text_of(response)
    assert Plan.objects.get(pk=new.pk).status == "utkast"
    # The plan form too.
    edit = reverse("plans:edit", args=[world.plan.pk])
    data = browser_form(client.get(edit), edit)
    data["adopted_on"] = [(today() + dt.timedelta(days=30)).isoformat()]
    assert "kan inte vara i framtiden" in text_of(client.post(edit, data, **SV))
    # Today is allowed.
    response = client.post(url, adopt_data(client.get(url), url, on=today()))
    assert response.status_code == 302 and Plan.objects.get(pk=new.pk).adopted_on == today()


# --- Item 2: CR LF is never a change -----------------------------------------------------------

PARAGRAPHS = "Stycke ett om information.\n\nStycke två, med en rad\nsom bryts."


def test_a_goal_saved_through_its_form_compares_unchanged_with_its_copy(world):
    Goal.objects.filter(pk=world.goal.pk).update(guidance=PARAGRAPHS, description=PARAGRAPHS)
    Plan.objects.filter(pk=world.plan.pk).update(description=PARAGRAPHS)
    old = Plan.objects.get(pk=world.plan.pk)
    new = plan_new_version(plan=old, by=None)
    copy = new.goals.get(identity=world.goal.identity)
    client = world.client("coordinator")
    url = reverse("plans:goal_edit", args=[copy.pk])
    data = browser_form(client.get(url), url)
    assert "\r\n\r\n" in data["guidance"][0]  # the browser sends CR LF
    assert client.post(url, data).status_code == 302
    url = reverse("plans:edit", args=[new.pk])
    assert client.post(url, browser_form(client.get(url), url)).status_code == 302
    copy.refresh_from_db()
    new.refresh_from_db()
    assert (copy.guidance, copy.description, new.description) == (PARAGRAPHS, PARAGRAPHS, PARAGRAPHS)
    comparison = compare(snapshot(old), snapshot(new))
    assert not comparison.has_changes, comparison
    page = client.get(reverse("plans:compare", args=[old.pk, new.pk]), **SV)
    assert "borttaget:" not in text_of(page) and "tillagt:" not in text_of(page)


def test_a_stored_crlf_text_compares_equal_and_exports_with_lf(world):
    from plans.tests.test_versions_tracked import NS, body_of
    from plans.versions_tracked import tracked_changes_docx

    Goal.objects.filter(pk=world.goal.pk).update(guidance=PARAGRAPHS)
    Plan.objects.filter(pk=world.plan.pk).update(overall_goal=PARAGRAPHS)
    old = Plan.objects.get(pk=world.plan.pk)
    new = plan_new_version(plan=old, by=None)
    # As saved from a browser before the forms normalised line breaks.
    crlf = PARAGRAPHS.replace("\n", "\r\n")
    Goal.objects.filter(plan=new, identity=world.goal.identity).update(guidance=crlf)
    Plan.objects.filter(pk=new.pk).update(overall_goal=crlf)
    new.refresh_from_db()
    assert not compare(snapshot(old), snapshot(new)).has_changes
    body = body_of(tracked_changes_docx(old, new))
    assert body.findall(".//w:ins", NS) == [] and body.findall(".//w:del", NS) == []
    text = dump_plan(new)
    assert "\r" not in text
    spec = parse_plan_file(text, world.municipality)
    assert spec.overall_goal == PARAGRAPHS
    assert dump_plan(old).split("goals:")[1] == text.split("goals:")[1]


# --- Item 7: related goals of other plans only, in tree order ----------------------------------


def test_related_goals_offer_other_plans_only_in_tree_order(world):
    other = Plan.objects.create(municipality=world.municipality, title="MR-programmet", kind="program")
    two = Goal.objects.create(plan=other, depth=1, code="2", title="Mål 2", position=0)
    one = Goal.objects.create(plan=other, depth=1, code="1", title="Mål 1", position=1)
    for position, code in enumerate(("1.10", "1.2", "1.1")):
        Goal.objects.create(plan=other, parent=one, depth=2, code=code, title=f"Mål {code}", position=position)
    Goal.objects.create(plan=other, parent=two, depth=2, code="2.1", title="Mål 2.1")
    new = plan_new_version(plan=world.plan, by=None)
    copy = new.goals.get(identity=world.goal.identity)
    form = GoalForm(instance=copy, plan=new)
    groups = dict(form.fields["related_goals"].choices)
    assert not [label for label in groups if world.plan.title in label]  # neither version of its own plan
    (options,) = [choices for label, choices in groups.items() if label.startswith("MR-programmet")]
    assert [label.split()[0] for _pk, label in options] == ["1", "1.1", "1.2", "1.10", "2", "2.1"]
    offered = {pk for choices in groups.values() for pk, _label in choices}
    assert not offered & set(world.plan.goals.values_list("pk", flat=True))
    # The service drops a goal of another version of the plan.
    goal_update(
        goal=copy,
        by=None,
        fields={},
        rights_areas=["kultur"],
        responsible=[],
        related_goals=[world.goal.pk, other.goals.get(code="1.1").pk],
    )
    assert list(copy.related_goals.values_list("code", flat=True)) == ["1.1"]
    # The page shows them the same way.
    page = world.client("coordinator").get(reverse("plans:goal_edit", args=[copy.pk]))
    document = lxml_html.document_fromstring(page.content)
    boxes = document.xpath("//input[@name='related_goals']")
    labels = [" ".join(box.getparent().text_content().split()) for box in boxes]
    assert labels == ["1 Mål 1", "1.1 Mål 1.1", "1.2 Mål 1.2", "1.10 Mål 1.10", "2 Mål 2", "2.1 Mål 2.1"], labels


# --- Item 8: the history's labels of public texts -----------------------------------------------


def test_the_history_names_public_texts_in_swedish(world):
    audit_record(
        municipality=world.municipality,
        actor=None,
        action=AuditEvent.Action.UPDATE,
        obj=world.plan,
        changes={
            "plain_summary [sv]": ["", "Planen i korthet."],
            "plain_summary [en]": ["", "The plan in short."],
            "status [en]": ["klar", "granskad"],
        },
    )
    page = text_of(world.client("coordinator").get(reverse("plans:detail", args=[world.plan.pk]), **SV))
    for label in (
        "Sammanfattning på klarspråk (svenska)",
        "Sammanfattning på klarspråk (engelska)",
        "Översättningsstatus (engelska)",
    ):
        assert label in page
    assert "Plain_summary" not in page and "Status [en]" not in page


def test_the_labels_of_every_translated_field(world):
    from audit.templatetags.audit_tags import audit_changes

    event = audit_record(
        municipality=world.municipality,
        actor=None,
        action=AuditEvent.Action.UPDATE,
        obj=world.goal,
        changes={"plain_summary [rmy-x-lovara]": ["", "x"], "status [fi]": ["under_oversattning", "klar"]},
    )
    with translation.override("sv"):
        rows = audit_changes(event)
    assert rows == [
        ("sammanfattning på klarspråk (romani (lovara))", "—", "x"),
        ("översättningsstatus (finska)", "under översättning", "klar"),
    ]
