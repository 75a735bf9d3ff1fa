"""The translation workflow: the Översättningar page, one text's edit page and
review, and the translator's XLSX file out and back in."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from activities.models import Activity
from audit.models import AuditEvent
from events.models import Event
from lib.locking import STALE_MESSAGE
from plans.models import Goal
from public.services import text_review, text_save
from public.texts import shown
from public.translation import TextStatus
from public.translations import DIGEST, EXPORTED_STATUS, KEY, STATUS, current_column, header, new_column
from tests.formreader import submissions

OVERVIEW = "/publikt/oversattningar/"


def sv_(msgid: str, **params) -> str:
    """A message as the Swedish pages and files say it (files are Swedish whatever the UI)."""
    with translation.override("sv"):
        text = gettext(msgid)
    return text % params if params else text


def line_error(line: int, column: str, msgid: str, **params) -> str:
    return sv_("Row %(line)d, column ”%(column)s”: %(message)s", line=line, column=column, message=sv_(msgid, **params))


def sv(obj, municipality, **texts):
    text_save(obj=obj, municipality=municipality, language="sv", texts=texts, by=None)


def row_of(obj, language):
    return type(obj)._parler_meta.root_model.objects.filter(master=obj, language_code=language).first()


@pytest.fixture
def texts(site, world):
    """Swedish public texts: the site's introduction, the result goal's summary,
    unit A's public activity (title and text) and a public event unit A organises."""
    m = world.municipality
    sv(site, m, intro="Vi arbetar för romsk inkludering.")
    sv(world.result_goal, m, plain_summary="Staden söker upp romer med information.")
    Activity.objects.filter(pk=world.activity.pk).update(visibility=Activity.Visibility.PUBLIC)
    world.activity.refresh_from_db()
    sv(world.activity, m, public_title="Brobyggare", public_text="Brobyggare hjälper familjer.")
    event = Event.objects.create(
        municipality=m, title="Romska nationaldagen", is_public=True, starts_at=timezone.now() + timedelta(days=30)
    )
    event.organisers.set([world.unit_a])
    sv(event, m, public_title="Romska nationaldagen", public_text="Fest på torget.")
    # Not public: a goal of another municipality, and an internal event.
    sv(world.other_goal, world.other_municipality, plain_summary="Synliggör kulturen.")
    hidden = Event.objects.create(municipality=m, title="Internt möte", starts_at=timezone.now())
    hidden.organisers.set([world.unit_a])
    sv(hidden, m, public_title="Internt möte")
    return {"site": site, "goal": world.result_goal, "activity": world.activity, "event": event, "hidden": hidden}


def en_of(response):
    return next(lang for lang in response.context["languages"] if lang.tag == "en")


def counts(lang) -> dict:
    return {row.kind: row.counts for row in lang.rows}


# --- The overview ------------------------------------------------------------------------


def test_counts_per_kind_and_status(texts, world):
    response = world.client("coordinator").get(OVERVIEW)
    assert response.status_code == 200
    en = en_of(response)
    # missing, being translated, done, reviewed
    assert counts(en) == {
        "site": [1, 0, 0, 0],
        "goal": [1, 0, 0, 0],
        "activity": [2, 0, 0, 0],
        "event": [2, 0, 0, 0],
    }
    kalderash = next(lang for lang in response.context["languages"] if lang.tag == "rmy-x-kalderas")
    # Kalderash also needs the language's own name and the fallback note.
    assert counts(kalderash)["site"] == [3, 0, 0, 0]

    m = world.municipality
    text_save(obj=texts["goal"], municipality=m, language="en", texts={"plain_summary": "Outreach."}, by=None)
    text_save(
        obj=texts["activity"], municipality=m, language="en", texts={"public_title": "Bridge builders"}, by=None,
        status=TextStatus.IN_TRANSLATION,
    )  # fmt: skip
    en = en_of(world.client("coordinator").get(OVERVIEW))
    assert counts(en)["goal"] == [0, 0, 1, 0]
    assert counts(en)["activity"] == [1, 1, 0, 0]
    assert en.totals == [4, 1, 1, 0] and en.total == 6

    # A Swedish change sends the translation back: counted as being translated, marked outdated.
    sv(texts["goal"], m, plain_summary="Staden söker upp romer.")
    en = en_of(world.client("coordinator").get(OVERVIEW))
    assert counts(en)["goal"] == [0, 1, 0, 0]
    assert [u.outdated for u in en.to_do if u.kind == "goal"] == [True]


