import logging
from datetime import date

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys import forms as survey_forms
from surveys.languages import missing_texts
from surveys.models import Answer, Question, Response, Survey
from surveys.selectors import survey_results
from surveys.services import SurveyLocked, question_save

ADDRESS = "203.0.113.7"
AGE_GROUPS = ["under 18", "18–30", "31–50", "51+"]


@pytest.fixture(autouse=True)
def _no_minimum_fill_time(monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(survey_forms, "MIN_FILL_SECONDS", 0)
    cache.clear()  # the rate limit's counters


@pytest.fixture
def survey(world):
    survey = Survey.objects.create(
        municipality=world.municipality,
        unit=world.unit_a,
        name="Erfarenheter av mötesplatsen",
        languages=["sv", "rmn"],
        texts={
            "sv": {"title": "Vad tycker du om mötesplatsen?", "intro": "Frivilligt och anonymt."},
            # Fixture text standing in for a translator's (surveys.languages): no introduction in rmn.
            "rmn": {
                "title": "[rmn-testtext] Mötesplatsen",
                "privacy": "[rmn-testtext] Inga namn",
                "note": "[rmn-testtext] På svenska",
            },
        },
        opens_on=date(2026, 1, 1),
        closes_on=date(2099, 12, 31),
        status=Survey.Status.OPEN,
    )
    Question.objects.create(
        survey=survey, position=1, kind="age", required=True, texts={"sv": "Hur gammal är du?", "rmn": "[rmn] Ålder?"},
        options=[{"value": f"a{i}", "texts": {"sv": g, "rmn": f"[rmn] {g}"}} for i, g in enumerate(AGE_GROUPS, 1)],
    )  # fmt: skip
    Question.objects.create(
        survey=survey, position=2, kind="single", texts={"sv": "Har du besökt mötesplatsen?", "rmn": "[rmn] Besök?"},
        options=[{"value": "ja", "texts": {"sv": "Ja", "rmn": "[rmn] Ja"}},
                 {"value": "nej", "texts": {"sv": "Nej", "rmn": "[rmn] Nej"}}],
    )  # fmt: skip
    Question.objects.create(
        survey=survey, position=3, kind="text", texts={"sv": "Vad saknar du?", "rmn": "[rmn] Saknar?"},
        show_if=survey.questions.get(position=2), show_if_value="ja",
    )  # fmt: skip
    return survey


def answer_url(survey, language="sv"):
    return reverse("survey_public:answer", args=[survey.token]) + f"?sprak={language}"


def answer(client, survey, data, language="sv"):
    form = client.get(answer_url(survey, language)).context["form"]
    payload = {"stamp": form["stamp"].value(), "webbplats": "", "sprak": language} | data
    return client.post(answer_url(survey, language), payload, REMOTE_ADDR=ADDRESS)


def close_and_finalise(survey, by):
    """Close the survey and finalise its results, as its coordinator would."""
    from surveys.services import survey_finalise, survey_set_status

    survey_set_status(survey=survey, by=by, status=Survey.Status.CLOSED)
    return survey_finalise(survey=survey, by=by)


def q(survey, position):
    return f"q{survey.questions.get(position=position).pk}"


def test_the_response_tables_cannot_identify_or_link_anyone():
    for model, allowed in ((Response, {"id", "survey", "language", "source", "answered_on"}),
                           (Answer, {"id", "response", "question", "value"})):  # fmt: skip
        fields = {f.name for f in model._meta.concrete_fields}
        assert fields == allowed
        for f in model._meta.concrete_fields:
            assert not isinstance(f, models.DateTimeField | models.GenericIPAddressField | models.TimeField)
        assert isinstance(model._meta.pk, models.UUIDField)


def test_a_member_of_the_public_answers_anonymously(survey, caplog):
    client = Client()
    with caplog.at_level(logging.DEBUG):
        response = answer(client, survey, {q(survey, 1): "a1", q(survey, 2): "ja", q(survey, 3): "Fler kvällstider"})
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("survey_public:thanks", args=[survey.token])
    )
    saved = Response.objects.get()
    assert (saved.answered_on, saved.language, saved.source) == (timezone.localdate(), "sv", "webb")
    assert {a.question.position: a.value for a in saved.answers.select_related("question")} == {
        1: {"value": "a1"}, 2: {"value": "ja"}, 3: {"value": "Fler kvällstider"},
    }  # fmt: skip
    assert saved.id.version == 4  # random, not sequential
    assert "sessionid" not in response.cookies and "sessionid" not in client.cookies
    assert all(ADDRESS not in record.getMessage() for record in caplog.records)
    assert all(ADDRESS not in str(getattr(record, "request", "")) for record in caplog.records)


