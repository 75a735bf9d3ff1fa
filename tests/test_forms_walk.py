"""Every form saves what it shows.

The walk GETs every URL pattern (from the URL configuration, like
tests/test_access.py) as each role that may open it, reads every
``<form method="post">`` on the page exactly as a browser would submit it,
adds nothing, and POSTs it back unchanged to its action with CSRF checks on.
Each such POST must succeed (a redirect or a page without errors), must save
(an object's optimistic-locking version moves on when the form carried one)
and must change no value (posting back what the page showed records no
changed field in the audit log). Each POST runs in a savepoint that is rolled
back, so every form is tried on the same data.

Forms that cannot be posted back unchanged by nature are listed in
NOT_POSTED_UNCHANGED with the reason. A form action that is neither posted
nor listed, and a POST-only URL that no page offers a form for, fail the test:
a new form is covered automatically or explicitly excused.
"""

from django.apps import apps
from django.db import transaction
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from audit.models import AuditEvent
from conftest import ROLES
from tests.formreader import Submission, submissions
from tests.test_access import EXPECTED, app_urls, council_of, council_report_of, inventory_of, kwargs_for, survey_of

# The roles the walk signs in as: every page is opened by each of them that may.
# The other coordinator and contact B see the same forms as the coordinator and contact A.
WALK_ROLES = ["coordinator", "contact_a", "reader", "representative", "anonymous"]

