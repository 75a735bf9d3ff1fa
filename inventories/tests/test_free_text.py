"""What respondents write in their own words: stored without personnummer,
phone numbers and e-mail addresses; read only by the coordinators and the
coders the inventory names; a passage can be removed by hand, leaving no trace
of what it said; and quotes reach outputs only when marked publishable."""

import io
import json
from datetime import date, timedelta

import lxml.html
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEvent
from inventories import services
from inventories.models import Coding, DialogueNote, Inventory, Quote
from surveys import forms as survey_forms
from surveys.models import Answer, Question, Response, Survey

WISH = "Jag heter Anna Lindqvist och bor på Storgatan 12. Jag vill ha jobb och läxhjälp till barnen."
# Every way of writing a detail the issue names, and numbers that must survive.
DETAILS = {
    "070-318 62 94": "3186294",
    "+46 73 555 19 28": "5551928",
    "0046 76-271 48 35": "2714835",
    "08-642 97 13": "6429713",
    "08-41 52 63": "415263",
    "031-77 28 46": "772846",
    "0709183746": "9183746",
    "19811218-9876": "811218",
    "811218+9876": "811218",
    "8112189876": "811218",
    "701063-2391": "701063",
    "anna.lindqvist@exempel.se": "lindqvist@",
}
ORDINARY = "Jag är född 1985, busskortet kostar 5 kr, mötet var 2025-03-01 och jag ger det 4 av 5."
OTHER_TEXT = "Kontakta mig på anna.lindqvist@exempel.se eller 070-318 62 94 om tolk"


@pytest.fixture(autouse=True)
def _no_minimum_fill_time(monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(survey_forms, "MIN_FILL_SECONDS", 0)
    cache.clear()  # the rate limit's counters


def make_inventory(world, **fields) -> Inventory:
    defaults = {"name": "Behovsinventering", "unit": world.unit_a, "plan": world.plan}
    return services.inventory_create(
        municipality=world.municipality, by=world.users["coordinator"], fields=defaults | fields
    )


def make_survey(inventory, *, open_=True) -> Survey:
    """A survey of the inventory: age, a free-text question, and a multiple choice with "other"."""
    today = timezone.localdate()
    survey = Survey.objects.create(
        municipality=inventory.municipality, inventory=inventory, unit=inventory.unit, name="Behov 2026",
        languages=["sv"], texts={"sv": {"title": "Vad behöver du?", "intro": "Frivilligt och anonymt."}},
        opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=30),
        status=Survey.Status.OPEN if open_ else Survey.Status.CLOSED,
    )  # fmt: skip
    Question.objects.create(
        survey=survey, position=1, kind="age", texts={"sv": "Hur gammal är du?"},
        options=[{"value": f"a{i}", "texts": {"sv": g}} for i, g in enumerate(inventory.age_groups, 1)],
    )  # fmt: skip
    Question.objects.create(survey=survey, position=2, kind="text", texts={"sv": "Vad behöver du?"})
    Question.objects.create(
        survey=survey, position=3, kind="multiple", allow_other=True, texts={"sv": "Vad saknas?"},
        options=[{"value": "o1", "texts": {"sv": "Läxhjälp"}}, {"value": "o2", "texts": {"sv": "Jobb"}}],
    )  # fmt: skip
    return survey


def stored_answer(survey, text=WISH, other=None) -> Answer:
    """An answer stored as it is (no scrubbing): what a coder might still find to remove by hand."""
    response = Response.objects.create(survey=survey, language="sv", answered_on=timezone.localdate())
    question = survey.questions.get(position=2 if other is None else 3)
    value = {"value": text} if other is None else {"value": ["o1", survey_forms.OTHER], "other": other}
    return Answer.objects.create(response=response, question=question, value=value)


def everything_stored() -> str:
    """Every text of every row of every table: what the database holds that a person
    could have written. Timestamps and numbers are left out: their digits (a time's
    microseconds, an id) may match a detail's by chance."""
    out = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the database itself
            for row in cursor.fetchall():
                out.extend(_text(value) for value in row if isinstance(value, str | bytes | memoryview | dict | list))
    return "\n".join(out)


def _text(value) -> str:
    if isinstance(value, dict | list):  # JSON, as PostgreSQL's driver gives it
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return value


def form_of(page: bytes, action: str):
    """The rendered form that posts to ``action``."""
    forms = [f for f in lxml.html.fromstring(page.decode()).forms if (f.action or "") == action]
    assert forms, f"no form posts to {action}"
    return forms[0]