def test_the_week_can_be_kept_instead_of_the_day(survey):
    survey.date_detail = Survey.DateDetail.WEEK
    survey.save()
    answer(Client(), survey, {q(survey, 1): "a2"})
    assert Response.objects.get().answered_on.weekday() == 0


def test_a_hidden_question_is_neither_required_nor_kept(survey):
    hidden = survey.questions.get(position=3)
    hidden.required = True
    hidden.save()
    response = answer(Client(), survey, {q(survey, 1): "a1", q(survey, 2): "nej", q(survey, 3): "Ska inte sparas"})
    assert response.status_code == 302
    assert not Answer.objects.filter(question=hidden).exists()


def test_a_required_answer_is_asked_for_and_nothing_is_saved(survey):
    response = answer(Client(), survey, {q(survey, 2): "ja"})
    assert response.status_code == 400
    assert q(survey, 1) in response.context["form"].errors
    assert not Response.objects.exists()


def test_robots_are_thanked_and_forgotten(survey, monkeypatch):
    client = Client()
    response = answer(client, survey, {q(survey, 1): "a1", "webbplats": "https://spam.example"})
    assert response.status_code == 302
    monkeypatch.setattr(survey_forms, "MIN_FILL_SECONDS", 60)
    assert answer(client, survey, {q(survey, 1): "a1"}).status_code == 302
    assert client.post(answer_url(survey), {q(survey, 1): "a1", "stamp": "förfalskad"}).status_code == 302
    assert not Response.objects.exists()


