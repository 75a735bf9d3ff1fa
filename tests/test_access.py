"""Every URL pattern, for every role.

The test walks the URL configuration itself: a new URL without an entry in
EXPECTED makes it fail, so no page can be added without deciding who may see it.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit.models import AuditEvent
from conftest import ROLES
from indicators.tests.factories import indicator_objects

LOGIN = "login"  # a redirect to the sign-in page

# The municipality's own people; consultation representatives see none of it.
MEMBER_PAGE = dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN, "representative": 403}
MEMBER_OBJECT = MEMBER_PAGE | {"other_coordinator": 404}
COORDINATOR_PAGE = {
    "anonymous": LOGIN, "reader": 403, "contact_a": 403, "contact_b": 403,
    "coordinator": 200, "other_coordinator": 200, "representative": 403,
}  # fmt: skip
COORDINATOR_OBJECT = COORDINATOR_PAGE | {"other_coordinator": 404}
PUBLIC = dict.fromkeys(ROLES, 200)
NOT_FOUND = dict.fromkeys(ROLES, 404)
SIGNED_OUT_ONLY = dict.fromkeys(ROLES, 302) | {"anonymous": 200}
SIGNED_IN = dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN}
POST_ONLY = dict.fromkeys(ROLES, 405)
# A signed-in member's POST-only URL: GET is refused after the sign-in check.
MEMBER_POST_ONLY = dict.fromkeys(ROLES, 405) | {"anonymous": LOGIN, "representative": 403}
# A coordinator's POST-only URL: GET is refused after the coordinator check.
COORDINATOR_POST_ONLY = dict.fromkeys(ROLES, 403) | {"anonymous": LOGIN, "coordinator": 405, "other_coordinator": 405}
# Consultations: a representative sees the ones they are invited to (unit A's is).
CONSULTATION_LIST = MEMBER_PAGE | {"representative": 200}
CONSULTATION_OBJECT = MEMBER_OBJECT | {"representative": 200}
# Pages for everyone who writes for a unit (contacts and coordinators), not readers.
UNIT_WRITER_PAGE = MEMBER_PAGE | {"reader": 403}
UNIT_WRITER_OBJECT = MEMBER_OBJECT | {"reader": 403}
# Unit A's own things (its activity, its report): its contact and the coordinator.
UNIT_A_OBJECT = COORDINATOR_OBJECT | {"contact_a": 200}
# An import job started by contact A: theirs and the coordinator's; 404 for everyone else.
IMPORT_JOB = MEMBER_OBJECT | {"reader": 404, "contact_b": 404, "coordinator": 200, "contact_a": 200}
# What respondents wrote in their own words: the coordinator and the inventory's
# named coders (contact B here), never readers nor the unit's other contacts.
FREE_TEXT_OBJECT = COORDINATOR_OBJECT | {"contact_b": 200}
# Result downloads of a survey or inventory whose results are not finalised: none, for anyone.
NOT_FINALISED = {role: 404 if status == 200 else status for role, status in MEMBER_OBJECT.items()}

# A page of one's own second factor that first asks for the password again (allauth).
REAUTHENTICATE_FIRST = dict.fromkeys(ROLES, 302) | {"anonymous": LOGIN}

# GET expectations, by URL name.
EXPECTED = {
    "home:start": MEMBER_PAGE | {"representative": 200},
    "login": SIGNED_OUT_ONLY,
    # For load balancers (lib/health.py): the same answer for everyone, signed in or not.
    "health-live": PUBLIC,
    "health-ready": PUBLIC,
    "logout": POST_ONLY,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,  # an invalid link shows a page that says so
    "password_reset_complete": PUBLIC,
    "set_language": dict.fromkeys(ROLES, 302),  # changes the language on POST; GET just goes back
    # The sign-in's later steps and the second factor (signin/, allauth): each person's own.
    "account_login": SIGNED_OUT_ONLY,
    "account_logout": POST_ONLY,
    "account_reauthenticate": SIGNED_IN,
    "account_inactive": PUBLIC,
    "mfa_index": SIGNED_IN,
    "mfa_authenticate": REAUTHENTICATE_FIRST,  # only in the middle of a sign-in; otherwise back
    "mfa_reauthenticate": REAUTHENTICATE_FIRST | {"coordinator": 200, "other_coordinator": 200},
    "mfa_activate_totp": REAUTHENTICATE_FIRST,
    # The test coordinators have an authenticator app; the others have none to turn off.
    "mfa_deactivate_totp": dict.fromkeys(ROLES, 404)
    | {"anonymous": LOGIN, "coordinator": 302, "other_coordinator": 302},
    "mfa_view_recovery_codes": dict.fromkeys(ROLES, 404) | {"anonymous": LOGIN},  # none made yet
    "mfa_generate_recovery_codes": REAUTHENTICATE_FIRST,
    "mfa_download_recovery_codes": dict.fromkeys(ROLES, 404) | {"anonymous": LOGIN},
    "mfa_list_webauthn": SIGNED_IN,
    "mfa_add_webauthn": REAUTHENTICATE_FIRST,
    "mfa_reauthenticate_webauthn": REAUTHENTICATE_FIRST,
    "mfa_remove_webauthn": REAUTHENTICATE_FIRST,  # then 404: key 1 is nobody's
    "mfa_edit_webauthn": REAUTHENTICATE_FIRST,
    # An identity provider's sign-in: the walk names one that does not exist.
    "socialaccount_login_cancelled": PUBLIC,
    "socialaccount_login_error": dict.fromkeys(ROLES, 401),
    "socialaccount_signup": dict.fromkeys(ROLES, 302),  # no sign-up: back to the sign-in page
    "openid_connect_login": NOT_FOUND,
    "openid_connect_callback": NOT_FOUND,
    "saml_login": NOT_FOUND,
    "saml_acs": dict.fromkeys(ROLES, 302),  # allauth's own step to its finish page, which then 404s
    "saml_finish_acs": NOT_FOUND,
    "saml_sls": NOT_FOUND,
    "saml_metadata": NOT_FOUND,
    # Search (search/): the municipality's staff; what each finds is checked in search/tests.
    "search:search": MEMBER_PAGE,
    "organisations:units": MEMBER_PAGE,
    "organisations:unit_create": COORDINATOR_PAGE,
    "organisations:unit": MEMBER_OBJECT,
    "organisations:unit_edit": COORDINATOR_OBJECT,
    "organisations:group_create": COORDINATOR_PAGE,
    "organisations:group": MEMBER_OBJECT,
    "organisations:group_edit": COORDINATOR_OBJECT,
    "organisations:members": COORDINATOR_PAGE,
    "organisations:settings": COORDINATOR_PAGE,
    "organisations:member_create": COORDINATOR_PAGE,
    "organisations:member_edit": COORDINATOR_OBJECT,
    # The coordinator's page of the public site: always their own municipality's (no id in the URL).
    "public_staff:site": COORDINATOR_PAGE,
    "public_staff:site_texts": COORDINATOR_POST_ONLY,
    # GET: the confirmation page (lib/confirm.py); the world's site lacks what publishing needs: back to the site page.
    "public_staff:publish": COORDINATOR_PAGE | {"coordinator": 302, "other_coordinator": 302},
    "public_staff:unpublish": COORDINATOR_POST_ONLY,
    "plans:list": MEMBER_PAGE,
    "plans:create": COORDINATOR_PAGE,
    "plans:import": COORDINATOR_PAGE,
    "plans:detail": MEMBER_OBJECT,
    "plans:edit": COORDINATOR_OBJECT,
    "plans:delete": COORDINATOR_OBJECT,
    "plans:export": COORDINATOR_OBJECT,
    "plans:xlsx": MEMBER_OBJECT,
    "plans:statuses": COORDINATOR_OBJECT,
    "plans:steering": COORDINATOR_OBJECT,
    "plans:make_current": MEMBER_POST_ONLY,
    "plans:goal_create": COORDINATOR_OBJECT,
    "plans:goal": MEMBER_OBJECT,
    "plans:goal_edit": COORDINATOR_OBJECT,
    "plans:goal_delete": COORDINATOR_OBJECT,
    "plans:plan_summary": COORDINATOR_OBJECT,
    "plans:goal_summary": COORDINATOR_OBJECT,
    # Versions (docs/plan-versions.md): everyone compares; the coordinator makes and adopts them.
    "plans:new_version": MEMBER_POST_ONLY,
    "plans:adopt": COORDINATOR_OBJECT,
    "plans:compare_choose": MEMBER_OBJECT,
    "plans:compare": MEMBER_OBJECT,
    "plans:compare_docx": MEMBER_OBJECT,
    "plans:compare_tracked_docx": MEMBER_OBJECT,
    # Remisses (remiss/): the coordinator everything; readers read; a unit's contact only
    # their unit's body of a sent remiss (unit A has one, unit B none: 404 for contact B).
    "remiss:list": MEMBER_PAGE,
    "remiss:create": COORDINATOR_OBJECT,
    "remiss:detail": MEMBER_OBJECT | {"contact_b": 404},
    "remiss:edit": COORDINATOR_OBJECT,  # the draft remiss
    "remiss:send": COORDINATOR_OBJECT,  # GET: the confirmation page with the sending date (lib/confirm.py)
    "remiss:close": COORDINATOR_OBJECT,  # GET: the confirmation page (lib/confirm.py)
    "remiss:underlag": COORDINATOR_POST_ONLY,  # makes the remissunderlag again (a draft, or after a failure)
    "remiss:publish": COORDINATOR_OBJECT,  # the confirmation page before the public site
    "remiss:unpublish": COORDINATOR_POST_ONLY,
    "remiss:compilation": MEMBER_OBJECT | {"contact_a": 403, "contact_b": 404},
    "remiss:compilation_pdf": COORDINATOR_POST_ONLY,  # asks the worker for a PDF
    "remiss:compilation_pdf_file": MEMBER_OBJECT | {"contact_a": 403, "contact_b": 404},
    "remiss:compilation_docx": MEMBER_OBJECT | {"contact_a": 403, "contact_b": 404},
    "remiss:answer": UNIT_A_OBJECT | {"contact_b": 404},  # unit A's body: its contact answers, readers read elsewhere
    "remiss:handle": COORDINATOR_POST_ONLY,
    # An external organisation's personal link: no account; it opens that organisation's answer only.
    "remiss_public:answer": PUBLIC,
    "remiss_public:thanks": PUBLIC,
    "remiss_public:document": PUBLIC,  # a file of the remiss itself, through the personal link
    "activities:list": MEMBER_PAGE,
    "activities:create": UNIT_WRITER_PAGE,
    "activities:detail": MEMBER_OBJECT,
    "activities:edit": UNIT_A_OBJECT,
    "activities:delete": UNIT_A_OBJECT,
    "activities:note_add": MEMBER_POST_ONLY,
    "activities:note_delete": UNIT_A_OBJECT,  # GET: the confirmation page (lib/confirm.py)
    "activities:note_public": MEMBER_POST_ONLY,
    "activities:public_texts": UNIT_A_OBJECT,
    "activities:export": MEMBER_OBJECT,
    "activities:import": UNIT_WRITER_OBJECT,
    # Events: staff read all; a representative only public ones (the test event is public).
    "events:list": MEMBER_PAGE | {"representative": 200},
    "events:create": UNIT_WRITER_PAGE,
    "events:detail": MEMBER_OBJECT | {"representative": 200},
    "events:ics": MEMBER_OBJECT | {"representative": 200},
    "events:edit": UNIT_A_OBJECT,
    "events:delete": UNIT_A_OBJECT,
    "events:copy": UNIT_A_OBJECT,
    # The knowledge bank (practice/): the walk's example is Stockholm's and shared, so the other
    # municipality's coordinator reads it and may take it up, but never changes or unshares it.
    "practice:list": MEMBER_PAGE,
    "practice:create": UNIT_WRITER_PAGE,
    "practice:detail": MEMBER_OBJECT | {"other_coordinator": 200},
    "practice:edit": COORDINATOR_OBJECT | {"other_coordinator": 403},
    "practice:publish": COORDINATOR_OBJECT | {"other_coordinator": 403},
    "practice:public_site": COORDINATOR_OBJECT | {"other_coordinator": 403},
    "practice:adopt": UNIT_WRITER_OBJECT | {"other_coordinator": 200},
    # Deleting follows editing: the coordinator; a contact only an unshared example (the walk's is shared).
    "practice:delete": COORDINATOR_OBJECT | {"other_coordinator": 403},
    # Training and competence (competence/): staff read; the coordinator keeps the trainings and staff
    # groups; occasions and headcounts by the coordinator and the units' contacts (unit A's occasion).
    "competence:list": MEMBER_PAGE,
    "competence:create": COORDINATOR_PAGE,
    "competence:detail": MEMBER_OBJECT,
    "competence:edit": COORDINATOR_OBJECT,
    "competence:delete": COORDINATOR_OBJECT,  # GET: the confirmation page (lib/confirm.py)
    "competence:occasion_create": UNIT_WRITER_OBJECT,
    "competence:occasion_edit": UNIT_A_OBJECT,
    "competence:occasion_delete": UNIT_A_OBJECT,
    "competence:overview": MEMBER_PAGE,
    "competence:headcounts": UNIT_A_OBJECT,
    "competence:staff_groups": COORDINATOR_PAGE,
    "competence:share_settings": COORDINATOR_OBJECT,
    # Outreach counts (outreach/): staff read every unit's; a unit's month is entered by its contact
    # and the coordinator.
    "outreach:list": MEMBER_PAGE,
    "outreach:summary": MEMBER_PAGE,
    "outreach:month": UNIT_A_OBJECT,
    "outreach:month_delete": UNIT_A_OBJECT,  # a recorded month of unit A's: the confirmation page
    # The decision log (decisions/): staff read it, the coordinator keeps it.
    "decisions:list": MEMBER_PAGE,
    "decisions:create": COORDINATOR_PAGE,
    "decisions:detail": MEMBER_OBJECT,
    "decisions:edit": COORDINATOR_OBJECT,
    "decisions:analysis": COORDINATOR_OBJECT,
    "decisions:bodies": MEMBER_PAGE,
    "decisions:body_create": COORDINATOR_PAGE,
    "decisions:body": MEMBER_OBJECT,
    "decisions:body_edit": COORDINATOR_OBJECT,
    "decisions:meeting_create": COORDINATOR_OBJECT,
    # Deleting (the confirmation pages): the decision; a body and a meeting with nothing recorded under them.
    "decisions:delete": COORDINATOR_OBJECT,
    "decisions:body_delete": COORDINATOR_OBJECT,
    "decisions:meeting_delete": COORDINATOR_OBJECT,
    "followups:rounds": MEMBER_PAGE,
    "followups:round_create": COORDINATOR_PAGE,
    "followups:round": MEMBER_OBJECT,
    "followups:round_edit": COORDINATOR_OBJECT,
    "followups:round_xlsx": MEMBER_OBJECT,
    "followups:report": MEMBER_OBJECT,
    "followups:report_edit": UNIT_A_OBJECT,
    "followups:report_submit": MEMBER_POST_ONLY,
    "followups:report_return": MEMBER_POST_ONLY,
    # A page that asks to confirm approval, for the coordinator; a draft report sends them back to the report.
    "followups:report_approve": COORDINATOR_OBJECT | {"coordinator": 302},
    "followups:coverage": MEMBER_PAGE,
    "followups:coverage_export": MEMBER_PAGE,
    "consultations:list": CONSULTATION_LIST,
    # The calendar: what each may see of consultations and events (representatives: theirs and public events).
    "consultations:calendar": CONSULTATION_LIST,
    "consultations:calendar_list": CONSULTATION_LIST,
    "consultations:create": UNIT_WRITER_PAGE,
    # "Väntar på dig" (inbox/): each person's own, representatives too; Påminn is the coordinator's.
    "inbox:list": MEMBER_PAGE | {"representative": 200},
    "inbox:preferences": MEMBER_PAGE | {"representative": 200},
    "inbox:remind_round": COORDINATOR_OBJECT,
    "inbox:remind_consultation": COORDINATOR_OBJECT,
    "consultations:detail": CONSULTATION_OBJECT,
    "consultations:ics": CONSULTATION_OBJECT,
    "consultations:edit": UNIT_A_OBJECT,
    "consultations:delete": UNIT_A_OBJECT,
    "consultations:item_create": UNIT_A_OBJECT,
    "consultations:item_edit": UNIT_A_OBJECT,
    "consultations:item_delete": UNIT_A_OBJECT,  # a page that says what would be removed
    "consultations:view_create": UNIT_A_OBJECT,
    "consultations:view_delete": UNIT_A_OBJECT,  # GET: the confirmation page (lib/confirm.py)
    "consultations:feedback": UNIT_A_OBJECT,
    "consultations:trace": CONSULTATION_OBJECT,
    "consultations:view_publish": MEMBER_POST_ONLY,
    "consultations:view_unpublish": MEMBER_POST_ONLY,
    "consultations:overdue": MEMBER_PAGE,
    "consultations:figures": MEMBER_PAGE,
    "consultations:figures_xlsx": MEMBER_PAGE,
    "consultations:minutes_edit": UNIT_A_OBJECT,
    "consultations:minutes": MEMBER_OBJECT | {"representative": 404},  # a draft: not theirs to see
    # GET: the confirmation page of the reviewers chosen on the minutes page; none chosen: back there.
    "consultations:minutes_send": UNIT_A_OBJECT | {"contact_a": 302, "coordinator": 302},
    "consultations:minutes_comment": MEMBER_POST_ONLY | {"representative": 405},
    # Draft minutes of a consultation with representatives: the confirmation sends them back to the minutes.
    "consultations:minutes_approve": UNIT_A_OBJECT | {"contact_a": 302, "coordinator": 302},
    # Draft minutes: the publish page sends those who may publish back to the minutes.
    "consultations:minutes_publish": UNIT_A_OBJECT | {"contact_a": 302, "coordinator": 302},
    "consultations:minutes_supersede": MEMBER_POST_ONLY,
    "consultations:councils": MEMBER_PAGE,
    "consultations:council_create": COORDINATOR_PAGE,
    "consultations:council": MEMBER_OBJECT,
    "consultations:council_edit": COORDINATOR_OBJECT,
    # A representative's own data (GDPR art. 15): their own only, no id in the URL; staff have no such page.
    "consultations:my_data": dict.fromkeys(ROLES, 403) | {"anonymous": LOGIN, "representative": 200},
    "consultations:my_data_json": dict.fromkeys(ROLES, 403) | {"anonymous": LOGIN, "representative": 200},
    # Attachments (documents/): a file of unit A's consultation, seen by whoever sees the
    # consultation (its invited representative too); attached and removed by POST only.
    "documents:download": CONSULTATION_OBJECT,
    "documents:upload": MEMBER_POST_ONLY,
    "documents:delete": UNIT_A_OBJECT,  # GET: the confirmation page (lib/confirm.py)
    "surveys:list": MEMBER_PAGE,
    "surveys:create": UNIT_WRITER_PAGE,
    "surveys:detail": MEMBER_OBJECT,
    "surveys:edit": UNIT_A_OBJECT,
    "surveys:delete": UNIT_A_OBJECT,
    "surveys:question_create": UNIT_A_OBJECT,
    "surveys:question_edit": UNIT_A_OBJECT,
    "surveys:question_delete": UNIT_A_OBJECT,  # GET: the confirmation page (lib/confirm.py)
    "surveys:status": MEMBER_POST_ONLY,
    "surveys:new_version": MEMBER_POST_ONLY,
    "surveys:entry": UNIT_A_OBJECT,
    "surveys:results": MEMBER_OBJECT,
    # The public answering pages need no account, whoever asks.
    "survey_public:answer": PUBLIC,
    "survey_public:thanks": PUBLIC,
    # Results at the survey's link only when published and closed: this one is neither.
    "survey_public:results": NOT_FOUND,
    "survey_public:results_xlsx": NOT_FOUND,
    "survey_public:results_csv": NOT_FOUND,
    # An open survey: the confirmation sends those who may finalise back to the survey (close it first).
    "surveys:finalise": UNIT_A_OBJECT | {"contact_a": 302, "coordinator": 302},
    "surveys:results_xlsx": NOT_FINALISED,
    "surveys:results_csv": NOT_FINALISED,
    "inventories:create": UNIT_WRITER_PAGE,
    "inventories:detail": MEMBER_OBJECT,
    "inventories:edit": UNIT_A_OBJECT,
    "inventories:delete": UNIT_A_OBJECT,
    "inventories:results": MEMBER_OBJECT,
    "inventories:finalise": UNIT_A_OBJECT,  # GET: the confirmation page (lib/confirm.py)
    "inventories:results_xlsx": NOT_FINALISED,
    "inventories:results_csv": NOT_FINALISED,
    "inventories:theme_create": UNIT_A_OBJECT,
    "inventories:theme_edit": UNIT_A_OBJECT,
    "inventories:theme_delete": UNIT_A_OBJECT,  # GET: the confirmation page (lib/confirm.py)
    "inventories:note_create": UNIT_A_OBJECT,
    "inventories:note_edit": UNIT_A_OBJECT,
    "inventories:note_delete": UNIT_A_OBJECT,
    "inventories:coding": FREE_TEXT_OBJECT,
    "inventories:answer_redact": FREE_TEXT_OBJECT,
    "inventories:code": MEMBER_POST_ONLY,
    "inventories:recommendation_create": UNIT_A_OBJECT,
    "inventories:recommendation_edit": UNIT_A_OBJECT,
    "inventories:recommendation_delete": UNIT_A_OBJECT,  # GET: the confirmation page (lib/confirm.py)
    "inventories:recommendation_activity": UNIT_A_OBJECT,
    # A published inventory's results are public; this one is not published.
    "inventory_public:results": NOT_FOUND,
    "inventory_public:results_xlsx": NOT_FOUND,
    "inventory_public:results_csv": NOT_FOUND,
    "indicators:list": MEMBER_PAGE,
    "indicators:xlsx": MEMBER_PAGE,
    "indicators:create": COORDINATOR_PAGE,
    "indicators:detail": MEMBER_OBJECT,
    "indicators:edit": COORDINATOR_OBJECT,
    "indicators:delete": COORDINATOR_OBJECT,
    "indicators:assess": COORDINATOR_OBJECT,
    "indicators:measurement_create": UNIT_A_OBJECT,  # unit A's indicator: its contact enters measurements
    "indicators:measurement_edit": UNIT_A_OBJECT,
    "indicators:measurement_delete": UNIT_A_OBJECT,
    # The open-data API and its page: for anyone, signed in or not, the same.
    "opendata:index": PUBLIC,
    "opendata:schema": PUBLIC,
    "opendata:municipalities": PUBLIC,
    "opendata:municipalities_csv": PUBLIC,
    "opendata:plans": PUBLIC,
    "opendata:plans_csv": PUBLIC,
    "opendata:goals": PUBLIC,
    "opendata:goals_csv": PUBLIC,
    "opendata:activities": PUBLIC,
    "opendata:activities_csv": PUBLIC,
    "opendata:indicators": PUBLIC,
    "opendata:indicators_csv": PUBLIC,
    "opendata:consultation_figures": PUBLIC,
    "opendata:consultation_figures_csv": PUBLIC,
    "opendata:results": PUBLIC,
    "opendata:results_csv": PUBLIC,
    "opendata:feedback": PUBLIC,
    "opendata:feedback_csv": PUBLIC,
    "opendata:events": PUBLIC,
    "opendata:events_csv": PUBLIC,
    "opendata:remisses": PUBLIC,
    "opendata:remisses_csv": PUBLIC,
    "opendata:remiss_comments": PUBLIC,
    "opendata:remiss_comments_csv": PUBLIC,
    "reports:list": MEMBER_PAGE,
    "reports:create": COORDINATOR_PAGE,
    "reports:detail": MEMBER_OBJECT,
    "reports:edit": COORDINATOR_OBJECT,
    "reports:delete": COORDINATOR_OBJECT,
    "reports:build": MEMBER_POST_ONLY,
    "reports:build_status": MEMBER_OBJECT,
    # The report's newest build; older ones: BUILD_FILES below.
    "reports:build_pdf": MEMBER_OBJECT,
    "reports:build_docx": MEMBER_OBJECT,
    "reports:unit_pdf": MEMBER_OBJECT,
    # An import's page (and its status for the page's script): the person who started it
    # (contact A here) and the municipality's coordinators; nobody else learns it exists.
    # The list of imports: every staff member (a coordinator sees every import, the others their own).
    "imports:list": MEMBER_PAGE,
    "imports:job": IMPORT_JOB,
    "imports:job_status": IMPORT_JOB,
    "reports:unit_docx": MEMBER_OBJECT,
    # Rights information: written by coordinators; moving a section is POST only.
    "public_staff:rights": COORDINATOR_PAGE,
    "public_staff:rights_create": COORDINATOR_PAGE,
    "public_staff:rights_edit": COORDINATOR_OBJECT,
    "public_staff:rights_delete": COORDINATOR_OBJECT,
    "public_staff:rights_move": COORDINATOR_PAGE | {"coordinator": 405, "other_coordinator": 405},
    # Översättningar: coordinators (all texts) and unit contacts (their units' activities and
    # events); a language the municipality does not offer is 404 (the other municipality offers none).
    "public_staff:translations": UNIT_WRITER_PAGE,
    "public_staff:translation": UNIT_A_OBJECT,  # unit A's public event
    "public_staff:translations_export": UNIT_WRITER_OBJECT,
    "public_staff:translations_import": UNIT_WRITER_OBJECT,
    # The DCAT catalogue: the world has no organisation number nor a published site
    # (published: opendata/tests/test_dcat.py).
    "opendata:dcat": NOT_FOUND,
    # The public pages (public/urls.py; each name has an address with and without a
    # language slug). The expectation is on a published site (public.tests.published):
    # the same page for everyone, signed in or not. Whatever it says, every public page
    # is NOT_FOUND for everyone on an unpublished site and for another municipality's
    # object under this kommunkod, and a language the site does not offer redirects
    # (302) to the Swedish page: test_public_* below.
    "public:start": PUBLIC,
    "public:accessibility": PUBLIC,
    "public:privacy": PUBLIC,
    "public:rights": PUBLIC,
    "public:plan": PUBLIC,
    "public:plan_detail": PUBLIC,
    "public:goal": PUBLIC,
    "public:activity": PUBLIC,
    "public:indicator": PUBLIC,
    "public:remiss": PUBLIC,
    "public:examples": PUBLIC,
    "public:example": PUBLIC,
    "public:feedback": PUBLIC,
    "public:feedback_consultation": PUBLIC,
    "public:inventories": PUBLIC,
    "public:inventory": PUBLIC,
    "public:calendar": PUBLIC,
    "public:calendar_ics": PUBLIC,
    "public:event": PUBLIC,
    "public:event_ics": PUBLIC,
    "public:consultation": PUBLIC,
    "public:consultation_ics": PUBLIC,
}

# A council report's build files, by build: the staff get the newest finished
# build (made from finalised results); older builds, and builds made before
# results were frozen, stay with the coordinator (reports.access).
BUILD_FILES = {
    "newest": MEMBER_OBJECT,
    "older": COORDINATOR_OBJECT,
    "before_frozen_results": COORDINATOR_OBJECT,
}

# What a POST by each role gets on URLs that change unit A's things or review
# reports, where it differs from the GET expectation; "ok" means allowed.
POST_EXPECTED = {
    "inbox:remind_round": COORDINATOR_OBJECT,
    "inbox:remind_consultation": COORDINATOR_OBJECT,
    "reports:build": COORDINATOR_OBJECT,
    "plans:make_current": COORDINATOR_OBJECT,
    "plans:new_version": COORDINATOR_OBJECT,
    "plans:adopt": COORDINATOR_OBJECT,
    "activities:edit": UNIT_A_OBJECT,
    "activities:delete": UNIT_A_OBJECT,
    "activities:note_add": UNIT_A_OBJECT,
    "activities:public_texts": UNIT_A_OBJECT,
    "events:edit": UNIT_A_OBJECT,
    "events:delete": UNIT_A_OBJECT,
    "events:copy": UNIT_A_OBJECT,
    "practice:edit": COORDINATOR_OBJECT | {"other_coordinator": 403},
    "practice:publish": COORDINATOR_OBJECT | {"other_coordinator": 403},
    "practice:public_site": COORDINATOR_OBJECT | {"other_coordinator": 403},
    "practice:adopt": UNIT_WRITER_OBJECT | {"other_coordinator": 200},
    "practice:delete": COORDINATOR_OBJECT | {"other_coordinator": 403},
    "competence:occasion_edit": UNIT_A_OBJECT,
    "competence:occasion_delete": UNIT_A_OBJECT,
    "competence:headcounts": UNIT_A_OBJECT,
    "outreach:month": UNIT_A_OBJECT,
    "outreach:month_delete": UNIT_A_OBJECT,
    "activities:note_delete": UNIT_A_OBJECT,
    "activities:note_public": UNIT_A_OBJECT,
    "followups:report_edit": UNIT_A_OBJECT,
    "followups:report_submit": UNIT_A_OBJECT,
    "followups:report_return": COORDINATOR_OBJECT,
    "followups:report_approve": COORDINATOR_OBJECT,
    "indicators:measurement_create": UNIT_A_OBJECT,
    "indicators:measurement_edit": UNIT_A_OBJECT,
    "indicators:measurement_delete": UNIT_A_OBJECT,
    "consultations:edit": UNIT_A_OBJECT,
    "consultations:delete": UNIT_A_OBJECT,
    "consultations:item_create": UNIT_A_OBJECT,
    "consultations:item_edit": UNIT_A_OBJECT,
    "consultations:item_delete": UNIT_A_OBJECT,
    "consultations:view_create": UNIT_A_OBJECT,
    "consultations:view_delete": UNIT_A_OBJECT,
    "consultations:feedback": UNIT_A_OBJECT,
    "consultations:view_publish": UNIT_A_OBJECT,
    "consultations:view_unpublish": UNIT_A_OBJECT,
    "consultations:minutes_edit": UNIT_A_OBJECT,
    "consultations:minutes_send": UNIT_A_OBJECT,
    "consultations:minutes_approve": UNIT_A_OBJECT,
    "consultations:minutes_publish": UNIT_A_OBJECT,
    "consultations:minutes_supersede": UNIT_A_OBJECT,
    "inventories:edit": UNIT_A_OBJECT,
    "inventories:delete": UNIT_A_OBJECT,
    "inventories:finalise": UNIT_A_OBJECT,
    "surveys:finalise": UNIT_A_OBJECT,
    "surveys:question_delete": UNIT_A_OBJECT,
    "inventories:theme_create": UNIT_A_OBJECT,
    "inventories:theme_edit": UNIT_A_OBJECT,
    "inventories:theme_delete": UNIT_A_OBJECT,
    "inventories:note_create": UNIT_A_OBJECT,
    "inventories:note_edit": UNIT_A_OBJECT,
    "inventories:note_delete": UNIT_A_OBJECT,
    "inventories:code": FREE_TEXT_OBJECT,
    "inventories:answer_redact": FREE_TEXT_OBJECT,
    "inventories:recommendation_create": UNIT_A_OBJECT,
    "inventories:recommendation_edit": UNIT_A_OBJECT,
    "inventories:recommendation_delete": UNIT_A_OBJECT,
    "inventories:recommendation_activity": UNIT_A_OBJECT,
    "public_staff:rights_move": COORDINATOR_OBJECT,
    "public_staff:translation": UNIT_A_OBJECT,
    "public_staff:translations_import": UNIT_WRITER_OBJECT,
    "documents:upload": UNIT_A_OBJECT,
    "documents:delete": UNIT_A_OBJECT,
}

# URLs whose POST changes something: a POST by a role that may not must be
# refused the same way as the GET and change nothing.
STATE_CHANGING = [name for name, expected in EXPECTED.items() if expected in (COORDINATOR_PAGE, COORDINATOR_OBJECT)]


@pytest.fixture(autouse=True)
def _no_open_data_rate_limit(settings):
    """The open-data API limits requests per client address; here every role asks from the same one."""
    settings.OPEN_DATA_REQUESTS_PER_MINUTE = 0


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from url_names(pattern, full)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), list(pattern.pattern.regex.groupindex)


def rights_section_of(world):
    """A section of the world's rights information."""
    from public.models import RightsSection

    section = RightsSection.objects.filter(municipality=world.municipality).first()
    if section is None:  # made without the service: the refused-POST tests count audit events
        section = RightsSection.objects.create(municipality=world.municipality, position=1)
        section.translations.create(language_code="sv", heading="Rätt till information", text="Kommunen ska informera.")
    return section