# Form actions (URL names; "name|button" for one submit button of a form) that
# are not posted back unchanged, with the reason. An entry whose URL is gone
# fails the test, so the list does not outlive its forms.
NOT_POSTED_UNCHANGED = {
    # Signing in and out, and the language: they change the session, not data.
    "login": "needs a user name and password the page does not show",
    "logout": "signs out: not an edit",
    "set_language": "switches the interface language: not an edit",
    "password_change": "needs the old and the new password",
    "password_reset": "needs an e-mail address and sends mail",
    "account_reauthenticate": "asks for the password again before a second factor is changed",
    "mfa_reauthenticate": "asks for a code from the authenticator app again",
    "account_logout": "the address of logout, under allauth's name for it",
    # Create forms: an empty form must be filled in; their tests post filled-in forms.
    "organisations:unit_create": "a new unit needs a name",
    "organisations:group_create": "a new group needs a name",
    "organisations:member_create": "a new member needs an e-mail address",
    "plans:create": "a new plan needs a title",
    "plans:import": "needs a plan file",
    "public_staff:translations_import": "needs a translated spreadsheet file",
    "public_staff:translation|review": "marks the translation reviewed: a second person's decision",
    "plans:goal_create": "a new goal needs a title",
    "activities:create": "a new activity needs a title",
    "events:create": "a new event needs a title and a time",
    "decisions:create": "a new decision needs a title, a body and a date",
    "decisions:body_create": "a new body needs a name",
    "decisions:meeting_create": "a new meeting needs its date",
    "competence:create": "a new training needs a title",
    "competence:occasion_create": "a new occasion needs its date and participants",
    "activities:note_add": "a progress note needs its text",
    "activities:import": "needs a spreadsheet file",
    "followups:round_create": "a new round needs a name and dates",
    "consultations:create": "a new consultation needs a title and a time",
    "consultations:item_create": "a new agenda item needs its question",
    "consultations:view_create": "a new view needs its text",
    "consultations:view_create|another": "a new view needs its text",
    "consultations:minutes_comment": "a comment needs its text",
    "consultations:minutes_supersede": "superseding needs a reason",
    "consultations:council_create": "a new council needs a name",
    "surveys:create": "a new survey needs a name",
    "surveys:question_create": "a new question needs its text",
    "inventories:create": "a new inventory needs a name",
    "inventories:theme_create": "a new theme needs a name",
    "inventories:note_create": "a dialogue note needs its date and summary",
    "inventories:recommendation_create": "a recommendation needs a title",
    "indicators:create": "a new indicator needs a name",
    "indicators:measurement_create": "a measurement needs its period and value",
    "reports:create": "a new council report needs a title and rounds",
    "public_staff:rights_create": "a new rights section needs a heading and a text",
    "survey_public:answer": "an anonymous answer is a new response, not an edit of one",
    "remiss:create": "a new remiss needs a deadline and its bodies",
    "remiss_public:answer": "the organisation has not answered yet: its first answer needs a stance (remiss/tests)",
    "surveys:entry": "typing in a paper questionnaire adds a new response each time",
    # Deletions: posting the confirmation deletes; their tests check what remains.
    "plans:delete": "deletes the plan",
    "plans:make_current": "an action, not an edit: makes another plan the current one (plans/tests/test_views.py)",
    "plans:goal_delete": "deletes the goal",
    "activities:delete": "deletes the activity (its confirmation: activities/tests/test_confirmations.py)",
    "events:delete": "deletes the event",
    "competence:occasion_delete": "removes the training occasion",
    "competence:delete": "deletes the training with its occasions (competence/tests/test_deleting.py)",
    "practice:delete": "deletes the practice example (practice/tests/test_deleting.py)",
    "decisions:delete": "deletes the decision (decisions/tests/test_deleting.py)",
    "decisions:body_delete": "deletes the body (decisions/tests/test_deleting.py)",
    "decisions:meeting_delete": "deletes the meeting (decisions/tests/test_deleting.py)",
    "outreach:month_delete": "removes the unit's month (outreach/tests/test_deleting.py)",
    "events:copy": "creates next year's event: not an edit",
    "practice:create": "a new practice example needs a title, who did it and what was done",
    "practice:publish": "shares the example with every municipality (or stops sharing it): not an edit",
    "practice:public_site": "shows the example on the public site or takes it off: an action, not an edit",
    "practice:adopt": "takes the example up as a new draft activity: not an edit",
    "activities:note_delete": "deletes the note (its confirmation: activities/tests/test_confirmations.py)",
    "activities:note_public": "shows the note on the public site or takes it off: an action, not an edit",
    "consultations:delete": "deletes the consultation",
    "consultations:item_delete": "deletes the agenda item",
    "consultations:view_delete": "deletes the view (its confirmation: consultations/tests/test_confirmations.py)",
    "surveys:delete": "deletes the survey",
    "surveys:question_delete": "deletes the question (its confirmation: surveys/tests/test_confirmations.py)",
    "inventories:delete": "deletes the inventory",
    "inventories:theme_delete": "deletes the theme (its confirmation: inventories/tests/test_confirmations.py)",
    "inventories:note_delete": "deletes the note",
    "inventories:recommendation_delete": "deletes the way forward (inventories/tests/test_confirmations.py)",
    "indicators:delete": "deletes the indicator",
    "indicators:measurement_delete": "deletes the measurement",
    "reports:delete": "deletes the council report",
    "public_staff:rights_delete": "deletes the rights section",
    "public_staff:rights_move": "moves the rights section up or down: an action, not an edit",
    # Steps of a workflow: each moves an object on, once.
    "followups:report_edit|submit": "submits the report for review",
    "followups:report_submit": "submits the report for review",
    "followups:report_return": "returns the report and needs a comment",
    "followups:report_approve": "approves the report, irreversibly",
    "consultations:minutes_send": "e-mails the minutes to the reviewers (consultations/tests/test_confirmations.py)",
    "inbox:remind_round": "e-mails the late units' contacts (Påminn), once a day (inbox/tests/test_mail.py)",
    "inbox:remind_consultation": "e-mails the contacts responsible for overdue feedback (Påminn), once a day",
    "consultations:minutes_approve": "approves the minutes for good (consultations/tests/test_confirmations.py)",
    "public_staff:publish": "publishes the municipality's public site (public/tests/test_confirmations.py)",
    "public_staff:unpublish": "takes the municipality's public site off the web",
    "consultations:view_publish": "publishes the view on the public site and needs the personal-details confirmation",
    "consultations:view_unpublish": "takes the view off the public site",
    "surveys:status": "opens or closes the survey",
    "surveys:new_version": "starts a new version of the survey",
    "surveys:finalise": "freezes the survey's results (its confirmation: surveys/tests/test_confirmations.py)",
    "inventories:finalise": "freezes the inventory's results (inventories/tests/test_confirmations.py)",
    "inventories:code": "codes an answer to a theme: each click is a decision",
    "inventories:answer_redact": "redacts an answer and needs the passage to hide",
    "inventories:recommendation_activity": "makes a new activity from the recommendation",
    "reports:build": "starts a build of the council report",
    "remiss:send": "e-mails the remiss to its bodies (its confirmation: remiss/tests/test_confirmations.py)",
    "plans:new_version": "creates a new version of the plan: an action, not an edit (plans/tests/test_versions.py)",
    "plans:adopt": "records the council's decision: needs who adopted it and when (plans/tests/test_versions.py)",
    "remiss:close": "closes the remiss to answers (its confirmation: remiss/tests/test_confirmations.py)",
    "remiss:publish": "publishes the remiss on the public site and needs the personal-details confirmation",
    "remiss:unpublish": "takes the remiss off the public site",
    "remiss:compilation_pdf": "starts the worker's PDF of the compilation",
    "remiss:underlag": "starts the worker's PDF and Word of the remissunderlag (remiss/tests/test_underlag.py)",
    "indicators:assess": "records the coordinator's assessment and needs its text",
    # Attachments (documents/): their tests post filled-in forms (documents/tests/test_views.py).
    "documents:upload": "attaching needs a file chosen, which a browser never sends unchosen",
    "documents:delete": "removes the attached file",
}