def test_many_answers_from_one_address_are_slowed(survey, settings):
    settings.SURVEY_SUBMIT_LIMIT = 2
    client = Client()
    codes = [answer(client, survey, {q(survey, 1): "a1"}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Response.objects.count() == 2


def test_the_language_is_chosen_by_the_respondent(survey):
    client = Client()
    page = client.get(reverse("survey_public:answer", args=[survey.token]))
    assert [c[0] for c in page.context["choices"]] == ["sv", "rmn"]
    response = answer(client, survey, {q(survey, 1): "a3", q(survey, 2): "nej"}, language="rmn")
    assert response.status_code == 302
    assert Response.objects.get().language == "rmn"


def test_closed_and_draft_surveys(survey):
    survey.closes_on = date(2026, 1, 31)
    survey.save()
    page = Client().get(answer_url(survey))
    assert page.status_code == 200 and "surveys/public_closed.html" in [t.name for t in page.templates]
    survey.status = Survey.Status.DRAFT
    survey.save()
    assert Client().get(answer_url(survey)).status_code == 404


def test_questions_lock_once_there_are_answers(world, survey):
    answer(Client(), survey, {q(survey, 1): "a1"})
    with pytest.raises(SurveyLocked):
        question_save(survey=survey, by=None, question=None, fields={"kind": "text", "texts": {"sv": "Ny?"}})
    client = world.client("contact_a")
    response = client.get(reverse("surveys:question_create", args=[survey.pk]))
    assert response.status_code == 302
    client.post(reverse("surveys:new_version", args=[survey.pk]))
    new = Survey.objects.get(version_of=survey)
    assert new.status == Survey.Status.DRAFT and new.questions.count() == 3
    assert new.questions.get(position=3).show_if == new.questions.get(position=2)


def test_staff_type_in_paper_answers(world, survey):
    client = world.client("contact_a")
    response = client.post(
        reverse("surveys:entry", args=[survey.pk]),
        {"source": "papper", "answered_on": "2026-05-04", q(survey, 1): "a4", "stamp": "x"},
    )
    assert response.status_code == 302, response.context["form"].errors
    saved = Response.objects.get()
    assert (saved.source, saved.answered_on) == ("papper", date(2026, 5, 4))
    assert world.client("contact_b").get(reverse("surveys:entry", args=[survey.pk])).status_code == 403


def test_results_suppress_small_counts(world, survey):
    for group, n in (("a1", 6), ("a2", 2), ("a3", 7), ("a4", 0)):
        for _ in range(n):
            answer(Client(), survey, {q(survey, 1): group})
    results = survey_results(close_and_finalise(survey, world.users["coordinator"]))
    ages = {row.label: row.cell for row in results.questions[0].rows}
    assert ages["31–50"].value == 7 and ages["51+"].value == 0
    assert ages["18–30"].suppressed  # 2 < 5
    # The smallest larger count is hidden too, or 2 could be worked out from the total of 15; both read "dolt".
    assert ages["under 18"].suppressed and results.questions[0].total.value == 15
    page = world.client("reader").get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert page.count('<td class="num suppressed">dolt</td>') == 2 and "färre än" not in page


def test_a_survey_is_built_in_two_languages(world):
    client = world.client("contact_a")
    response = client.post(
        reverse("surveys:create"),
        {
            "name": "Behovsinventering 2027 (väntar på översättning)",
            "unit": world.unit_a.pk,
            "languages": ["sv", "rmy"],
            "opens_on": "2027-01-10",
            "closes_on": "2027-03-31",
            "date_detail": "vecka",
            "title_sv": "Dina behov",
            "intro_sv": "Frivilligt och anonymt.",
            "title_rmy": "",
        },
    )
    # A draft may offer a language whose translator has not delivered yet: the
    # builder lists what is missing, and the survey cannot be opened (test_languages).
    waiting = Survey.objects.get(name="Behovsinventering 2027 (väntar på översättning)")
    assert response.status_code == 302 and waiting.languages == ["sv", "rmy"]
    [missing] = missing_texts(waiting)
    assert missing.language == "rmy" and len(missing.items) == 3  # title, privacy note, note on Swedish
    response = client.post(
        reverse("surveys:create"),
        {
            "name": "Behovsinventering 2027",
            "unit": world.unit_a.pk,
            "languages": ["rmy"],
            "opens_on": "2027-01-10",
            "closes_on": "2027-03-31",
            "date_detail": "vecka",
            "title_sv": "Dina behov",
            "intro_sv": "Frivilligt och anonymt.",
            "title_rmy": "[kalderash] Dina behov",
        },
    )
    survey = Survey.objects.get(name="Behovsinventering 2027")
    assert survey.languages == ["sv", "rmy"]
    response = client.post(
        reverse("surveys:question_create", args=[survey.pk]),
        {
            "kind": "single",
            "text_sv": "Bor du i kommunen?",
            "text_rmy": "[rmy] Bor du?",
            "options_sv": "Ja\nNej",
            "options_rmy": "[rmy] Ja",
            "scale_min": 1,
            "scale_max": 5,
        },
    )
    assert "options_rmy" in response.context["form"].errors
    client.post(
        reverse("surveys:question_create", args=[survey.pk]),
        {
            "kind": "single",
            "text_sv": "Bor du i kommunen?",
            "text_rmy": "[rmy] Bor du?",
            "options_sv": "Ja\nNej",
            "options_rmy": "[rmy] Ja\n[rmy] Nej",
            "scale_min": 1,
            "scale_max": 5,
        },
    )
    question = survey.questions.get()
    assert question.option_labels("rmy") == [("o1", "[rmy] Ja"), ("o2", "[rmy] Nej")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.dictionaries(
        st.sampled_from(["q1", "q2", "q3", "sprak", "stamp", "webbplats", "q2_other", "x"]),
        st.one_of(st.text(max_size=300), st.lists(st.text(max_size=20), max_size=4)),
        max_size=8,
    )
)
def test_arbitrary_input_never_breaks_the_public_form(survey, data):
    client = Client()
    renamed = {}
    for key, value in data.items():
        if key in ("q1", "q2", "q3"):
            key = q(survey, int(key[1]))
        renamed[key] = value
    response = client.post(answer_url(survey), renamed, REMOTE_ADDR=ADDRESS)
    assert response.status_code in (200, 302, 400, 429)


def test_the_public_page_shows_the_survey_in_the_chosen_language_not_its_internal_name(survey):
    page = Client().get(answer_url(survey, "rmn")).content.decode()
    assert "[rmn-testtext] Mötesplatsen" in page
    assert "Erfarenheter av mötesplatsen" not in page
    assert 'lang="rmn"' in page


def test_downloads_and_published_results_hold_only_suppressed_counts(world, survey):
    """The XLSX and CSV downloads print the page's protected cells: no count from 1 to k-1, ever."""
    import csv
    import io

    from openpyxl import load_workbook

    client = Client()
    for age, n in (("a2", 6), ("a3", 2), ("a4", 7)):
        for _ in range(n):
            answer(client, survey, {q(survey, 1): age, q(survey, 2): "nej"})
    staff = world.client("reader")
    public = reverse("survey_public:results", args=[survey.token])
    assert staff.get(reverse("surveys:results_csv", args=[survey.pk])).status_code == 404  # still open
    close_and_finalise(survey, world.users["coordinator"])
    text = staff.get(reverse("surveys:results_csv", args=[survey.pk])).content.decode()
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert ["1. Hur gammal är du?", "31–50", "Antal", "dolt"] in rows
    assert all(int(v) == 0 or int(v) >= 5 for *_r, v in rows if v.isdigit())
    data = staff.get(reverse("surveys:results_xlsx", args=[survey.pk])).content
    cells = [c for ws in load_workbook(io.BytesIO(data)).worksheets for r in ws.iter_rows(values_only=True) for c in r]
    assert "dolt" in cells and 2 not in cells
    assert Client().get(public).status_code == 404  # not published
    Survey.objects.filter(pk=survey.pk).update(results_published=True)
    page = Client().get(public).content.decode()
    assert "dolt" in page and ">2<" not in page
    assert Client().get(reverse("survey_public:results_csv", args=[survey.token])).content.decode() == text