def values(form) -> dict:
    """What the browser sends for the form, as rendered."""
    data: dict = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in data.items()}


# --- 1. Personal details never reach the database -----------------------------------------------


def test_the_public_form_stores_no_personal_details(world):
    inventory = make_inventory(world)
    survey = make_survey(inventory)
    q = {n: f"q{survey.questions.get(position=n).pk}" for n in (1, 2, 3)}
    url = reverse("survey_public:answer", args=[survey.token]) + "?sprak=sv"
    client = world.client("anonymous")
    form = form_of(client.get(url).content, "")
    written = " ".join(f"Detalj: {detail}." for detail in DETAILS) + " " + ORDINARY
    data = values(form) | {q[1]: "a2", q[2]: written, q[3]: ["o1", survey_forms.OTHER], f"{q[3]}_other": OTHER_TEXT}
    response = client.post(url, data)
    assert response.status_code == 302

    text = Answer.objects.get(question__position=2).value["value"]
    assert text.count("[telefonnummer borttaget]") == 7
    assert text.count("[personnummer borttaget]") == 4
    assert text.count("[e-postadress borttagen]") == 1
    assert text.endswith(ORDINARY)  # years, amounts, dates and scores survive
    other = Answer.objects.get(question__position=3).value
    assert other == {
        "value": ["o1", survey_forms.OTHER],
        "other": "Kontakta mig på [e-postadress borttagen] eller [telefonnummer borttaget] om tolk",
    }
    stored = everything_stored()
    assert "[telefonnummer borttaget]" in stored  # the answers are in what is searched
    for detail, digits in DETAILS.items():
        assert detail not in stored and digits not in stored, detail
    # The coordinator reads the markers, never the details.
    page = world.client("coordinator").get(reverse("inventories:coding", args=[inventory.pk])).content.decode()
    assert "[telefonnummer borttaget]" in page and "318 62 94" not in page


def test_a_typed_in_paper_answer_stores_no_personal_details(world):
    inventory = make_inventory(world)
    survey = make_survey(inventory)
    client = world.client("coordinator")
    url = reverse("surveys:entry", args=[survey.pk])
    form = form_of(client.get(url).content, "")
    text_field = f"q{survey.questions.get(position=2).pk}"
    data = values(form) | {"source": "papper", text_field: "Ring mig på 08-642 97 13 eller 070-318 62 94."}
    assert client.post(url, data).status_code == 302
    assert Answer.objects.get().value == {
        "value": "Ring mig på [telefonnummer borttaget] eller [telefonnummer borttaget]."
    }
    assert "6429713" not in everything_stored() and "642 97 13" not in everything_stored()


# --- 2. Who reads free text ------------------------------------------------------------------------

# The coding page by role, with contact B (of another unit) named as a coder and
# contact A (of the inventory's own unit) not named.
CODING_PAGE = {
    "coordinator": 200, "contact_b": 200, "contact_a": 403, "reader": 403, "representative": 403,
    "other_coordinator": 404,
}  # fmt: skip


def test_only_the_coordinator_and_named_coders_read_free_text(world):
    inventory = make_inventory(world)
    answer = stored_answer(make_survey(inventory, open_=False))
    inventory.coders.set([world.users["contact_b"]])
    url = reverse("inventories:coding", args=[inventory.pk])
    for role, expected in CODING_PAGE.items():
        response = world.client(role).get(url)
        assert response.status_code == expected, role
        assert ("Storgatan 12" in response.content.decode()) == (expected == 200), role
        if expected == 200:
            assert "no-store" in response["Cache-Control"]
    assert world.client("anonymous").get(url)["Location"].startswith(reverse("login"))
    # Contact A changes the inventory but does not code it; contact B codes it but does not change it.
    code = reverse("inventories:code", args=[inventory.pk])
    work = inventory.themes.get(name="Arbete och försörjning")
    payload = {"kind": "answer", "target": str(answer.pk), "theme": work.pk, "action": "bekraftad"}
    assert world.client("contact_a").post(code, payload).status_code == 403
    assert world.client("reader").post(code, payload).status_code == 403
    assert not Coding.objects.exists()
    assert world.client("contact_b").post(code, payload).status_code == 302
    assert Coding.objects.get().decided_by == world.users["contact_b"]
    assert world.client("contact_b").get(reverse("inventories:edit", args=[inventory.pk])).status_code == 403
    # The inventory page links to the coding page only for those who may read it, and says who they are.
    detail = reverse("inventories:detail", args=[inventory.pk])
    assert url not in world.client("contact_a").get(detail).content.decode()
    assert url not in world.client("reader").get(detail).content.decode()
    page = world.client("contact_b").get(detail).content.decode()
    assert url in page and "Läser fritext" in page and "samordnarna, Contact Testsson" in page