def council_of(world):
    from consultations.models import Council

    return Council.objects.get_or_create(municipality=world.municipality, name="Rådet för nationella minoriteter")[0]


def event_of(world):
    """A public event organised by unit A."""
    from datetime import timedelta

    from django.utils import timezone

    from events.models import Event

    event, created = Event.objects.get_or_create(
        municipality=world.municipality,
        title="Romska nationaldagen",
        defaults={
            "kind": Event.Kind.ROMA_DAY,
            "is_public": True,
            "starts_at": (timezone.now() + timedelta(days=30)).replace(second=0, microsecond=0),
        },
    )
    if created:
        event.organisers.set([world.unit_a])
    return event


def practice_example_of(world):
    """Stockholm's practice example, shared with every municipality. Written
    directly, unaudited: the tests count audit events."""
    from django.utils import timezone

    from practice.models import PracticeExample

    example, created = PracticeExample.objects.get_or_create(
        municipality=world.municipality,
        title="Stötta föräldranätverk",
        defaults={
            "organisation": "Haninge kommun",
            "summary": "Föräldrarna startade ett romskt föräldranätverk.",
            "is_published": True,
            "published_at": timezone.now(),
        },
    )
    if created:
        example.rights_areas.set(["utbildning"])
    return example


def translated_event_of(world):
    """Unit A's public event with its Swedish public title and an English
    translation by contact A (done), on a public site that offers English.
    Written directly, unaudited: the tests count audit events."""
    from public.models import PublicSite
    from public.services import site_for, translation_model
    from public.translation import digest

    event = event_of(world)
    site = site_for(world.municipality)
    if "en" not in site.languages:
        PublicSite.objects.filter(pk=site.pk).update(languages=[*site.languages, "en"])
    rows = translation_model(event).objects
    swedish = {"public_title": event.title, "public_text": ""}
    rows.get_or_create(master=event, language_code="sv", defaults={**swedish, "text_digest": digest(swedish)})
    rows.get_or_create(
        master=event,
        language_code="en",
        defaults={
            "public_title": "Roma National Day",
            "text_digest": digest(swedish),
            "text_author": world.users["contact_a"],
        },
    )
    return event


