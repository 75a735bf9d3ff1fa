"""Submitting and approving a unit report, through the forms as the browser
sends them (tests/formreader.py): a refused submission marks the goals that
block it and keeps the saved draft; approval is confirmed on its own page."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from lxml import html as lxml_html

from followups.models import UnitReport
from followups.services import report_submit
from tests.formreader import submissions


def swedish(message: str) -> str:
    """A message as the Swedish page shows it (the English text until it is translated)."""
    with translation.override("sv"):
        return gettext(message)


def form_with(url, response, button=None):
    """The form on the page that posts back to ``url``, submitted with ``button``."""
    found = [s for s in submissions(url, response.content) if s.action == url]
    if button:
        found = [s for s in found if s.name.endswith(f"|{button}")]
    assert len(found) == 1, [s.name for s in found]
    return found[0]


def entry_box(response, entry):
    return lxml_html.document_fromstring(response.content).get_element_by_id(f"entry-{entry.pk}")


def test_a_refused_submission_saves_the_draft_and_marks_the_goal(world):
    report = world.report_a
    entry = report.entries.get()
    client = world.client("contact_a")
    edit = reverse("followups:report_edit", args=[report.pk])

    form = form_with(edit, client.get(edit), "submit")
    response = client.post(edit, form.data | {"summary": ["Ett första utkast."]})

    report.refresh_from_db()
    assert (report.status, report.summary) == (UnitReport.Status.DRAFT, "Ett första utkast.")  # the draft is saved
    assert response.status_code == 400
    document = lxml_html.document_fromstring(response.content)
    (summary,) = document.xpath("//*[@data-error-summary]")
    # The summary says first that the draft WAS saved, and the title starts "Error: ".
    assert summary.xpath("string(.//h2)").strip() == swedish(
        "The draft was saved, but the report could not be submitted."
    )
    assert document.findtext(".//title").startswith(swedish("Error: "))
    box = entry_box(response, entry)
    assert "has-error" in box.get("class")
    problem = box.get_element_by_id(f"entry-{entry.pk}-problem")
    assert box.get("aria-describedby") == problem.get("id")
    assert "1.2.1" in problem.text_content()
    (link,) = summary.xpath(".//a")  # the summary links to the goal's first field
    assert link.get("href") == f"#id_e{entry.pk}-result" and "1.2.1" in link.text_content()
    assert document.get_element_by_id(f"id_e{entry.pk}-result").get("name") == f"e{entry.pk}-result"

    # The page's form carries the saved version: completing the goal and submitting works.
    form = form_with(edit, response, "submit")
    data = form.data | {f"e{entry.pk}-result": ["Två brobyggare har stöttat 40 familjer."]}
    assert client.post(edit, data).status_code == 302
    report.refresh_from_db()
    assert report.status == UnitReport.Status.SUBMITTED
    assert report.summary == "Ett första utkast."


def test_submitting_from_the_report_page_shows_the_goals_that_block_it(world):
    report = world.report_a
    entry = report.entries.get()
    client = world.client("contact_a")
    page_url = reverse("followups:report", args=[report.pk])
    submit = reverse("followups:report_submit", args=[report.pk])
    form = next(s for s in submissions(page_url, client.get(page_url).content) if s.action == submit)
    response = client.post(submit, form.data, follow=True)
    report.refresh_from_db()
    assert report.status == UnitReport.Status.DRAFT
    assert swedish("The report cannot be submitted yet.") in response.content.decode()
    assert "has-error" in entry_box(response, entry).get("class")
    # The plain form, opened again, marks nothing.
    edit = client.get(reverse("followups:report_edit", args=[report.pk]))
    assert "has-error" not in entry_box(edit, entry).get("class")


def submitted(world):
    report = world.report_a
    entry = report.entries.get()
    entry.result = "Två brobyggare har stöttat 40 familjer."
    entry.save()
    return report_submit(report=report, by=world.users["contact_a"])


def test_approval_is_confirmed_on_its_own_page(world):
    report = submitted(world)
    client = world.client("coordinator")
    page_url = reverse("followups:report", args=[report.pk])
    approve = reverse("followups:report_approve", args=[report.pk])

    # The report page has no approve button, only a way to the confirmation page.
    page = client.get(page_url)
    assert not [s for s in submissions(page_url, page.content) if s.action == approve]
    assert f'href="{approve}"' in page.content.decode()

    confirm = client.get(approve)
    assert confirm.status_code == 200
    assert swedish("Approval cannot be undone.") in confirm.content.decode()
    report.refresh_from_db()
    assert report.status == UnitReport.Status.SUBMITTED  # opening the page changes nothing

    form = form_with(approve, confirm)
    assert client.post(form.action, form.data).status_code == 302
    report.refresh_from_db()
    assert report.status == UnitReport.Status.APPROVED
    assert report.snapshot


def test_a_report_that_is_not_submitted_has_no_confirmation_page(world):
    client = world.client("coordinator")
    approve = reverse("followups:report_approve", args=[world.report_a.pk])
    response = client.get(approve)
    assert response.status_code == 302
    assert response["Location"] == reverse("followups:report", args=[world.report_a.pk])
    assert client.post(approve).status_code == 302
    world.report_a.refresh_from_db()
    assert world.report_a.status == UnitReport.Status.DRAFT
