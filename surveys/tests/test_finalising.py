"""Results are shown once they are finalised, and never move after that.

While a survey is open its tables would move with each answer: someone who
compares two moments sees what one person answered. So nobody sees result
tables before the results are finalised (only the number of answers), and
after that no answer can be added and no output changes."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from organisations.models import Municipality
from surveys import forms as survey_forms
from surveys.models import Answer, Question, Response, Survey
from surveys.selectors import NO_ANSWER, release_tables, survey_results
from surveys.services import (
    NotAccepting,
    NotFinalisable,
    SurveyLocked,
    response_submit,
    survey_finalise,
    survey_set_status,
)
from tests.outputs import output_text


@pytest.fixture(autouse=True)
def _no_minimum_fill_time(monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(survey_forms, "MIN_FILL_SECONDS", 0)
    cache.clear()


def make_survey(world, *, published=True):
    today = timezone.localdate()
    survey = Survey.objects.create(
        municipality=world.municipality,
        unit=world.unit_a,
        name="Mötesplatsen",
        languages=["sv"],
        texts={"sv": {"title": "Mötesplatsen", "intro": "Anonym."}},
        opens_on=today - timedelta(days=30),
        closes_on=today + timedelta(days=30),
        status=Survey.Status.OPEN,
        results_published=published,
    )
    Question.objects.create(
        survey=survey, position=1, kind="single", texts={"sv": "Har du besökt mötesplatsen?"},
        options=[{"value": "ja", "texts": {"sv": "Ja"}}, {"value": "nej", "texts": {"sv": "Nej"}}],
    )  # fmt: skip
    Question.objects.create(
        survey=survey, position=2, kind="multiple", texts={"sv": "Vad gjorde du där?"}, allow_other=True,
        options=[{"value": v, "texts": {"sv": v.capitalize()}} for v in ("läxhjälp", "fika", "möte")],
    )  # fmt: skip
    Question.objects.create(
        survey=survey, position=3, kind="text", texts={"sv": "Vad saknar du?"},
        show_if=survey.questions.get(position=1), show_if_value="ja",
    )  # fmt: skip
    return survey


def submit(survey, first=None, second=None, text=None, *, on=None, source=Response.Source.WEB):
    q1, q2, q3 = survey.questions.order_by("position")
    answers = {}
    if first is not None:
        answers[q1.pk] = {"value": first}
    if second is not None:
        answers[q2.pk] = {"value": second}
    if text is not None:
        answers[q3.pk] = {"value": text}
    return response_submit(survey=survey, language="sv", answers=answers, on=on or timezone.localdate(), source=source)


def fill(survey, n_yes=9, n_no=7):
    for i in range(n_yes):
        submit(survey, "ja", ["läxhjälp", "fika"] if i % 2 else ["möte"], "Mer läxhjälp.")
    for _ in range(n_no):
        submit(survey, "nej")


def close_and_finalise(survey, by):
    survey_set_status(survey=survey, by=by, status=Survey.Status.CLOSED)
    return survey_finalise(survey=survey, by=by)


# --- Every output of a survey's results -----------------------------------------------------


def outputs(world, survey) -> dict[str, str]:
    """Everything anyone can read of the survey's results, as text."""
    staff, public = world.client("reader"), Client()
    code = {"kommunkod": world.municipality.code}
    pages = {
        "staff page": (staff, reverse("surveys:results", args=[survey.pk])),
        "staff csv": (staff, reverse("surveys:results_csv", args=[survey.pk])),
        "staff xlsx": (staff, reverse("surveys:results_xlsx", args=[survey.pk])),
        "public page": (public, reverse("survey_public:results", args=[survey.token])),
        "public csv": (public, reverse("survey_public:results_csv", args=[survey.token])),
        "public xlsx": (public, reverse("survey_public:results_xlsx", args=[survey.token])),
        "api": (public, reverse("opendata:results", kwargs=code)),
        "api csv": (public, reverse("opendata:results_csv", kwargs=code)),
    }
    return {name: output_text(client.get(url)) for name, (client, url) in pages.items()}


def without_answer_count(text: str) -> str:
    """The staff page says how many answers there are while the survey is open: that is all it says."""
    return re.sub(r"\d+ (svar|answers?) (hittills|so far)", "N", text)