def survey_of(world):
    """An open survey of unit A's, without answers."""
    from datetime import date

    from surveys.models import Question, Survey

    survey, created = Survey.objects.get_or_create(
        municipality=world.municipality,
        name="Enkät om mötesplatsen",
        defaults={
            "unit": world.unit_a, "languages": ["sv"], "texts": {"sv": {"title": "Mötesplatsen", "intro": "Anonym."}},
            "opens_on": date(2026, 1, 1), "closes_on": date(2099, 12, 31), "status": Survey.Status.OPEN,
        },
    )  # fmt: skip
    if created:
        Question.objects.create(survey=survey, kind="text", texts={"sv": "Vad saknar du?"})
    return survey


def inventory_of(world):
    """An unpublished inventory of unit A's with a theme, a dialogue note with a quote, and a way forward.
    Contact B (of another unit) is named to read its free text; contact A is not."""
    from datetime import date

    from inventories.models import DialogueNote, Inventory, Quote, Recommendation

    inventory, created = Inventory.objects.get_or_create(
        municipality=world.municipality,
        name="Inventering av mötesplatser",
        defaults={"unit": world.unit_a, "plan": world.plan, "age_groups": ["under 18", "18–30", "31–50", "51+"]},
    )
    if created:
        inventory.themes.create(name="Bostad", keywords="bostad*", position=1)
        note = DialogueNote.objects.create(
            inventory=inventory, held_on=date(2026, 3, 1), place="bibliotek", participants=6, summary="Om bostad."
        )
        Quote.objects.create(note=note, text="Vi behöver bostäder.", publishable=False)
        Recommendation.objects.create(inventory=inventory, title="Bostadsrådgivning")
        inventory.coders.set([world.users["contact_b"]])
    return inventory