def test_the_list_of_texts_to_write_links_to_each(texts, world):
    html = world.client("coordinator").get(OVERVIEW + "?sprak=en").content.decode()
    goal_key = f"goal:{texts['goal'].pk}:plain_summary"
    assert f'href="/publikt/oversattningar/en/{goal_key}/"' in html
    assert "Staden söker upp romer med information." in html
    assert "Internt möte" not in html and "Synliggör kulturen" not in html
    assert 'href="/publikt/oversattningar/en/export.xlsx"' in html
    # Translated and done: off the list.
    text_save(obj=texts["goal"], municipality=world.municipality, language="en", texts={"plain_summary": "X."}, by=None)
    html = world.client("coordinator").get(OVERVIEW + "?sprak=en").content.decode()
    assert f"/en/{goal_key}/" in html  # waiting for a review
    to_do = world.client("coordinator").get(OVERVIEW + "?sprak=en").context["chosen"].to_do
    assert goal_key not in [unit.key for unit in to_do]


def test_a_unit_contact_sees_their_units_texts(texts, world):
    en = en_of(world.client("contact_a").get(OVERVIEW))
    assert counts(en) == {"activity": [2, 0, 0, 0], "event": [2, 0, 0, 0]}
    assert {u.kind for u in en.to_do} == {"activity", "event"}
    en = en_of(world.client("contact_b").get(OVERVIEW))
    assert counts(en) == {} and en.to_do == []
    assert world.client("reader").get(OVERVIEW).status_code == 403
    assert world.client("representative").get(OVERVIEW).status_code == 403


def test_without_languages_the_page_says_so(world):
    response = world.client("coordinator").get(OVERVIEW)
    assert response.status_code == 200
    assert "offers no language besides Swedish" in response.content.decode() or response.context["languages"] == []


# The session (from the cache), the account and membership, the site, and each kind of object with its translations
# (events also their organisers); a contact's page skips the kinds they do not manage.
# Of these, 14 and 9 are the staff header's count of what waits for the person
# (inbox.templatetags.inbox_tags), made on every page while the page cache is off (tests).
COORDINATOR_QUERIES = 30
CONTACT_QUERIES = 18


@pytest.mark.parametrize("n", [5, 50])
def test_the_overview_takes_a_fixed_number_of_queries(site, world, n):
    m = world.municipality
    for i in range(n):
        goal = Goal.objects.create(plan=world.plan, parent=world.focus, depth=2, code=f"9.{i}", title=f"Mål {i}")
        sv(goal, m, plain_summary=f"Sammanfattning {i}.")
        text_save(obj=goal, municipality=m, language="en", texts={"plain_summary": f"Summary {i}."}, by=None)
        activity = Activity.objects.create(
            municipality=m, plan=world.plan, number=100 + i, title=f"Aktivitet {i}", owner=world.unit_a,
            status=world.plan.activity_statuses.first(), visibility=Activity.Visibility.PUBLIC,
        )  # fmt: skip
        sv(activity, m, public_title=f"Aktivitet {i}")
        event = Event.objects.create(municipality=m, title=f"Fest {i}", is_public=True, starts_at=timezone.now())
        event.organisers.set([world.unit_a])
        sv(event, m, public_title=f"Fest {i}")
    client = world.client("coordinator")
    client.get(OVERVIEW)  # the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(OVERVIEW)
    assert len(queries) == COORDINATOR_QUERIES  # the same for 5 and for 50 objects of each kind
    assert counts(en_of(response))["goal"] == [0, 0, n, 0]
    assert counts(en_of(response))["activity"] == [n, 0, 0, 0]
    contact = world.client("contact_a")
    contact.get(OVERVIEW)
    with CaptureQueriesContext(connection) as queries:
        response = contact.get(OVERVIEW)
    assert len(queries) == CONTACT_QUERIES
    assert counts(en_of(response))["event"] == [n, 0, 0, 0]


# --- One text ----------------------------------------------------------------------------


def edit_url(unit_key, slug="en"):
    return f"/publikt/oversattningar/{slug}/{unit_key}/"


def the_form(client, url, **changes):
    """The edit form as the browser sends it, with ``changes``."""
    (sub,) = [s for s in submissions(url, client.get(url).content) if s.action == url and "review" not in s.data]
    for name, value in changes.items():
        sub.data[name] = [value]
    return sub


def test_editing_a_text_as_the_browser_sends_it(texts, world):
    key = f"goal:{texts['goal'].pk}:plain_summary"
    client = world.client("coordinator")
    page = client.get(edit_url(key)).content.decode()
    assert '<div class="source-text" lang="sv"><p>Staden söker upp romer med information.</p></div>' in page
    assert 'lang="en"' in page  # the textarea says its language
    sub = the_form(client, edit_url(key), text="The city reaches out with information.\r\n")
    response = client.post(sub.action, sub.data)
    assert response.status_code == 302 and response["Location"] == "/publikt/oversattningar/?sprak=en"
    row = row_of(texts["goal"], "en")
    assert (row.plain_summary, row.text_status) == ("The city reaches out with information.", "klar")
    assert row.text_author == world.users["coordinator"]
    # Saved as being translated.
    sub = the_form(client, edit_url(key), status="under_oversattning")
    client.post(sub.action, sub.data)
    assert row_of(texts["goal"], "en").text_status == "under_oversattning"