def test_a_reader_named_behind_the_forms_back_still_reads_nothing(world):
    """Readers cannot be named; one who is (by the admin, or a contact who later became a reader) is still refused."""
    inventory = make_inventory(world)
    stored_answer(make_survey(inventory, open_=False))
    inventory.coders.set([world.users["reader"], world.users["contact_a"]])
    membership = world.membership("contact_a")
    membership.role = "reader"
    membership.save()
    for role in ("reader", "contact_a"):
        assert world.client(role).get(reverse("inventories:coding", args=[inventory.pk])).status_code == 403


def test_the_coordinator_names_the_coders_and_the_history_says_who(world):
    world.users["contact_b"].first_name = "Bodil"
    world.users["contact_b"].save()
    inventory = make_inventory(world)
    client = world.client("coordinator")
    url = reverse("inventories:edit", args=[inventory.pk])
    page = client.get(url).content
    form = form_of(page, "")
    choices = {el.get("value"): el.getparent().text_content().strip() for el in form.inputs["coders"]}
    # Unit contacts, with their units; never readers, representatives or the coordinators themselves.
    assert set(choices) == {str(world.users["contact_a"].pk), str(world.users["contact_b"].pk)}
    assert choices[str(world.users["contact_b"].pk)] == "Bodil Testsson (Hägersten-Älvsjö)"
    form.inputs["coders"].value.add(str(world.users["contact_b"].pk))
    assert client.post(url, values(form)).status_code == 302
    assert list(inventory.coders.all()) == [world.users["contact_b"]]
    event = AuditEvent.objects.for_object(inventory).filter(changes__has_key="coders").get()
    assert (event.actor, event.changes["coders"]) == (world.users["coordinator"], [[], ["Bodil Testsson"]])

    inventory.refresh_from_db()
    form = form_of(client.get(url).content, "")
    assert form.inputs["coders"].value == {str(world.users["contact_b"].pk)}  # shown as named
    form.inputs["coders"].value.clear()
    assert client.post(url, values(form)).status_code == 302
    assert not inventory.coders.exists()
    latest = AuditEvent.objects.for_object(inventory).filter(changes__has_key="coders").first()
    assert latest.changes["coders"] == [["Bodil Testsson"], []]
    assert "Bodil Testsson" in client.get(reverse("inventories:detail", args=[inventory.pk])).content.decode()


def test_a_reader_cannot_be_named_and_only_the_coordinator_names_anyone(world):
    inventory = make_inventory(world)
    client = world.client("coordinator")
    url = reverse("inventories:edit", args=[inventory.pk])
    data = values(form_of(client.get(url).content, "")) | {"coders": [str(world.users["reader"].pk)]}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Bara kommunens kontaktpersoner kan utses att läsa fritext." in refused.content.decode()
    assert not inventory.coders.exists()
    with pytest.raises(services.InventoryRefused):
        services.inventory_set_coders(inventory=inventory, by=None, coders=[world.users["reader"]])
    with pytest.raises(services.InventoryRefused):  # another municipality's people
        services.inventory_set_coders(inventory=inventory, by=None, coders=[world.users["other_coordinator"]])
    # The unit's contact edits the inventory but the form has no coders, and a crafted field is ignored.
    contact = world.client("contact_a")
    page = contact.get(url).content
    assert b'name="coders"' not in page
    data = values(form_of(page, "")) | {"coders": [str(world.users["contact_a"].pk)], "purpose": "Ny text."}
    assert contact.post(url, data).status_code == 302
    inventory.refresh_from_db()
    assert inventory.purpose == "Ny text." and not inventory.coders.exists()


def test_staff_written_notes_and_quotes_stay_where_they_were(world):
    """Dialogue notes and quotes are staff-written: every staff member still reads them."""
    inventory = make_inventory(world)
    note = DialogueNote.objects.create(
        inventory=inventory, held_on=date(2026, 3, 1), place="bibliotek", participants=6, summary="Om läxhjälp."
    )
    Quote.objects.create(note=note, text="Läxhjälpen räddade terminen.", publishable=False)
    services.inventory_finalise(inventory=inventory, by=world.users["coordinator"])
    reader = world.client("reader")
    assert "Om läxhjälp." in reader.get(reverse("inventories:detail", args=[inventory.pk])).content.decode()
    assert world.client("contact_a").get(reverse("inventories:note_edit", args=[note.pk])).status_code == 200