FREE_TEXT = "Vi behöver en bostad nära skolan."


def free_text_answer_of(world):
    """A free-text answer in the inventory's survey (closed, with one response)."""
    from datetime import date

    from surveys.models import Answer, Question, Response, Survey

    inventory = inventory_of(world)
    survey, created = Survey.objects.get_or_create(
        municipality=world.municipality, inventory=inventory, name="Enkät i inventeringen",
        defaults={
            "unit": world.unit_a, "languages": ["sv"], "texts": {"sv": {"title": "Behov", "intro": "Anonym."}},
            "opens_on": date(2026, 1, 1), "closes_on": date(2026, 2, 1), "status": Survey.Status.CLOSED,
        },
    )  # fmt: skip
    if created:
        question = Question.objects.create(survey=survey, kind="text", texts={"sv": "Vad behöver du?"})
        response = Response.objects.create(survey=survey, language="sv", answered_on=date(2026, 1, 10))
        Answer.objects.create(response=response, question=question, value={"value": FREE_TEXT})
    return Answer.objects.get(response__survey=survey)


def inventory_objects(world) -> dict:
    inventory = inventory_of(world)
    objects = dict.fromkeys(
        ["detail", "edit", "delete", "results", "finalise", "results_xlsx", "results_csv", "theme_create",
         "note_create", "coding", "code", "recommendation_create"],
        inventory.pk,
    )  # fmt: skip
    theme, note, rec = inventory.themes.first(), inventory.notes.first(), inventory.recommendations.first()
    objects |= {"theme_edit": theme.pk, "theme_delete": theme.pk, "note_edit": note.pk, "note_delete": note.pk}
    objects |= dict.fromkeys(["recommendation_edit", "recommendation_delete", "recommendation_activity"], rec.pk)
    return objects


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def import_job_of(world):
    """Contact A's import of a spreadsheet into the plan (done)."""
    from imports.models import ImportJob

    job, _created = ImportJob.objects.get_or_create(
        municipality=world.municipality,
        kind=ImportJob.Kind.ACTIVITIES,
        plan=world.plan,
        defaults={"requested_by": world.users["contact_a"], "status": ImportJob.Status.DONE, "created": 1},
    )
    return job