# --- The walk -------------------------------------------------------------------------------


def versions() -> int:
    """The sum of every optimistic-locking version in the database."""
    total = 0
    for model in apps.get_models():
        if any(f.name == "version" for f in model._meta.concrete_fields) and model._meta.app_label != "auth":
            total += model.objects.aggregate(total=Sum("version"))["total"] or 0
    return total


def signed_in(world, role) -> Client:
    client = Client(enforce_csrf_checks=True)
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


ERROR_CLASSES = ("error", "errorlist", "form-errors", "message-error")


def errors_on(response) -> list[str]:
    """The error texts a page shows: field errors, the form's summary, error messages."""
    text = response.content.decode(errors="replace")
    if not text.strip():
        return []
    document = lxml_html.document_fromstring(text)
    tests = " or ".join(f"contains(concat(' ', normalize-space(@class), ' '), ' {c} ')" for c in ERROR_CLASSES)
    return [" ".join(e.text_content().split()) for e in document.xpath(f"//*[{tests}]")]


def enrich(world):
    """Objects the walk's pages need beyond the shared world: an edit form
    for everything that has one (feedback on the view, a council with a member,
    a survey, an inventory, a council report)."""
    from consultations.models import Feedback
    from followups.models import UnitReport

    Feedback.objects.create(
        view=world.view, status=Feedback.Status.TAKEN, reasoning="Två brobyggare till.", unit=world.unit_a
    )
    council = council_of(world)
    council.unit = world.unit_ks
    council.save()
    council.members.create(organisation="Romska kvinnoföreningen", position="ledamot")
    survey_of(world)
    inventory_of(world)
    # A council report needs a round with an approved report: unit B's is.
    world.round.reports.filter(unit=world.unit_b).update(status=UnitReport.Status.APPROVED, approved_at=timezone.now())
    council_report_of(world)


# Confirmation pages (lib/confirm.py) that enrich() makes refuse: the view now has feedback,
# and an answered view is kept, so its removal page sends back to the view.
REFUSED_AFTER_ENRICH = {"consultations:view_delete"}


def listed(name: str) -> bool:
    """Listed as a whole form, or this one of its submit buttons."""
    return name in NOT_POSTED_UNCHANGED or name.split("|")[0] in NOT_POSTED_UNCHANGED


def post_only_names() -> set[str]:
    """URL names whose GET is refused for every signed-in member: forms post to them."""
    return {name for name, expected in EXPECTED.items() if expected.get("coordinator") == 405}


def test_every_form_saves_what_it_shows(world, settings):
    # The walk opens every open-data address from one client in a minute; the limit
    # that would refuse it is tested in opendata/tests/test_exports.py.
    settings.OPEN_DATA_REQUESTS_PER_MINUTE = 0
    enrich(world)
    offered: set[str] = set()
    tried: set[tuple] = set()
    failures: list[str] = []
    for url_name, params in app_urls():
        if url_name not in EXPECTED:
            continue  # tests/test_access.py fails until its roles are decided; then it is walked
        if url_name.startswith("public:"):
            continue  # the public pages have no forms (CSP form-action 'none'); test_access walks them
        url = reverse(url_name, kwargs=kwargs_for(url_name, params, world))
        for role in WALK_ROLES:
            if EXPECTED[url_name][role] != 200:
                continue
            client = signed_in(world, role)
            page = client.get(url)
            if url_name in REFUSED_AFTER_ENRICH and page.status_code == 302:
                continue
            assert page.status_code == 200, f"{role} GET {url}: {page.status_code}"
            if not page.get("Content-Type", "").startswith("text/html"):
                continue
            for sub in submissions(url, page.content):
                offered.add(sub.name)
                if listed(sub.name):
                    continue
                key = (role, url_name, sub.name)
                if key in tried:
                    continue
                tried.add(key)
                problem = post_back(client, sub)
                if problem:
                    failures.append(f"{role} on {url_name} ({url}) → {sub.name}: {problem}")
    unknown = sorted(n for n in offered if n.startswith("?"))
    assert not unknown, f"Forms post to URLs outside the URL configuration: {unknown}"
    assert not failures, "Forms that do not save what they show:\n" + "\n".join(failures)
    not_offered = sorted(post_only_names() - {n.split("|")[0] for n in offered} - set(NOT_POSTED_UNCHANGED))
    assert not not_offered, f"No page in the walk offers a form for these POST-only URLs: {not_offered}"
    names = {name for name, _params in app_urls()}
    stale = sorted(n for n in NOT_POSTED_UNCHANGED if n.split("|")[0] not in names)
    assert not stale, f"Listed as not posted unchanged, but no such URL any more: {stale}"