def test_a_stale_edit_shows_the_form_again_with_the_text_typed(texts, world):
    key = f"goal:{texts['goal'].pk}:plain_summary"
    client = world.client("coordinator")
    sub = the_form(client, edit_url(key), text="Mine.")
    text_save(
        obj=texts["goal"], municipality=world.municipality, language="en", texts={"plain_summary": "Theirs."}, by=None
    )
    response = client.post(sub.action, sub.data)
    assert response.status_code == 409
    html = response.content.decode()
    assert str(STALE_MESSAGE)[:20] in html.replace("&#x27;", "'") and "Mine." in html
    assert row_of(texts["goal"], "en").plain_summary == "Theirs."
    # Saving the form again is a deliberate choice, and it saves.
    forms = submissions(sub.action, response.content)
    (again,) = [s for s in forms if s.action == sub.action and "review" not in s.data]
    assert again.data["text"] == ["Mine."]
    assert client.post(again.action, again.data).status_code == 302
    assert row_of(texts["goal"], "en").plain_summary == "Mine."


def test_a_swedish_change_while_translating_shows_the_new_swedish(texts, world):
    key = f"goal:{texts['goal'].pk}:plain_summary"
    client = world.client("coordinator")
    sub = the_form(client, edit_url(key), text="Outreach.")
    sv(texts["goal"], world.municipality, plain_summary="Ny svensk text.")
    response = client.post(sub.action, sub.data)
    assert response.status_code == 409
    html = response.content.decode()
    assert (
        sv_(
            "The Swedish text changed while you were translating; it is shown as it is now. "
            "Check your translation against it and save again."
        )
        in html
    )
    assert "Ny svensk text." in html and "Outreach." in html
    assert row_of(texts["goal"], "en") is None


def test_the_author_cannot_review_someone_else_can(texts, world):
    key = f"event:{texts['event'].pk}:public_title"
    author = world.client("contact_a")
    sub = the_form(author, edit_url(key), text="Roma National Day")
    author.post(sub.action, sub.data)
    row = row_of(texts["event"], "en")
    assert (row.text_status, row.text_author) == ("klar", world.users["contact_a"])
    page = author.get(edit_url(key)).content.decode()
    assert 'name="review"' not in page and sv_("You wrote this translation: someone else reviews it.") in page
    # Posted anyway: refused.
    response = author.post(edit_url(key), {"review": "1", "text_version": str(row.text_version)})
    assert response.status_code == 403
    assert row_of(texts["event"], "en").text_status == "klar"
    # The coordinator reviews it, as the browser sends the button.
    reviewer = world.client("coordinator")
    page = reviewer.get(edit_url(key)).content
    (review,) = [s for s in submissions(edit_url(key), page) if s.action == edit_url(key) and "review" in s.data]
    assert reviewer.post(review.action, review.data).status_code == 302
    assert row_of(texts["event"], "en").text_status == "granskad"
    # Saving the reviewed text unchanged keeps it reviewed.
    sub = the_form(reviewer, edit_url(key))
    reviewer.post(sub.action, sub.data)
    assert row_of(texts["event"], "en").text_status == "granskad"


def test_who_may_open_a_text(texts, world):
    event_key = f"event:{texts['event'].pk}:public_title"
    goal_key = f"goal:{texts['goal'].pk}:plain_summary"
    assert world.client("contact_a").get(edit_url(event_key)).status_code == 200
    assert world.client("contact_a").get(edit_url(goal_key)).status_code == 403
    assert world.client("contact_b").get(edit_url(event_key)).status_code == 403
    assert world.client("reader").get(edit_url(event_key)).status_code == 403
    coordinator = world.client("coordinator")
    # Another municipality's object, an object not public, a language not offered, no such field.
    assert coordinator.get(edit_url(f"goal:{world.other_goal.pk}:plain_summary")).status_code == 404
    assert coordinator.get(edit_url(f"event:{texts['hidden'].pk}:public_title")).status_code == 404
    assert coordinator.get(edit_url(goal_key, slug="arli")).status_code == 404
    assert coordinator.get(edit_url(f"goal:{texts['goal'].pk}:title")).status_code == 404
    assert world.client("other_coordinator").get(edit_url(goal_key)).status_code == 404


# --- The file ----------------------------------------------------------------------------


def export(client, slug="en"):
    response = client.get(f"/publikt/oversattningar/{slug}/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def fill(wb, translations: dict, language="en", **columns) -> bytes:
    """The exported workbook with new translations (key → text) and other cells
    (column → {key: value}) changed, as the translator saves it."""
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        key = row[head.index(KEY)].value
        if key in translations:
            row[head.index(new_column(language))].value = translations[key]
        for column, values in columns.items():
            if key in values:
                row[head.index(column)].value = values[key]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, data: bytes, slug="en"):
    url = f"/publikt/oversattningar/{slug}/import/"
    (sub,) = [s for s in submissions(url, client.get(url).content) if s.action == url]
    data_file = io.BytesIO(data)
    data_file.name = "oversattningar.xlsx"
    return client.post(sub.action, {**sub.data, "file": data_file}, follow=True)