def attachment_of(world):
    """Minutes attached to unit A's consultation, written directly (unaudited: the tests count audit events)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from documents.models import Attachment

    consultation_type = ContentType.objects.get_for_model(world.consultation)
    attachment = Attachment.objects.filter(content_type=consultation_type, object_id=world.consultation.pk).first()
    if attachment is None:
        content = b"%PDF-1.4\n%%EOF\n"
        name = default_storage.save(f"attachments/{world.municipality.pk}/walk.pdf", ContentFile(content))
        attachment = Attachment.objects.create(
            municipality=world.municipality, content_type=consultation_type, object_id=world.consultation.pk,
            file=name, original_name="Minnesanteckningar 12 mars.pdf", kind="pdf", size=len(content), sha256="0" * 64,
            added_by=world.users["contact_a"],
        )  # fmt: skip
    return attachment


def council_report_of(world):
    """A council report of the plan with one finished build (its files)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reports.models import Build, CouncilReport

    report, created = CouncilReport.objects.get_or_create(
        municipality=world.municipality, plan=world.plan, defaults={"title": "Uppföljning 2026"}
    )
    if created:
        report.rounds.set([world.round])
        build = Build(report=report, status=Build.Status.DONE, progress=100, finished_at=timezone.now())
        build.pdf.save("rapport.pdf", ContentFile(b"%PDF-1.7"), save=False)
        build.docx.save("rapport.docx", ContentFile(b"PK"), save=False)
        build.save()
    return report