def test_while_open_nobody_sees_tables_only_the_number_of_answers(world):
    survey = make_survey(world)
    fill(survey)
    before = outputs(world, survey)
    assert "16 svar hittills" in before["staff page"]
    assert "<table" not in before["staff page"] and "Mer läxhjälp" not in before["staff page"]
    for name in ("staff csv", "staff xlsx", "public page", "public csv", "public xlsx"):
        assert before[name] == "status 404", name
    assert "Mötesplatsen" not in before["api"] and "Mötesplatsen" not in before["api csv"]
    submit(survey, "nej")
    after = outputs(world, survey)
    assert "17 svar hittills" in after["staff page"]
    assert {k: without_answer_count(v) for k, v in after.items()} == {
        k: without_answer_count(v) for k, v in before.items()
    }


def test_after_finalising_no_output_changes_whoever_tries_to_add_an_answer(world):
    survey = make_survey(world)
    fill(survey)
    Survey.objects.filter(pk=survey.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    survey_finalise(survey=Survey.objects.get(pk=survey.pk), by=world.users["coordinator"])
    survey.refresh_from_db()
    before = outputs(world, survey)
    assert all(not value.startswith("status") for value in before.values()), before
    assert "Mötesplatsen" in before["api"]

    # A respondent on the public link, staff typing in a paper answer, and the service itself.
    public = Client()
    page = public.get(reverse("survey_public:answer", args=[survey.token]))
    assert "surveys/public_closed.html" in [t.name for t in page.templates]
    q1 = survey.questions.get(position=1)
    public.post(reverse("survey_public:answer", args=[survey.token]), {f"q{q1.pk}": "ja", "sprak": "sv"})
    staff = world.client("contact_a")
    entry = reverse("surveys:entry", args=[survey.pk])
    assert staff.get(entry).status_code == 302
    staff.post(entry, {"source": "papper", "answered_on": str(timezone.localdate()), f"q{q1.pk}": "ja"})
    with pytest.raises(NotAccepting):
        submit(survey, "ja", source=Response.Source.PAPER)
    # Nor can the survey be opened again, or its threshold moved.
    with pytest.raises(SurveyLocked):
        survey_set_status(survey=survey, by=world.users["coordinator"], status=Survey.Status.OPEN)
    Municipality.objects.filter(pk=world.municipality.pk).update(suppression_k=3)
    assert Response.objects.filter(survey=survey).count() == 16
    assert outputs(world, survey) == before


def test_results_are_finalised_only_after_closing_and_only_once(world):
    survey = make_survey(world)
    fill(survey, 3, 3)
    with pytest.raises(NotFinalisable):
        survey_finalise(survey=survey, by=world.users["coordinator"])
    client = world.client("contact_a")
    response = client.post(reverse("surveys:finalise", args=[survey.pk]))
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN and survey.release is None
    survey_set_status(survey=survey, by=world.users["coordinator"], status=Survey.Status.CLOSED)
    # Paper answers can still be typed in while closed, before the results are finalised.
    submit(survey, "nej", source=Response.Source.PAPER, on=timezone.localdate() - timedelta(days=2))
    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    form = re.search(r'<a class="button" href="([^"]+)">Fastställ resultaten</a>', page)  # to its confirmation
    assert form and form.group(1) == reverse("surveys:finalise", args=[survey.pk])
    assert client.post(form.group(1)).status_code == 302
    survey.refresh_from_db()
    assert survey.is_finalised and survey.finalised_on == timezone.localdate()
    assert survey.release["total"] == 7
    assert AuditEvent.objects.filter(object_id=survey.pk, changes__has_key="status").count() >= 2
    with pytest.raises(NotFinalisable):
        survey_finalise(survey=survey, by=world.users["coordinator"])


def test_every_table_adds_up_to_all_answers_and_one_answer_counts_once(world):
    survey = make_survey(world)
    q1, q2, q3 = survey.questions.order_by("position")
    for _ in range(6):
        submit(survey, "ja", ["läxhjälp", "läxhjälp", "läxhjälp"], "Text")  # a crafted answer repeats an option
    for _ in range(5):
        submit(survey, "nej", ["fika"])
    for _ in range(6):
        submit(survey, None, ["möte", "okänd"])  # skipped the first; an unknown option is no option
    for _ in range(5):
        submit(survey, "ja", ["okänd"])  # only an unknown option: no answer
    release = release_tables(survey)
    rows = {q["id"]: dict(q.get("rows", [])) for q in release["questions"]}
    assert release["total"] == 22
    assert rows[q1.pk] == {"ja": 11, "nej": 5, NO_ANSWER: 6}
    assert rows[q2.pk] == {"läxhjälp": 6, "fika": 5, "möte": 6, "__annat__": 0, NO_ANSWER: 5}
    # Asked only after "ja": those not shown it and those who skipped it are "no answer".
    text = next(q for q in release["questions"] if q["id"] == q3.pk)
    assert text["text"] == 6


def test_a_survey_in_an_inventory_leaves_its_age_table_to_the_inventory(world):
    from inventories.services import inventory_create

    inventory = inventory_create(municipality=world.municipality, by=None, fields={"name": "Inventering"})
    survey = make_survey(world)
    age = Question.objects.create(
        survey=survey, position=0, kind="age", texts={"sv": "Ålder?"},
        options=[{"value": "a1", "texts": {"sv": "under 18"}}, {"value": "a2", "texts": {"sv": "18–30"}}],
    )  # fmt: skip
    for value in ["a1"] * 2 + ["a2"] * 9:
        response_submit(survey=survey, language="sv", answers={age.pk: {"value": value}}, on=timezone.localdate())
    Survey.objects.filter(pk=survey.pk).update(inventory=inventory)
    survey.refresh_from_db()
    results = survey_results(close_and_finalise(survey, world.users["coordinator"]))
    age_result = next(r for r in results.questions if r.question == age)
    assert age_result.withheld and not age_result.rows
    page = world.client("reader").get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "Räknas i behovsinventeringens resultat" in page


# --- The order answers arrived in ---------------------------------------------------------------


def physical_order(model, ids) -> list:
    """The rows' ids in the order the database stores them."""
    table, position = model._meta.db_table, "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {position}")  # noqa: S608 - a model's own table
        stored = [row[0] for row in cursor.fetchall()]
    wanted = {str(i).replace("-", "") for i in ids}
    return [str(i).replace("-", "") for i in stored if str(i).replace("-", "") in wanted]