# --- 3. Redaction ----------------------------------------------------------------------------


def redact_form(client, inventory, answer):
    page = client.get(reverse("inventories:coding", args=[inventory.pk]) + "?visa=alla").content
    return form_of(page, reverse("inventories:answer_redact", args=[answer.pk]))


@pytest.mark.parametrize("role", ["coordinator", "contact_b"])
def test_a_coder_removes_a_passage_and_nothing_of_it_is_left(world, role):
    inventory = make_inventory(world)
    answer = stored_answer(make_survey(inventory, open_=False), text=WISH + " Fråga efter Anna Lindqvist.")
    inventory.coders.set([world.users["contact_b"]])
    work = inventory.themes.get(name="Arbete och försörjning")
    # A coding whose matched words include a word of the passage.
    services.coding_decide(theme=work, target="answer", target_id=answer.pk, decision="bekraftad",
                           matched_words="jobb, lindqvist", by=world.users["coordinator"])  # fmt: skip
    client = world.client(role)
    form = redact_form(client, inventory, answer)
    form.inputs["passage"].value = "Anna Lindqvist"
    response = client.post(form.action, values(form))
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("inventories:coding", args=[inventory.pk]) + f"?visa=alla&sida=1#answer-{answer.pk}"
    )
    answer.refresh_from_db()
    assert answer.value["value"] == (
        "Jag heter [borttaget] och bor på Storgatan 12. Jag vill ha jobb och läxhjälp till barnen. "
        "Fråga efter [borttaget]."
    )
    stored = everything_stored()
    assert "Lindqvist" not in stored and "lindqvist" not in stored
    assert Coding.objects.get(answer=answer).matched_words == "jobb"  # the coding stays
    event = AuditEvent.objects.for_object(inventory).first()
    assert event.actor == world.users[role]
    assert event.changes == {"fritext": [None, f"en text togs bort ur svar {answer.pk} (Behov 2026, fråga 2)"]}
    follow = client.get(response["Location"]).content.decode()
    assert "Texten togs bort ur svaret." in follow and "Lindqvist" not in follow


def test_a_coding_form_loaded_before_a_redaction_cannot_write_a_removed_word_back(world):
    inventory = make_inventory(world)
    answer = stored_answer(make_survey(inventory, open_=False), text="Fråga efter Lindqvist om jobb.")
    work = inventory.themes.get(name="Arbete och försörjning")
    client = world.client("coordinator")
    form = redact_form(client, inventory, answer)
    form.inputs["passage"].value = "Lindqvist"
    client.post(form.action, values(form))
    # The suggestion's form, as it was rendered before the redaction, still carries the word.
    response = client.post(
        reverse("inventories:code", args=[inventory.pk]),
        {
            "kind": "answer",
            "target": str(answer.pk),
            "theme": work.pk,
            "action": "bekraftad",
            "words": "lindqvist, jobb",
        },
    )
    assert response.status_code == 302
    assert Coding.objects.get(answer=answer, theme=work).matched_words == "jobb"
    assert "indqvist" not in everything_stored()


def test_an_other_text_can_be_redacted(world):
    inventory = make_inventory(world)
    answer = stored_answer(make_survey(inventory, open_=False), other="Ring Anna på Storgatan")
    client = world.client("coordinator")
    form = redact_form(client, inventory, answer)
    form.inputs["passage"].value = "Anna på Storgatan"
    assert client.post(form.action, values(form)).status_code == 302
    answer.refresh_from_db()
    assert answer.value == {"value": ["o1", survey_forms.OTHER], "other": "Ring [borttaget]"}
    assert "Storgatan" not in everything_stored()