def council_report_builds(world) -> dict:
    """The council report's newest build, an older one and one made before results were frozen."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reports.models import RULES_BEFORE_FROZEN_RESULTS, Build

    report = council_report_of(world)
    builds = {"newest": report.builds.get()}
    for hours, name, rules in [(1, "older", None), (2, "before_frozen_results", RULES_BEFORE_FROZEN_RESULTS)]:
        build = Build(
            report=report, status=Build.Status.DONE, progress=100, requested_at=timezone.now() - timedelta(hours=hours),
            finished_at=timezone.now() - timedelta(hours=hours),
        )  # fmt: skip
        if rules is not None:
            build.rules_version = rules
        build.pdf.save(f"{name}.pdf", ContentFile(b"%PDF-1.7"), save=False)
        build.docx.save(f"{name}.docx", ContentFile(b"PK"), save=False)
        build.save()
        builds[name] = build
    return builds


def remiss_of(world, *, draft: bool = False):
    """The plan on remiss: a sent remiss with bodies unit A (answered, one comment on
    the result goal) and an external organisation (not answered); or a draft with unit A.
    Written directly, unaudited: the tests count audit events."""
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from remiss.models import Answer, Body, Comment, CompilationPdf, Remiss

    today = timezone.localdate()
    title = "Remiss (utkast)" if draft else "Remiss: Handlingsplan 2030"
    remiss, created = Remiss.objects.get_or_create(
        municipality=world.municipality,
        title=title,
        defaults={
            "plan": world.plan, "dnr": "E2025-02080-1", "deadline": today + timedelta(days=30),
            "status": Remiss.Status.DRAFT if draft else Remiss.Status.SENT,
            "sent_on": None if draft else today - timedelta(days=5),
        },
    )  # fmt: skip
    if created:
        body = Body.objects.create(remiss=remiss, unit=world.unit_a)
        if not draft:
            Body.objects.create(remiss=remiss, name="Romska kvinnoföreningen", email="info@example.se")
            answer = Answer.objects.create(
                body=body, dnr="SN 2025/12", officer="Kontakt A", stance=Answer.Stance.SUPPORTS_WITH_VIEWS,
                summary="Vi tillstyrker.", received_via=Answer.Via.APP,
            )  # fmt: skip
            Comment.objects.create(
                answer=answer, section=Comment.Section.GOAL, goal=world.result_goal, text="Uppsökande arbete."
            )
            pdf = CompilationPdf(remiss=remiss, status=CompilationPdf.Status.DONE, finished_at=timezone.now())
            pdf.pdf.save("sammanstallning.pdf", ContentFile(b"%PDF-1.7"), save=False)
            pdf.save()
    return remiss


def remiss_attachment_of(world, remiss):
    """The remissunderlag as a PDF attached to the remiss, written directly (unaudited)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from documents.models import Attachment

    remiss_type = ContentType.objects.get_for_model(remiss)
    attachment = Attachment.objects.filter(content_type=remiss_type, object_id=remiss.pk).first()
    if attachment is None:
        content = b"%PDF-1.4\n%%EOF\n"
        name = default_storage.save(f"attachments/{world.municipality.pk}/underlag.pdf", ContentFile(content))
        attachment = Attachment.objects.create(
            municipality=world.municipality, content_type=remiss_type, object_id=remiss.pk, file=name,
            original_name="remissunderlag.pdf", kind="pdf", size=len(content), sha256="0" * 64,
        )  # fmt: skip
    return attachment


def decision_of(world):
    """A decision of the steering group, linked to the world's consultation. Written directly, unaudited."""
    from datetime import date

    from decisions.models import Body, ConsequenceAnalysis, Decision

    body, _created = Body.objects.get_or_create(
        municipality=world.municipality, name="Styrgruppen för romsk inkludering", defaults={"kind": "styrgrupp"}
    )
    decision, created = Decision.objects.get_or_create(
        municipality=world.municipality,
        body=body,
        title="Handlingsplanen remitteras",
        defaults={"decided_on": date(2026, 3, 20), "paragraph": "§ 4", "affects_minority": True},
    )
    if created:
        decision.consultations.set([world.consultation])
        analysis = ConsequenceAnalysis.objects.create(
            decision=decision, effects="Fler familjer nås.", consultation_held=True, conclusion="Positiv."
        )
        analysis.consultations.set([world.consultation])
    return decision


def decisions_kwargs(name: str, world) -> dict:
    decision = decision_of(world)
    if name in ("decisions:body_delete", "decisions:meeting_delete"):
        # A body with only a meeting, and that meeting: nothing decided at either.
        from datetime import date

        from decisions.models import Body, Meeting

        body = Body.objects.get_or_create(municipality=world.municipality, name="Arbetsgruppen", kind="annat")[0]
        meeting = Meeting.objects.get_or_create(body=body, held_on=date(2026, 2, 2))[0]
        if name == "decisions:meeting_delete":
            return {"pk": meeting.pk}
        empty = Body.objects.get_or_create(municipality=world.municipality, name="Referensgruppen", kind="annat")[0]
        return {"pk": empty.pk}
    if name.startswith("decisions:body") or name == "decisions:meeting_create":
        return {"pk": decision.body_id}
    return {"pk": decision.pk}


def remiss_kwargs(name: str, world) -> dict:
    remiss = remiss_of(world)
    if name in ("remiss:edit", "remiss:send"):
        return {"pk": remiss_of(world, draft=True).pk}
    if name == "remiss:create":
        return {"plan_pk": world.plan.pk}
    if name == "remiss:answer":
        return {"pk": remiss.bodies.get(unit=world.unit_a).pk}
    if name == "remiss:compilation_pdf_file":
        return {"pk": remiss.pdfs.get().pk}
    if name == "remiss:handle":
        return {"pk": remiss.bodies.get(unit=world.unit_a).answer.comments.get().pk}
    if name == "remiss_public:document":
        attachment = remiss_attachment_of(world, remiss)
        token = remiss.bodies.get(unit__isnull=True).link_token
        return {"token": token, "pk": attachment.pk, "name": attachment.original_name}
    if name.startswith("remiss_public:"):
        return {"token": remiss.bodies.get(unit__isnull=True).link_token}
    return {"pk": remiss.pk} if name != "remiss:list" else {}


