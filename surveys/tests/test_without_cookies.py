"""The public survey form works without cookies, and nothing a respondent wrote is lost.

It needs no CSRF cookie: a browser that refuses cookies still answers. In place of
Django's CSRF check, the form carries a signed stamp (bound to the survey, time-limited,
never stored) and the answer must come from this site's own page (Origin, Sec-Fetch-Site,
Referer). An answer refused for either reason is shown again filled in, not dropped."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html

from surveys import forms as survey_forms
from surveys.models import Question, Response, Survey

SITE = "http://testserver"
FREE_TEXT = "Fler kvällstider, tack"


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr(survey_forms, "MIN_FILL_SECONDS", 0)
    cache.clear()  # the rate limit's counters
    yield
    cache.clear()


@pytest.fixture
def survey(world):
    today = timezone.localdate()
    survey = Survey.objects.create(
        municipality=world.municipality, unit=world.unit_a, name="Mötesplatsen", languages=["sv"],
        texts={"sv": {"title": "Vad tycker du om mötesplatsen?"}},
        opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=30), status=Survey.Status.OPEN,
    )  # fmt: skip
    Question.objects.create(
        survey=survey, position=1, kind=Question.Kind.SINGLE, required=True, texts={"sv": "Har du varit där?"},
        options=[{"value": "ja", "texts": {"sv": "Ja"}}, {"value": "nej", "texts": {"sv": "Nej"}}],
    )  # fmt: skip
    Question.objects.create(survey=survey, position=2, kind=Question.Kind.TEXT, texts={"sv": "Vad saknar du?"})
    return survey


def url(survey) -> str:
    return reverse("survey_public:answer", args=[survey.token])


def fields(survey) -> tuple[str, str]:
    return tuple(f"q{q.pk}" for q in survey.questions.order_by("position"))


def rendered_form(content: bytes) -> dict:
    """What the browser sends from the survey form as rendered: every input with its value
    (radio buttons and checkboxes only if checked), every textarea."""
    (form,) = html.fromstring(content).xpath('//form[contains(@class, "public-form")]')
    data = {}
    for element in form.xpath(".//input | .//textarea"):
        name, kind = element.get("name"), element.get("type", "text")
        if not name or (kind in ("radio", "checkbox") and element.get("checked") is None):
            continue
        if element.tag == "textarea":  # a browser drops the newline that starts a textarea's content
            text = element.text or ""
            data[name] = text[1:] if text.startswith("\n") else text
        else:
            data[name] = element.get("value", "")
    return data


def fill_in(client: Client, survey) -> dict:
    page = client.get(url(survey))
    assert page.status_code == 200
    choice, text = fields(survey)
    return rendered_form(page.content) | {choice: "ja", text: FREE_TEXT}


def assert_stored_once(survey):
    choice, text = fields(survey)
    (response,) = Response.objects.filter(survey=survey)
    answers = {f"q{a.question_id}": a.value for a in response.answers.all()}
    assert answers == {choice: {"value": "ja"}, text: {"value": FREE_TEXT}}


def test_an_answer_from_a_browser_without_cookies_is_stored(survey):
    client = Client(enforce_csrf_checks=True)
    data = fill_in(client, survey)
    assert "csrfmiddlewaretoken" not in data  # the form needs no cookie
    client.cookies.clear()  # the browser keeps none
    response = client.post(url(survey), data, HTTP_ORIGIN=SITE, HTTP_SEC_FETCH_SITE="same-origin")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("survey_public:thanks", args=[survey.token]))
    assert_stored_once(survey)


@pytest.mark.parametrize(
    "headers",
    [
        {},  # an old browser, or a privacy tool that strips them
        {"HTTP_REFERER": f"{SITE}/e/x/"},
        {"HTTP_SEC_FETCH_SITE": "same-origin"},
    ],
)
def test_answers_sent_from_the_sites_own_page_are_stored(survey, headers):
    client = Client(enforce_csrf_checks=True)
    data = fill_in(client, survey)
    client.cookies.clear()
    assert client.post(url(survey), data, **headers).status_code == 302
    assert_stored_once(survey)


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://elak.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://annan.testserver"},
        {"HTTP_REFERER": "https://elak.example/sida.html"},
    ],
)
def test_a_cross_site_post_is_refused_and_the_answers_are_shown_again(survey, headers):
    client = Client(enforce_csrf_checks=True)
    data = fill_in(client, survey)
    client.cookies.clear()
    refused = client.post(url(survey), data, **headers)

    assert refused.status_code == 403
    assert not Response.objects.exists()
    page = refused.content.decode()
    assert "Dina svar har inte skickats: formuläret kom från en sida som inte hör till den här webbplatsen." in page
    # The answers are in the form again, ready to be sent from this site's own page.
    again = rendered_form(refused.content)
    choice, text = fields(survey)
    assert (again[choice], again[text]) == ("ja", FREE_TEXT)
    assert client.post(url(survey), again, HTTP_ORIGIN=SITE).status_code == 302
    assert_stored_once(survey)


def test_a_form_left_open_too_long_is_shown_again_filled_in(survey):
    client = Client(enforce_csrf_checks=True)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        data = fill_in(client, survey)
        traveller.shift(survey_forms.STAMP_MAX_AGE + 60)
        late = client.post(url(survey), data, HTTP_ORIGIN=SITE)
        assert late.status_code == 400
        assert not Response.objects.exists()
        assert "Dina svar har inte skickats än: formuläret var öppet länge." in late.content.decode()
        again = rendered_form(late.content)
        assert again[fields(survey)[1]] == FREE_TEXT
        assert client.post(url(survey), again, HTTP_ORIGIN=SITE).status_code == 302
    assert_stored_once(survey)


def test_a_stamp_from_another_survey_or_a_forged_one_is_worth_nothing(survey, world):
    other = Survey.objects.create(
        municipality=world.municipality, name="Annan", languages=["sv"], texts={"sv": {"title": "Annan"}},
        opens_on=survey.opens_on, closes_on=survey.closes_on, status=Survey.Status.OPEN,
    )  # fmt: skip
    client = Client()
    borrowed = rendered_form(client.get(url(other)).content)["stamp"]
    for stamp in (borrowed, "förfalskad", signing.dumps(0, salt=survey_forms.FORM_STAMP_SALT)):
        data = fill_in(client, survey) | {"stamp": stamp}
        assert client.post(url(survey), data, HTTP_ORIGIN=SITE).status_code == 302  # thanked, and forgotten
    assert not Response.objects.exists()


def test_the_stamp_says_nothing_about_the_respondent(survey):
    """Two people who open the form at the same moment get the same stamp: it can tell no one apart."""
    with time_machine.travel(timezone.now(), tick=False):
        stamps = {
            rendered_form(Client(REMOTE_ADDR=address).get(url(survey)).content)["stamp"]
            for address in ("203.0.113.7", "198.51.100.2")
        }
    assert len(stamps) == 1
    assert isinstance(signing.loads(stamps.pop(), salt=f"{survey_forms.FORM_STAMP_SALT}:{survey.pk}"), float)


def test_other_forms_still_need_the_csrf_cookie(world):
    """Only the public survey form is exempt: a signed-in form without the cookie is refused."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["coordinator"])
    response = client.post(reverse("surveys:create"), {"name": "Kapad"})
    assert response.status_code == 403
    assert not Survey.objects.filter(name="Kapad").exists()