def post_back(client, sub: Submission) -> str | None:
    """POST the form unchanged in a rolled-back savepoint; what went wrong, if anything."""
    with transaction.atomic():
        before_versions, before_events = versions(), AuditEvent.objects.count()
        response = client.post(sub.action, sub.data)
        problem = judge(client, sub, response, before_versions, before_events)
        transaction.set_rollback(True)
    return problem


def judge(client, sub, response, before_versions, before_events) -> str | None:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if location.startswith(reverse("login")):
            return f"sent to sign in ({location})"
        shown = client.get(location)
        errors = errors_on(shown) if shown.status_code == 200 else []
        if errors:
            return f"redirected to {location} saying {errors}"
    elif response.status_code == 200:
        errors = errors_on(response)
        if errors:
            return f"200 with errors {errors}"
    else:
        errors = errors_on(response) if response.get("Content-Type", "").startswith("text/html") else []
        return f"status {response.status_code} {errors} posting {sub.data}"
    if "version" in sub.data and versions() <= before_versions:
        return "carried a version but nothing was saved"
    # A value stored for the first time (a default the form showed, e.g. an
    # activity's status in a first draft of a report) is saved, not changed.
    changed = [
        f"{e.object_repr}: {key} {values}"
        for e in AuditEvent.objects.order_by("pk")[before_events:]
        if e.action == AuditEvent.Action.UPDATE
        for key, values in e.changes.items()
        if values[0] not in (None, "", [])
    ]
    if changed:
        return f"posting the form unchanged changed {changed}"
    return None


# --- The reader itself ----------------------------------------------------------------------

FORM_PAGE = b"""<!doctype html><html><body>
<form method="post" action="/x/" id="f">
  <input type="hidden" name="version" value="3">
  <input name="title" value="A&#10;B">
  <input type="checkbox" name="on" value="1" checked><input type="checkbox" name="off" value="1">
  <input type="radio" name="r" value="a"><input type="radio" name="r" value="b" checked>
  <input name="gone" value="x" disabled>
  <fieldset disabled><input name="fs" value="x"></fieldset>
  <select name="one"><option value="a">A</option><option value="b">B</option></select>
  <select name="many" multiple><option value="1" selected>1</option><option value="2">2</option>
  <option value="3" selected>3</option></select>
  <textarea name="text">
line one
line two</textarea>
  <input type="file" name="upload">
  <input type="date" name="d" value="2026-13-45"><input type="number" name="n" value="1,5">
  <input name="elsewhere" value="x" form="other">
  <button type="button" name="b" value="x">No</button>
  <button name="save" value="1">Save</button><button name="submit" value="1">Submit</button>
</form>
<input name="outside" value="o" form="f">
<form method="get"><input name="q"></form>
</body></html>"""


def test_the_reader_submits_what_a_browser_submits():
    first, second = submissions("/page/", FORM_PAGE)
    assert first.action == "/x/" and first.name.endswith("|save")
    assert first.data == {
        "version": ["3"],
        "title": ["AB"],
        "on": ["1"],
        "r": ["b"],
        "one": ["a"],
        "many": ["1", "3"],
        "text": ["line one\r\nline two"],
        "d": [""],
        "n": [""],
        "save": ["1"],
        "outside": ["o"],
    }
    assert second.data["submit"] == ["1"] and "save" not in second.data


def test_the_roles_walked_are_roles():
    assert set(WALK_ROLES) <= set(ROLES)