def plan_version_of(world):
    """A second version of the world's plan (plans.services.plan_new_version), made once."""
    from plans.models import Plan
    from plans.services import plan_new_version

    return Plan.objects.filter(previous_version=world.plan).first() or plan_new_version(plan=world.plan, by=None)


def kwargs_for(name: str, params: list[str], world) -> dict:
    """Objects of the first municipality, so the other coordinator must get 404."""
    objects = {
        "organisations:unit": world.unit_a.pk,
        "organisations:unit_edit": world.unit_a.pk,
        "organisations:group": world.group.pk,
        "organisations:group_edit": world.group.pk,
        "organisations:member_edit": world.membership("contact_a").pk,
        "plans:detail": world.plan.pk,
        "plans:edit": world.plan.pk,
        "plans:delete": world.plan.pk,
        "plans:export": world.plan.pk,
        "plans:xlsx": world.plan.pk,
        "plans:statuses": world.plan.pk,
        "plans:steering": world.plan.pk,
        "plans:make_current": world.plan.pk,
        "plans:goal_create": world.plan.pk,
        "plans:goal": world.result_goal.pk,
        "plans:goal_edit": world.result_goal.pk,
        "plans:goal_delete": world.result_goal.pk,
        "plans:plan_summary": world.plan.pk,
        "plans:goal_summary": world.result_goal.pk,
        "plans:new_version": world.plan.pk,
        "plans:adopt": world.plan.pk,
        "plans:compare_choose": world.plan.pk,
        "activities:detail": world.activity.pk,
        "activities:edit": world.activity.pk,
        "activities:delete": world.activity.pk,
        "activities:note_add": world.activity.pk,
        "activities:note_delete": world.note.pk,
        "activities:note_public": world.note.pk,
        "activities:public_texts": world.activity.pk,
        "activities:export": world.plan.pk,
        "activities:import": world.plan.pk,
        "followups:round": world.round.pk,
        "followups:round_edit": world.round.pk,
        "followups:round_xlsx": world.round.pk,
        "inbox:remind_round": world.round.pk,
        "inbox:remind_consultation": world.consultation.pk,
        "followups:report": world.report_a.pk,
        "followups:report_edit": world.report_a.pk,
        "followups:report_submit": world.report_a.pk,
        "followups:report_return": world.report_a.pk,
        "followups:report_approve": world.report_a.pk,
        "reports:unit_pdf": world.report_a.pk,
        "reports:unit_docx": world.report_a.pk,
        "consultations:detail": world.consultation.pk,
        "consultations:ics": world.consultation.pk,
        "consultations:edit": world.consultation.pk,
        "consultations:delete": world.consultation.pk,
        "consultations:item_create": world.consultation.pk,
        "consultations:item_edit": world.item.pk,
        "consultations:item_delete": world.item.pk,
        "consultations:view_create": world.item.pk,
        "consultations:view_delete": world.view.pk,
        "consultations:feedback": world.view.pk,
        "consultations:trace": world.view.pk,
        "consultations:view_publish": world.view.pk,
        "consultations:view_unpublish": world.view.pk,
        "consultations:minutes_edit": world.consultation.pk,
        "consultations:minutes": world.minutes.pk,
        "consultations:minutes_send": world.minutes.pk,
        "consultations:minutes_comment": world.minutes.pk,
        "consultations:minutes_approve": world.minutes.pk,
        "consultations:minutes_publish": world.minutes.pk,
        "consultations:minutes_supersede": world.minutes.pk,
        "surveys:detail": survey_of(world).pk,
        "surveys:edit": survey_of(world).pk,
        "surveys:delete": survey_of(world).pk,
        "surveys:question_create": survey_of(world).pk,
        "surveys:question_edit": survey_of(world).questions.first().pk,
        "surveys:question_delete": survey_of(world).questions.first().pk,
        "surveys:status": survey_of(world).pk,
        "surveys:new_version": survey_of(world).pk,
        "surveys:finalise": survey_of(world).pk,
        "surveys:entry": survey_of(world).pk,
        "surveys:results": survey_of(world).pk,
        "surveys:results_xlsx": survey_of(world).pk,
        "surveys:results_csv": survey_of(world).pk,
        "consultations:council": council_of(world).pk,
        "consultations:council_edit": council_of(world).pk,
    }
    if name.startswith("events:") and params:
        return {"pk": event_of(world).pk}
    if name.startswith("practice:") and params:
        return {"pk": practice_example_of(world).pk}
    if name == "outreach:month_delete":
        from django.utils import timezone

        from outreach.models import OutreachRecord

        month = timezone.localdate().replace(day=1)
        OutreachRecord.objects.get_or_create(municipality=world.municipality, unit=world.unit_a, month=month)
        return {"unit_pk": world.unit_a.pk, "year": month.year, "month": month.month}
    if name == "outreach:month":
        from django.utils import timezone

        today = timezone.localdate()
        return {"unit_pk": world.unit_a.pk, "year": today.year, "month": today.month}
    if name.startswith("decisions:") and params:
        return decisions_kwargs(name, world)
    if name.startswith("survey_public:"):
        return {"token": survey_of(world).token}
    if name.startswith("reports:build_"):
        return {"pk": council_report_of(world).builds.get().pk}
    if name.startswith("reports:") and params and not name.startswith("reports:unit_"):
        return {"pk": council_report_of(world).pk}
    if name.startswith("inventory_public:"):
        return {"pk": inventory_of(world).pk}
    if name.startswith("public_staff:rights") and params:
        return {"pk": rights_section_of(world).pk}
    if name.startswith("public_staff:translation") and params:
        key = f"event:{translated_event_of(world).pk}:public_title"
        return {"lang": "en", "key": key} if "key" in params else {"lang": "en"}
    if name.startswith("opendata:") and params:
        return {"kommunkod": world.municipality.code}
    if name == "inventories:answer_redact":
        return {"pk": free_text_answer_of(world).pk}
    if name.startswith("inventories:") and params:
        return {"pk": inventory_objects(world)[name.split(":")[1]]}
    if name.startswith("imports:") and params:
        return {"pk": import_job_of(world).pk}
    if name.startswith("documents:"):
        attachment = attachment_of(world)
        if name == "documents:upload":
            return {"content_type_id": attachment.content_type_id, "object_id": attachment.object_id}
        if name == "documents:download":
            return {"pk": attachment.pk, "name": attachment.original_name}
        return {"pk": attachment.pk}
    if name.startswith(("remiss:", "remiss_public:")):
        return remiss_kwargs(name, world)
    if name in ("plans:compare", "plans:compare_docx", "plans:compare_tracked_docx"):
        return {"pk": world.plan.pk, "other_pk": plan_version_of(world).pk}
    if name.startswith("openid_connect_"):
        return {"provider_id": "no-such-provider"}
    if name.startswith("saml_"):
        return {"organization_slug": "no-such-provider"}
    if name in ("mfa_remove_webauthn", "mfa_edit_webauthn"):
        return {"pk": 1}
    if name == "password_reset_confirm":
        return {"uidb64": "MQ", "token": "not-a-valid-token"}
    if not params:
        return {}
    if name.startswith("indicators:"):
        return {params[0]: indicator_objects(world)[name]}
    if name.startswith("competence:"):
        from competence.tests.factories import competence_objects

        return {params[0]: competence_objects(world)[name]}
    assert params in (["pk"], ["plan_pk"]), f"{name}: add its parameters to kwargs_for"
    return {params[0]: objects[name]}


def app_urls():
    return [(n, p) for n, p in url_names() if not n.startswith("admin:")]


def test_every_url_has_an_expectation():
    names = {name for name, _params in app_urls()}
    assert names == set(EXPECTED), (
        f"Decide who may use these URLs: {sorted(names - set(EXPECTED))}; "
        f"no longer exist: {sorted(set(EXPECTED) - names)}"
    )


def check(response, expected, url):
    if expected == LOGIN:
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    else:
        assert response.status_code == expected, f"{url}: {response.status_code} != {expected}"