def rank_correlation(first: list, second: list) -> float:
    """Spearman's rho between two orderings of the same items."""
    rank = {item: i for i, item in enumerate(second)}
    n = len(first)
    d2 = sum((i - rank[item]) ** 2 for i, item in enumerate(first))
    return 1 - 6 * d2 / (n * (n * n - 1))


def test_after_closing_the_database_keeps_no_order_of_arrival(world):
    survey = make_survey(world)
    arrived = [submit(survey, "ja" if i % 3 else "nej", ["fika"], "Text") for i in range(200)]
    response_ids = [r.pk for r in arrived]
    answer_ids = [a.pk for r in arrived for a in r.answers.order_by("question__position")]
    # Stored as they came: the test can see the order it is about to remove.
    as_arrived = [str(i).replace("-", "") for i in response_ids]
    assert rank_correlation(physical_order(Response, response_ids), as_arrived) > 0.9
    survey_set_status(survey=survey, by=world.users["coordinator"], status=Survey.Status.CLOSED)
    for model, ids in ((Response, response_ids), (Answer, answer_ids)):
        stored = physical_order(model, ids)
        assert len(stored) == len(ids)
        assert abs(rank_correlation(stored, [str(i).replace("-", "") for i in ids])) < 0.3, model
    assert Answer.objects.filter(response__survey=survey).count() == 600


def test_the_daily_command_closes_surveys_whose_last_day_has_passed(world):
    from io import StringIO

    from django.core.management import call_command

    ended, running = make_survey(world), make_survey(world)
    Survey.objects.filter(pk=ended.pk).update(closes_on=timezone.localdate() - timedelta(days=1))
    out = StringIO()
    call_command("close_surveys", stdout=out)
    assert out.getvalue().strip() == "1 enkät stängdes."
    ended.refresh_from_db()
    running.refresh_from_db()
    assert (ended.status, running.status) == (Survey.Status.CLOSED, Survey.Status.OPEN)
