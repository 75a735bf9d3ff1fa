"""The comparison of two versions as Word with tracked changes (plans/versions_tracked.py):
real w:ins / w:del revisions whose acceptance gives exactly the later version's text and
whose rejection gives exactly the earlier one; and the plan version as a document
(plans/plan_document.py), the remissunderlag's content."""

from __future__ import annotations

import copy
import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.oxml.ns import qn
from lxml import etree

from plans.models import Goal, GoalResponsibility, Plan
from plans.plan_document import normalise, plan_text, plan_version_document
from plans.services import plan_new_version
from plans.versions_tracked import tracked_changes_docx
from reports.document import Heading

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


@pytest.fixture(autouse=True)
def rounds_finished(request):
    from followups.models import UnitReport

    if "world" in request.fixturenames:
        world = request.getfixturevalue("world")
        UnitReport.objects.filter(round__plan=world.plan).update(
            status=UnitReport.Status.APPROVED, approved_at=timezone.now()
        )


def body_of(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return root.find(qn("w:body"))


def resolved(body, *, accept: bool) -> list[str]:
    """The paragraphs' text once every revision is accepted (drop w:del, unwrap w:ins) or
    rejected (drop w:ins, unwrap w:del with its w:delText as text). A paragraph whose
    mark goes (accepted deletion, rejected insertion) joins the next one, as in Word.
    Empty paragraphs are left out."""
    body = copy.deepcopy(body)
    drop, keep = ("w:del", "w:ins") if accept else ("w:ins", "w:del")
    out: list[str] = []
    carry = ""
    for p in body.iter(qn("w:p")):
        mark = p.find("w:pPr/w:rPr", NS)
        mark_goes = mark is not None and mark.find(qn(drop)) is not None
        for element in p.findall(qn(drop)):
            p.remove(element)
        for element in p.findall(qn(keep)):
            for child in list(element):
                element.addprevious(child)
            p.remove(element)
        text = ""
        for r in p.findall(qn("w:r")):
            for child in r:
                if child.tag in (qn("w:t"), qn("w:delText")):
                    if child.tag == qn("w:delText") and accept:
                        raise AssertionError("deleted text outside a w:del")
                    text += child.text or ""
                elif child.tag == qn("w:br"):
                    text += "\n"
        if mark_goes:
            carry += text
            continue
        text, carry = carry + text, ""
        if text:
            out.append(text)
    if carry:
        out.append(carry)
    return out


def changed_versions(world):
    """A second version with every kind of change: a retitled goal, a new description
    over two paragraphs, responsibilities changed, a goal moved to a new focus area,
    one removed, a new overall goal."""
    Goal.objects.filter(pk=world.goal.pk).update(description="Första stycket.\n\nAndra stycket om skolan.")
    old_only = Goal.objects.create(
        plan=world.plan, parent=world.focus, depth=2, code="1.9", title="Gammalt mål", position=9
    )
    old = Plan.objects.get(pk=world.plan.pk)
    new = plan_new_version(plan=old, by=None)
    by_identity = {g.identity: g for g in new.goals.all()}
    goal, result = by_identity[world.goal.identity], by_identity[world.result_goal.identity]
    goal.title = "Staden når alla romer med tydlig information"
    goal.description = "Första stycket, ändrat.\n\nEtt nytt stycke.\n\nAndra stycket om skolan."
    goal.guidance = "Exempel på insatser: brobyggare."
    goal.save()
    result.responsibilities.filter(unit=world.unit_a).delete()
    GoalResponsibility.objects.create(goal=result, unit=world.unit_b)
    added = Goal.objects.create(plan=new, depth=1, code="2", title="Utbildning", position=2, description="Nytt fokus.")
    Goal.objects.filter(pk=result.pk).update(parent=added, depth=2)
    new.goals.filter(identity=old_only.identity).delete()
    new.overall_goal = "Romer ska ha samma möjligheter i livet."
    new.save()
    return old, Plan.objects.get(pk=new.pk)


def test_accepting_every_change_gives_the_new_version_and_rejecting_the_old(world):
    old, new = changed_versions(world)
    data = tracked_changes_docx(old, new)
    body = body_of(data)
    assert resolved(body, accept=True) == plan_text(new).paragraphs()
    assert resolved(body, accept=False) == plan_text(old).paragraphs()
    # Real revisions, each with its author and date.
    inserted, deleted = body.findall(".//w:ins", NS), body.findall(".//w:del", NS)
    assert inserted and deleted
    for element in inserted + deleted:
        assert element.get(qn("w:author")) == world.municipality.name
        assert element.get(qn("w:date")).endswith("Z") and element.get(qn("w:id"))
    ids = [e.get(qn("w:id")) for e in body.iter() if e.get(qn("w:id"))]
    assert len(ids) == len(set(ids))
    # A word inserted in a retitled goal, the removed goal's paragraph deleted with its mark.
    assert "alla " in [t.text for t in body.findall(".//w:ins/w:r/w:t", NS)]
    deleted_texts = "".join(t.text for t in body.findall(".//w:del/w:r/w:delText", NS))
    assert "1.9 Gammalt mål" in deleted_texts
    assert body.findall(".//w:pPr/w:rPr/w:del", NS) and body.findall(".//w:pPr/w:rPr/w:ins", NS)
    # The result goal moved a level down... and is deleted where it was and inserted where it is.
    # Word: the document opens with python-docx, tracking stays on for the reader's edits.
    word = WordDocument(io.BytesIO(data))
    assert word.settings.element.find(qn("w:trackRevisions")) is not None
    assert word.core_properties.language == "sv-SE"


def test_versions_without_changes_have_no_revisions(world):
    new = plan_new_version(plan=world.plan, by=None)
    body = body_of(tracked_changes_docx(world.plan, new))
    assert body.findall(".//w:ins", NS) == [] and body.findall(".//w:del", NS) == []
    assert resolved(body, accept=True) == plan_text(new).paragraphs() == plan_text(world.plan).paragraphs()


def test_a_goal_that_moves_among_its_siblings_is_deleted_and_inserted(world):
    plan = Plan.objects.create(municipality=world.municipality, title="Plan", kind="program")
    top = Goal.objects.create(plan=plan, depth=1, code="1", title="Topp")
    for i in range(4):
        Goal.objects.create(plan=plan, parent=top, depth=2, code=f"1.{i}", title=f"Mål {i}", position=i)
    new = plan_new_version(plan=plan, by=None)
    for position, code in enumerate(["1.3", "1.0", "1.1", "1.2"]):
        new.goals.filter(code=code).update(position=position)
    body = body_of(tracked_changes_docx(plan, new))
    assert resolved(body, accept=True) == plan_text(new).paragraphs()
    assert resolved(body, accept=False) == plan_text(plan).paragraphs()
    assert "".join(t.text for t in body.findall(".//w:ins//w:t", NS)) == "1.3 Mål 3"


def test_the_tracked_changes_download_and_the_two_column_table_are_both_offered(world):
    old, new = changed_versions(world)
    page = world.client("reader").get(reverse("plans:compare", args=[old.pk, new.pk]))
    tracked = reverse("plans:compare_tracked_docx", args=[old.pk, new.pk])
    assert (
        tracked in page.content.decode()
        and reverse("plans:compare_docx", args=[old.pk, new.pk]) in page.content.decode()
    )
    response = world.client("reader").get(tracked)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-v1-v2-sparade-andringar.docx"')
    assert resolved(body_of(response.content), accept=True) == plan_text(new).paragraphs()


def test_the_plan_version_document_has_the_goal_tree_with_responsibilities(world):
    doc = plan_version_document(world.plan)
    text = doc.text()
    assert doc.title == world.plan.title
    headings = [(b.level, b.text) for b in doc.blocks if isinstance(b, Heading)]
    assert (1, "1 Kunskap och information") in headings
    assert (2, "1.2 Staden når romer med information") in headings
    with translation.override("sv"):
        names = _("%(first)s and %(last)s") % {"first": "Socialnämnden", "last": "Stadsdelsnämnderna"}
        assert _("Especially responsible: %(names)s.") % {"names": names} in text
        assert _("Co-responsible: %(names)s.") % {"names": "Kommunstyrelsen"} in text
    assert "kultur och språk" in text  # the rights area, in Swedish


def test_reading_a_version_costs_the_same_queries_for_5_and_50_goals(world):
    counts = []
    for n in (5, 50):
        plan = Plan.objects.create(municipality=world.municipality, title=f"Plan {n}", kind="program")
        top = Goal.objects.create(plan=plan, depth=1, code="1", title="Topp")
        for i in range(n - 1):
            goal = Goal.objects.create(plan=plan, parent=top, depth=2, code=f"1.{i}", title=f"Mål {i}", position=i)
            GoalResponsibility.objects.create(goal=goal, unit=world.unit_a)
            goal.rights_areas.set(["arbete"])
        plan = Plan.objects.select_related("municipality").get(pk=plan.pk)
        with CaptureQueriesContext(connection) as ctx:
            plan_version_document(plan)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_texts_are_normalised_into_paragraphs():
    assert normalise("  a \r\nb  \n \n\n c\n\n\n") == "a\nb\n\nc"