def test_the_exported_file(texts, world):
    wb = export(world.client("coordinator"))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == header("en")
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    goal_key = f"goal:{texts['goal'].pk}:plain_summary"
    assert set(rows) == {
        f"site:{texts['site'].pk}:intro", goal_key,
        f"activity:{texts['activity'].pk}:public_title", f"activity:{texts['activity'].pk}:public_text",
        f"event:{texts['event'].pk}:public_title", f"event:{texts['event'].pk}:public_text",
    }  # fmt: skip
    _key, where, swedish, digest, current, new, status, exported_status = rows[goal_key]
    assert swedish == "Staden söker upp romer med information." and "1.2.1 Stadens verksamheter arbetar" in where
    assert len(digest) == 64 and current is None and new is None and status is None and exported_status is None
    # The header says the status is the object's.
    assert STATUS == "Status (gäller objektets alla texter)"
    # Only the new translation and the status can be edited.
    assert ws.protection.sheet
    locked = {c.column_letter: c.protection.locked for c in ws[2]}
    assert locked == {"A": True, "B": True, "C": True, "D": True, "E": True, "F": False, "G": False, "H": True}
    # A text being translated: its status, and the object's status when exported (locked).
    m = world.municipality
    text_save(obj=texts["goal"], municipality=m, language="en", texts={"plain_summary": "Draft."}, by=None,
              status=TextStatus.IN_TRANSLATION)  # fmt: skip
    rows = {r[0]: r for r in export(world.client("coordinator")).worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert rows[goal_key][4:] == ("Draft.", None, "under översättning", "under översättning")
    # A unit contact's file holds their units' texts only.
    keys = {r[0] for r in export(world.client("contact_a")).worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert {k.split(":")[0] for k in keys} == {"activity", "event"}


def test_export_and_import_round_trip(texts, world):
    client = world.client("coordinator")
    goal_key = f"goal:{texts['goal'].pk}:plain_summary"
    title_key = f"activity:{texts['activity'].pk}:public_title"
    text_key = f"activity:{texts['activity'].pk}:public_text"
    data = fill(
        export(client),
        {goal_key: "The city reaches out.", title_key: "Bridge builders", text_key: "They help\nfamilies."},
        **{STATUS: {title_key: "under översättning", text_key: "Under  Översättning"}},
    )
    response = upload(client, data)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/publikt/oversattningar/?sprak=en"
    assert summary(1, 2, 0, 3) in html
    assert row_of(texts["goal"], "en").plain_summary == "The city reaches out."
    row = row_of(texts["activity"], "en")  # two texts of one object: one row, saved twice
    assert (row.public_title, row.public_text, row.text_status) == (
        "Bridge builders",
        "They help\nfamilies.",
        "under_oversattning",
    )
    assert row.text_author == world.users["coordinator"]
    # The same file again: a concurrent edit of what it exported as current.
    response = upload(client, data)
    assert sv_(CHANGED_SINCE_MSGID) in "".join(response.context["errors"])
    # Exported anew and imported unchanged: nothing changes.
    events = AuditEvent.objects.count()
    response = upload(client, fill(export(client), {goal_key: "The city reaches out."}))
    assert summary(0, 0, 1, 5) in response.content.decode()
    assert AuditEvent.objects.count() == events


CHANGED_SINCE_MSGID = "the translation was changed in Inkludera after the file was exported; export again."


def summary(done, in_translation, unchanged, skipped) -> str:
    return sv_(
        "The file was imported: %(done)d translations saved as done, %(in_translation)d as being "
        "translated; %(unchanged)d unchanged, %(skipped)d rows without a new translation.",
        done=done, in_translation=in_translation, unchanged=unchanged, skipped=skipped,
    )  # fmt: skip


NOT_ALLOWED = "the status “%(value)s” is not allowed; write klar or under översättning."


def test_every_line_error_and_nothing_saved(texts, world):
    client = world.client("coordinator")
    m = world.municipality
    goal_key = f"goal:{texts['goal'].pk}:plain_summary"
    title_key = f"activity:{texts['activity'].pk}:public_title"
    text_key = f"activity:{texts['activity'].pk}:public_text"
    event_key = f"event:{texts['event'].pk}:public_title"
    event_text_key = f"event:{texts['event'].pk}:public_text"
    site_key = f"site:{texts['site'].pk}:intro"
    text_save(obj=texts["site"], municipality=m, language="en", texts={"intro": "We work."}, by=None)
    wb = export(client)
    ws = wb.worksheets[0]
    # Two lines the translator added by hand: another municipality's goal, and a key that is no key.
    ws.append([f"goal:{world.other_goal.pk}:plain_summary", "", "", "x", "", "Culture.", "klar"])
    ws.append(["nonsense", "", "", "x", "", "Nothing.", "klar"])
    ws.append([goal_key, "", "", "x", "", "Twice.", "klar"])
    data = fill(
        wb,
        {
            goal_key: "Outreach.", title_key: "Bridge builders", text_key: "Help.", event_key: "Roma Day",
            site_key: "We work hard.", event_text_key: "x" * 10,
        },
        **{
            STATUS: {title_key: "granskad"},
            DIGEST: {event_key: "0" * 64},
            current_column("en"): {site_key: "Something else."},
        },
    )  # fmt: skip
    # The Swedish text changes after the export.
    sv(texts["activity"], m, public_text="Brobyggare hjälper många familjer.")
    before = AuditEvent.objects.count()
    response = upload(client, data)
    assert response.status_code == 400
    errors = response.context["errors"]
    lines = {r[0].value: r[0].row for r in wb.worksheets[0].iter_rows(min_row=2, max_row=7)}
    export_again = "the Swedish text has changed since the file was exported; export again."
    assert set(errors) == {
        line_error(lines[title_key], STATUS, NOT_ALLOWED, value="granskad"),
        line_error(lines[text_key], DIGEST, export_again),
        line_error(lines[event_key], DIGEST, export_again),
        line_error(lines[site_key], current_column("en"), CHANGED_SINCE_MSGID),
        line_error(8, KEY, "unknown key %(key)s.", key=f"goal:{world.other_goal.pk}:plain_summary"),
        line_error(9, KEY, "unknown key %(key)s.", key="nonsense"),
        line_error(10, KEY, "%(key)s is also on row %(other)d.", key=goal_key, other=lines[goal_key]),
    }  # fmt: skip
    assert len(errors) == 7
    assert AuditEvent.objects.count() == before
    for obj in (texts["goal"], texts["activity"], texts["event"]):
        assert row_of(obj, "en") is None
    assert row_of(texts["site"], "en").intro == "We work."


def test_one_bad_line_saves_nothing(texts, world):
    client = world.client("coordinator")
    goal_key = f"goal:{texts['goal'].pk}:plain_summary"
    event_key = f"event:{texts['event'].pk}:public_title"
    data = fill(export(client), {goal_key: "Outreach.", event_key: "Roma Day"}, **{STATUS: {event_key: "kanske"}})
    response = upload(client, data)
    assert response.status_code == 400 and len(response.context["errors"]) == 1
    assert row_of(texts["goal"], "en") is None and row_of(texts["event"], "en") is None


def test_a_unit_contact_imports_only_their_texts(texts, world):
    goal_key = f"goal:{texts['goal'].pk}:plain_summary"
    event_key = f"event:{texts['event'].pk}:public_title"
    wb = export(world.client("coordinator"))
    data = fill(wb, {goal_key: "Outreach.", event_key: "Roma Day"})
    response = upload(world.client("contact_a"), data)
    assert response.status_code == 400
    (line,) = [r.row for r in wb.worksheets[0]["A"] if r.value == goal_key]
    assert response.context["errors"] == [
        line_error(line, KEY, "%(key)s is not among the texts you manage.", key=goal_key)
    ]
    assert row_of(texts["event"], "en") is None


def test_another_municipalitys_coordinator_cannot_import_into_ours(texts, world):
    from public.tests.conftest import publish_site

    publish_site(world.other_municipality, languages=("en",))
    goal_key = f"goal:{texts['goal'].pk}:plain_summary"
    data = fill(export(world.client("coordinator")), {goal_key: "Outreach."})
    response = upload(world.client("other_coordinator"), data)
    assert response.status_code == 400
    assert response.context["errors"][0].endswith(sv_("unknown key %(key)s.", key=goal_key))
    assert row_of(texts["goal"], "en") is None


def test_a_file_that_is_not_the_export(texts, world):
    wb = Workbook()
    wb.active.append(["Nyckel", "Ny översättning (en)"])
    out = io.BytesIO()
    wb.save(out)
    response = upload(world.client("coordinator"), out.getvalue())
    assert response.status_code == 400
    assert "”Kontrollsumma (ändra inte)”" in response.context["errors"][0]
    # The English file into kalderash: its columns name the other language.
    data = fill(export(world.client("coordinator")), {f"goal:{texts['goal'].pk}:plain_summary": "Outreach."})
    response = upload(world.client("coordinator"), data, slug="kalderash")
    assert response.status_code == 400 and "Ny översättning (rmy-x-kalderas)" in response.context["errors"][0]


def test_an_edit_during_the_import_saves_nothing(texts, world, monkeypatch):
    """Someone saves a text between the file's check and its save: that row's
    version has moved on, the line says so and nothing of the file is saved."""
    import public.translations as module

    real = module.text_save

    def racing(**kwargs):
        if kwargs["obj"] == texts["event"]:
            real(obj=texts["event"], municipality=world.municipality, language="en",
                 texts={"public_title": "Theirs"}, by=None)  # fmt: skip
        return real(**kwargs)

    monkeypatch.setattr(module, "text_save", racing)
    client = world.client("coordinator")
    goal_key = f"goal:{texts['goal'].pk}:plain_summary"
    event_key = f"event:{texts['event'].pk}:public_title"
    wb = export(client)
    (line,) = [r.row for r in wb.worksheets[0]["A"] if r.value == event_key]
    response = upload(client, fill(wb, {goal_key: "Outreach.", event_key: "Roma Day"}))
    assert response.status_code == 400
    assert response.context["errors"] == [
        sv_("Row %(line)d: the translation was changed by someone else during the import; export again.", line=line)
    ]
    assert row_of(texts["goal"], "en") is None


# --- One status per object and language ---------------------------------------------------

DIFFERENT_STATUSES = (
    "the status applies to all texts of the object in this language, and its rows "
    "(%(lines)s) give different statuses; give them the same status."
)


def lines_of(wb, *keys) -> list[int]:
    rows = {r[0].value: r[0].row for r in wb.worksheets[0].iter_rows(min_row=2)}
    return [rows[key] for key in keys]


def test_an_objects_lines_must_give_one_status(texts, world):
    """The status is stored once per object and language: a "klar" line must not
    publish the draft of another line of the same object, nor an "under
    översättning" line take the other's text off the pages. Both are refused,
    on each line of the object, and nothing is saved."""
    client = world.client("coordinator")
    m = world.municipality
    goal_key = f"goal:{texts['goal'].pk}:plain_summary"
    title_key = f"activity:{texts['activity'].pk}:public_title"
    text_key = f"activity:{texts['activity'].pk}:public_text"

    def refused(wb, data, *keys):
        response = upload(client, data)
        assert response.status_code == 400
        lines = lines_of(wb, *keys)
        others = ", ".join(str(line) for line in sorted(lines))
        assert sorted(response.context["errors"]) == sorted(
            line_error(line, STATUS, DIFFERENT_STATUSES, lines=others) for line in lines
        )

    # Both lines new: the title "klar" (empty), the description a draft.
    wb = export(client)
    data = fill(wb, {goal_key: "Outreach.", title_key: "Bridge builders", text_key: "Draft."},
                **{STATUS: {text_key: "under översättning"}})  # fmt: skip
    refused(wb, data, title_key, text_key)
    assert row_of(texts["activity"], "en") is None and row_of(texts["goal"], "en") is None

    # A draft in Inkludera (exported as "under översättning"), and the file gives the title "klar":
    # it would publish the draft.
    text_save(obj=texts["activity"], municipality=m, language="en", texts={"public_text": "Draft."}, by=None,
              status=TextStatus.IN_TRANSLATION)  # fmt: skip
    wb = export(client)
    refused(wb, fill(wb, {title_key: "Bridge builders"}), title_key, text_key)
    row = row_of(texts["activity"], "en")
    assert (row.public_title, row.text_status) == ("", "under_oversattning")

    # Vice versa: a title shown in Inkludera, and the file gives a new description as a draft: it would take
    # the title off the pages.
    text_save(obj=texts["activity"], municipality=m, language="en",
              texts={"public_title": "Bridge builders", "public_text": ""}, by=None)  # fmt: skip
    wb = export(client)
    data = fill(wb, {text_key: "Draft."}, **{STATUS: {text_key: "under översättning"}})
    refused(wb, data, title_key, text_key)
    row = row_of(texts["activity"], "en")
    assert (row.public_title, row.public_text, row.text_status) == ("Bridge builders", "", "klar")
    assert shown(type(texts["activity"]).objects.get(pk=texts["activity"].pk), "public_title", "en").lang == "en"

    # Given the same status, the file is imported.
    data = fill(wb, {text_key: "Draft."}, **{STATUS: {title_key: "under översättning", text_key: "under översättning"}})
    assert summary(0, 1, 0, 5) in upload(client, data).content.decode()
    assert row_of(texts["activity"], "en").text_status == "under_oversattning"


def test_a_reviewed_line_left_as_it_is_agrees_with_klar(texts, world):
    m = world.municipality
    text_save(obj=texts["activity"], municipality=m, language="en", texts={"public_title": "Bridge builders"},
              by=world.users["contact_a"])  # fmt: skip
    text_review(obj=texts["activity"], municipality=m, language="en", by=world.users["coordinator"])
    client = world.client("coordinator")
    title_key = f"activity:{texts['activity'].pk}:public_title"
    text_key = f"activity:{texts['activity'].pk}:public_text"
    wb = export(client)
    assert [c.value for c in wb.worksheets[0][lines_of(wb, title_key)[0]]][6:] == ["granskad", "granskad"]
    assert summary(1, 0, 0, 5) in upload(client, fill(wb, {text_key: "They help."})).content.decode()
    row = row_of(texts["activity"], "en")
    assert (row.public_title, row.public_text, row.text_status) == ("Bridge builders", "They help.", "klar")


def test_a_status_changed_after_the_export_is_noticed(texts, world):
    """The title is exported as "klar"; meanwhile someone saves a draft of the
    description in Inkludera (the object's status becomes "under översättning").
    The title's text is unchanged, but importing it as "klar" would publish the
    draft: the status when exported says so."""
    m = world.municipality
    client = world.client("coordinator")
    title_key = f"activity:{texts['activity'].pk}:public_title"
    text_save(obj=texts["activity"], municipality=m, language="en", texts={"public_title": "Bridge builders"}, by=None)
    wb = export(client)
    data = fill(wb, {title_key: "Bridge builders!"})
    text_save(obj=texts["activity"], municipality=m, language="en", texts={"public_text": "Draft."}, by=None,
              status=TextStatus.IN_TRANSLATION)  # fmt: skip
    response = upload(client, data)
    assert response.status_code == 400
    assert response.context["errors"] == [line_error(lines_of(wb, title_key)[0], EXPORTED_STATUS, CHANGED_SINCE_MSGID)]
    row = row_of(texts["activity"], "en")
    assert (row.public_title, row.text_status) == ("Bridge builders", "under_oversattning")


# --- "Reviewed" only by a review ------------------------------------------------------------

REVIEW_ONLY = "A translation is marked reviewed only by a review, by someone else."


def test_text_save_does_not_mark_a_text_reviewed(texts, world):
    m = world.municipality
    goal = texts["goal"]

    def save(text, status, by=None):
        return text_save(obj=goal, municipality=m, language="en", texts={"plain_summary": text}, by=by, status=status)

    with pytest.raises(ValidationError) as exc:
        save("Outreach.", TextStatus.REVIEWED)  # a new text
    assert exc.value.messages == [gettext(REVIEW_ONLY)]
    assert row_of(goal, "en") is None
    save("Outreach.", TextStatus.DONE, by=world.users["contact_a"])
    with pytest.raises(ValidationError):
        save("Outreach.", TextStatus.REVIEWED)  # done, not reviewed
    assert row_of(goal, "en").text_status == "klar"
    text_review(obj=goal, municipality=m, language="en", by=world.users["coordinator"])
    version = row_of(goal, "en").text_version
    # Reviewed, saved unchanged (as done or as reviewed): it stays reviewed, nothing is written.
    save("Outreach.", TextStatus.DONE)
    save("Outreach.", TextStatus.REVIEWED)
    assert (row_of(goal, "en").text_status, row_of(goal, "en").text_version) == ("granskad", version)
    # A changed text cannot stay reviewed.
    with pytest.raises(ValidationError):
        save("Outreach!", TextStatus.REVIEWED)
    assert row_of(goal, "en").plain_summary == "Outreach."
    save("Outreach!", TextStatus.DONE)
    assert row_of(goal, "en").text_status == "klar"


def test_a_reviewed_text_of_an_older_swedish_text_does_not_stay_reviewed(site, world):
    """The site's row keeps its status when the Swedish text changes (it holds the
    language's own name); its reviewed introduction, saved unchanged, is then done,
    not reviewed: the review was of a translation of the old text."""
    m = world.municipality
    sv(site, m, intro="Vi arbetar.")
    tag = "rmy-x-kalderas"
    text_save(obj=site, municipality=m, language=tag, texts={"intro": "Kerasa buti.", "language_name": "Kalderash"},
              by=world.users["contact_a"])  # fmt: skip
    text_review(obj=site, municipality=m, language=tag, by=world.users["coordinator"])
    sv(site, m, intro="Vi arbetar för romsk inkludering.")
    assert row_of(site, tag).text_status == "granskad"
    text_save(obj=site, municipality=m, language=tag, texts={"intro": "Kerasa buti."}, by=None)
    assert row_of(site, tag).text_status == "klar"


# --- The language's own name and note have no Swedish source --------------------------------

KALDERASH = "rmy-x-kalderas"


def test_a_swedish_change_leaves_the_own_name_and_note(site, world):
    """Editing the Swedish introduction (on the Public site page, as the browser
    sends it) takes the kalderash introduction off the page, but the language's
    own name and note stay: they were not made from any Swedish text."""
    m = world.municipality
    sv(site, m, intro="Vi arbetar för romsk inkludering.")
    text_save(obj=site, municipality=m, language=KALDERASH,
              texts={"intro": "Kerasa buti.", "language_name": "Romanes (kalderash)",
                     "fallback_note": "Le texturi so nai ramome romanes sikavdon pe shvedicka."}, by=None)  # fmt: skip
    client = world.client("anonymous")
    html = client.get("/0180/kalderash/").content.decode()
    assert '<div lang="rmy-x-kalderas" class="lead"><p>Kerasa buti.</p></div>' in html
    assert 'lang="rmy-x-kalderas" aria-current="page">Romanes (kalderash)</a>' in html

    coordinator = world.client("coordinator")
    page, url = reverse("public_staff:site"), reverse("public_staff:site_texts")
    (sub,) = [s for s in submissions(page, coordinator.get(page).content) if s.action == url]
    sub.data["intro"] = ["Staden arbetar för romsk inkludering."]
    assert coordinator.post(sub.action, sub.data).status_code == 302

    html = client.get("/0180/kalderash/").content.decode()
    assert '<div lang="sv" class="lead"><p>Staden arbetar för romsk inkludering.</p></div>' in html
    assert "Kerasa buti." not in html
    assert 'lang="rmy-x-kalderas" aria-current="page">Romanes (kalderash)</a>' in html
    assert '<p lang="rmy-x-kalderas" class="fallback-note">Le texturi so nai ramome romanes' in html

    # The Översättningar page: the introduction is outdated, being translated; the name and note are done.
    response = world.client("coordinator").get(OVERVIEW + "?sprak=kalderash")
    units = {u.field: u for u in next(x for x in response.context["languages"] if x.tag == KALDERASH).to_do}
    assert set(units) == {"intro"} and units["intro"].outdated
    (kalderash,) = [x for x in response.context["languages"] if x.tag == KALDERASH]
    assert counts(kalderash)["site"] == [0, 1, 2, 0]

    # Saving only the name (the edit page, as the browser sends it) does not make the old introduction current.
    key = f"site:{site.pk}:language_name"
    sub = the_form(coordinator, edit_url(key, slug="kalderash"), text="Romanes")
    assert coordinator.post(sub.action, sub.data).status_code == 302
    html = client.get("/0180/kalderash/").content.decode()
    assert "Kerasa buti." not in html and 'lang="rmy-x-kalderas" aria-current="page">Romanes</a>' in html


def test_the_own_name_is_imported_after_a_swedish_change(site, world):
    m = world.municipality
    sv(site, m, intro="Vi arbetar.")
    client = world.client("coordinator")
    key = f"site:{site.pk}:language_name"
    wb = export(client, slug="kalderash")
    data = fill(wb, {key: "Romanes (kalderash)"}, language=KALDERASH)
    sv(site, m, intro="Vi arbetar för romsk inkludering.")  # after the export
    response = upload(client, data, slug="kalderash")
    assert summary(1, 0, 0, 2) in response.content.decode()
    assert row_of(site, KALDERASH).language_name == "Romanes (kalderash)"


def test_the_edit_page_says_the_status_is_the_objects(texts, world):
    key = f"activity:{texts['activity'].pk}:public_title"
    page = world.client("coordinator").get(edit_url(key)).content.decode()
    shared = sv_(
        "The status applies to all texts of this object in this language, also: %(fields)s. "
        "Marked as being translated, none of them is shown on the public pages.",
        fields=sv_("public description"),
    )
    assert shared in page
    # Said with the status field itself (aria-describedby), not elsewhere.
    assert 'aria-describedby="id_status_helptext"' in page


def test_each_text_is_current_on_its_own(site, world):
    """One status per object and language, but each text records the Swedish text
    it was made from: translating the contact text after the Swedish intro and
    contact text changed does not pass the outdated English intro off as current."""
    from public.services import text_save as save

    m = world.municipality
    save(obj=site, municipality=m, language="sv", texts={"intro": "Första.", "contact_text": "Skriv."}, by=None)
    save(obj=site, municipality=m, language="en", texts={"intro": "First.", "contact_text": "Write."}, by=None)
    save(obj=site, municipality=m, language="sv", texts={"intro": "Andra.", "contact_text": "Skriv till oss."}, by=None)
    save(obj=site, municipality=m, language="en", texts={"contact_text": "Write to us."}, by=None)
    html = world.client("anonymous").get("/0180/en/").content.decode()
    assert "First." not in html and "Andra." in html and "Write to us." in html
    overview = world.client("coordinator").get("/publikt/oversattningar/?sprak=en").content.decode()
    assert "Andra." in overview  # the intro is still to translate
    save(obj=site, municipality=m, language="en", texts={"intro": "Second."}, by=None)
    html = world.client("anonymous").get("/0180/en/").content.decode()
    assert "Second." in html and "Write to us." in html
    # A correction of the Swedish keeps the translations made from the text before it.
    save(obj=site, municipality=m, language="sv", texts={"intro": "Andra!"}, by=None, correction=True)
    assert "Second." in world.client("anonymous").get("/0180/en/").content.decode()