@pytest.mark.parametrize("role", ROLES)
def test_get_every_url(world, role):
    client = world.client(role)
    for name, params in app_urls():
        if name.startswith("public:"):
            continue  # on the addresses walk() gives: test_public_* below
        url = reverse(name, kwargs=kwargs_for(name, params, world))
        check(client.get(url), EXPECTED[name][role], f"{role} GET {url}")


@pytest.mark.parametrize("role", ROLES)
def test_build_files_by_build(world, role):
    client = world.client(role)
    for which, build in council_report_builds(world).items():
        for name in ("reports:build_pdf", "reports:build_docx"):
            url = reverse(name, kwargs={"pk": build.pk})
            check(client.get(url), BUILD_FILES[which][role], f"{role} GET {which} {url}")


@pytest.mark.parametrize("role", [r for r in ROLES if r != "coordinator"])
def test_refused_posts_change_nothing(world, role):
    client = world.client(role)
    events = AuditEvent.objects.count()
    for name in STATE_CHANGING:
        params = dict(url_names())[name]
        url = reverse(name, kwargs=kwargs_for(name, params, world))
        expected = EXPECTED[name][role]
        if expected == 200:
            continue  # the other coordinator on their own municipality's pages: tested per view
        payload = {"title": "Kapad", "code": "9", "name": "Kapad", "short_name": "X", "kind": "namnd"}
        check(client.post(url, payload), expected, f"{role} POST {url}")
    assert AuditEvent.objects.count() == events
    world.plan.refresh_from_db()
    assert world.plan.title == "Handlingsplan för romsk inkludering 2030"
    assert world.plan.goals.count() == 3


@pytest.mark.parametrize("role", [r for r in ROLES if r not in ("coordinator", "contact_a")])
def test_refused_posts_on_unit_things_change_nothing(world, role):
    """Nobody but unit A's contact and the coordinator changes unit A's activity or
    report, however the POST is crafted; review is the coordinator's alone."""
    client = world.client(role)
    events = AuditEvent.objects.count()
    payload = {
        "title": "Kapad", "owner": world.unit_b.pk, "goals": [world.result_goal.pk],
        "status": world.activity.status_id, "funding": "ordinarie", "visibility": "publik",
        "text": "Kapad", "date": "2026-01-01", "comment": "Kapad", "summary": "Kapad", "passage": "bostad",
    }  # fmt: skip
    for name, expected in POST_EXPECTED.items():
        if expected[role] == 200:
            continue
        url = reverse(name, kwargs=kwargs_for(name, dict(url_names())[name], world))
        check(client.post(url, payload), expected[role], f"{role} POST {url}")
    assert AuditEvent.objects.count() == events
    world.activity.refresh_from_db()
    world.report_a.refresh_from_db()
    assert (world.activity.title, world.activity.owner_id) == ("Brobyggare i socialtjänsten", world.unit_a.pk)
    assert world.activity.notes.count() == 1
    assert (world.report_a.status, world.report_a.summary) == ("utkast", "")
    world.consultation.refresh_from_db()
    world.minutes.refresh_from_db()
    assert world.consultation.title == "Öppet samråd om brobyggare"
    assert world.consultation.items.count() == 1 and world.item.views.count() == 1
    assert not hasattr(world.view, "feedback") or world.view.feedback is None
    assert (world.minutes.status, world.minutes.text) == ("utkast", "Minnesanteckningar: utkast.")
    assert free_text_answer_of(world).value == {"value": FREE_TEXT}  # nothing redacted


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_superusers_only(world, role):
    """The admin is not the UI: every role is sent to the admin's own sign-in."""
    client = world.client(role)
    for name, params in url_names():
        if not name.startswith("admin:") or params or name in ("admin:login", "admin:logout"):
            continue
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert reverse("admin:login") in response["Location"], name


# --- The public pages: every address public.walk.walk() gives -----------------------


@pytest.fixture
def published(world):
    """The world's municipality with a published site and something published on every public page."""
    from public.tests.published import public_world

    return public_world(world)


def walked(municipality) -> list[tuple[str, str, dict]]:
    """(address, URL name, kwargs) of every public address of ``municipality``."""
    from urllib.parse import urlsplit

    from django.urls import resolve

    from public.walk import walk

    out = []
    for url in walk(municipality):
        match = resolve(urlsplit(url).path)
        out.append((url, match.view_name, match.kwargs))
    return out


def test_public_walk_reaches_every_public_page(world, published):
    """A public page the walk does not reach (no object published for it in
    public.tests.published, or not in public/walk.py) escapes every test below."""
    patterns = {(name, "lang" in params) for name, params in app_urls() if name.startswith("public:")}
    seen = {(name, "lang" in kwargs) for _url, name, kwargs in walked(world.municipality)}
    assert not patterns - seen, f"Not walked (name, with a language): {sorted(patterns - seen)}"


def test_public_pages_are_the_same_for_everyone(world, published):
    """Every role gets EXPECTED on each public address of a published site, and
    a signed-in person gets exactly the page anyone gets."""
    clients = {role: world.client(role) for role in ROLES}
    for url, name, _kwargs in walked(world.municipality):
        assert name in EXPECTED, f"Decide who may use {name} in EXPECTED"
        # A walked address of another namespace (an inventory's download, the DCAT
        # file) is of a published object: EXPECTED there is for the world's unpublished one.
        expected = EXPECTED[name] if name.startswith("public:") else PUBLIC
        anyone = clients["anonymous"].get(url)
        check(anyone, expected["anonymous"], f"anonymous GET {url}")
        if anyone["Content-Type"].startswith("text/html"):
            assert world.municipality.name in anyone.content.decode(), url
        assert anyone.content, url
        for role, client in clients.items():
            response = client.get(url)
            check(response, expected[role], f"{role} GET {url}")
            assert response.content == anyone.content, f"{role} GET {url}: not what anyone gets"


def test_public_pages_of_an_unpublished_site_are_not_found(world, published):
    from public.services import site_publish

    urls = [url for url, name, _kwargs in walked(world.municipality) if name.startswith("public:")]
    site_publish(site=published.site, by=None, published=False)
    for role in ROLES:
        client = world.client(role)
        for url in urls:
            check(client.get(url), NOT_FOUND[role], f"{role} GET {url} (site unpublished)")
    # A municipality without a site at all.
    other = f"/{world.other_municipality.code}/"
    for url in urls:
        check(world.client("other_coordinator").get(other + url[6:]), 404, f"GET {other + url[6:]} (no site)")


def test_another_municipalitys_object_is_not_found_under_this_kommunkod(world, published):
    """Huddinge's published site does not show Stockholm's published objects at Huddinge's addresses."""
    from public.tests.conftest import publish_site

    publish_site(world.other_municipality)
    code = world.other_municipality.code
    objects = [
        (n, kwargs) for _url, n, kwargs in walked(world.municipality) if n.startswith("public:") and "pk" in kwargs
    ]
    assert objects
    for role in ROLES:
        client = world.client(role)
        for name, kwargs in objects:
            url = reverse(name, kwargs=kwargs | {"kod": code})
            check(client.get(url), NOT_FOUND[role], f"{role} GET {url} (another municipality's object)")


def test_a_language_the_site_does_not_offer_goes_to_the_swedish_page(world, published):
    swedish = [(url, name, kwargs) for url, name, kwargs in walked(world.municipality) if name.startswith("public:")]
    swedish = [(url, name, kwargs) for url, name, kwargs in swedish if "lang" not in kwargs]
    for role in ROLES:
        client = world.client(role)
        for url, name, kwargs in swedish:
            arli = reverse(name, kwargs=kwargs | {"lang": "arli"})  # not offered by the world's site
            response = client.get(arli)
            assert (response.status_code, response.get("Location")) == (302, url), f"{role} GET {arli}"