def test_a_passage_not_in_the_answer_is_refused_in_swedish(world):
    inventory = make_inventory(world)
    answer = stored_answer(make_survey(inventory, open_=False))
    client = world.client("coordinator")
    events = AuditEvent.objects.count()
    form = redact_form(client, inventory, answer)
    form.inputs["passage"].value = "anna lindqvist"  # not as written
    response = client.post(form.action, values(form))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Texten som ska tas bort finns inte i svaret." in page and "med samma stora och små bokstäver" in page
    assert 'aria-invalid="true"' in page
    answer.refresh_from_db()
    assert answer.value == {"value": WISH}
    assert AuditEvent.objects.count() == events
    # The page shown again is itself a form that works as rendered.
    again = form_of(response.content, "")
    again.inputs["passage"].value = "Anna Lindqvist"
    assert client.post(form.action, values(again)).status_code == 302
    answer.refresh_from_db()
    assert "Anna Lindqvist" not in answer.value["value"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("reader", 403), ("contact_a", 403), ("representative", 403), ("other_coordinator", 404)],
)
def test_those_who_may_not_read_free_text_cannot_redact(world, role, expected):
    inventory = make_inventory(world)
    answer = stored_answer(make_survey(inventory, open_=False))
    inventory.coders.set([world.users["contact_b"]])
    events = AuditEvent.objects.count()
    url = reverse("inventories:answer_redact", args=[answer.pk])
    client = world.client(role)
    assert client.get(url).status_code == expected
    assert client.post(url, {"passage": "Anna Lindqvist"}).status_code == expected
    answer.refresh_from_db()
    assert answer.value == {"value": WISH}
    assert AuditEvent.objects.count() == events


def test_only_written_text_can_be_redacted(world):
    inventory = make_inventory(world)
    survey = make_survey(inventory, open_=False)
    answer = stored_answer(survey)
    age = Answer.objects.create(
        response=answer.response, question=survey.questions.get(position=1), value={"value": "a2"}
    )
    url = reverse("inventories:answer_redact", args=[age.pk])
    assert world.client("coordinator").post(url, {"passage": "a2"}).status_code == 404
    age.refresh_from_db()
    assert age.value == {"value": "a2"}


# --- 4. Quotes leave the internal pages only when publishable ------------------------------------

PUBLISHABLE = "Vi vill att våra barn ska lyckas i skolan."
INTERNAL = "Min granne på Storgatan 3 fick inget jobb."


def test_only_publishable_quotes_reach_any_output(world, settings):
    settings.OPEN_DATA_REQUESTS_PER_MINUTE = 0
    from reports.assemble import council_document
    from reports.models import CouncilReport

    inventory = make_inventory(world, starts_on=date(2026, 5, 1), ends_on=date(2026, 6, 30))
    note = DialogueNote.objects.create(
        inventory=inventory, held_on=date(2026, 5, 10), place="bibliotek", participants=12, summary="Om skolan."
    )
    for position, (text, publishable) in enumerate([(PUBLISHABLE, True), (INTERNAL, False)], start=1):
        quote = Quote.objects.create(note=note, text=text, publishable=publishable, position=position)
        for theme in inventory.themes.filter(name__in=["Utbildning", "Arbete och försörjning"]):
            services.coding_decide(theme=theme, target="quote", target_id=quote.pk, decision="bekraftad",
                                   matched_words="", by=world.users["coordinator"])  # fmt: skip
    services.inventory_finalise(inventory=inventory, by=world.users["coordinator"])
    Inventory.objects.filter(pk=inventory.pk).update(published=True)

    # Internal: staff read both, the internal one marked so.
    internal = world.client("reader").get(reverse("inventories:results", args=[inventory.pk])).content.decode()
    assert PUBLISHABLE in internal and INTERNAL in internal and "bara internt" in internal

    anonymous = world.client("anonymous")
    public = anonymous.get(reverse("inventory_public:results", args=[inventory.pk]))
    assert public.status_code == 200
    assert PUBLISHABLE in public.content.decode() and "Storgatan" not in public.content.decode()
    downloads = [
        anonymous.get(reverse("inventory_public:results_csv", args=[inventory.pk])).content.decode(),
        world.client("reader").get(reverse("inventories:results_csv", args=[inventory.pk])).content.decode(),
    ]
    for client, name in (
        (anonymous, "inventory_public:results_xlsx"),
        (world.client("reader"), "inventories:results_xlsx"),
    ):
        book = load_workbook(io.BytesIO(client.get(reverse(name, args=[inventory.pk])).content))
        downloads.append(
            " ".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row)
        )
    api = anonymous.get(reverse("opendata:results", args=[world.municipality.code]))
    assert api.status_code == 200 and inventory.name in api.content.decode()
    downloads.append(api.content.decode())
    api_csv = anonymous.get(reverse("opendata:results_csv", args=[world.municipality.code]))
    downloads.append(b"".join(api_csv.streaming_content).decode())
    for text in downloads:
        assert "Storgatan" not in text and "fick inget jobb" not in text

    report = CouncilReport.objects.create(municipality=world.municipality, plan=world.plan, title="Uppföljning")
    report.rounds.set([world.round])
    document = council_document(report)[0].text()
    assert inventory.name in document
    assert PUBLISHABLE in document and "Storgatan" not in document
