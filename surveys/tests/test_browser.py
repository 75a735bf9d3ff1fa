"""A respondent answers in a Romani variety whose survey lacks an optional
text, in headless Chromium, by keyboard, with the accessibility check on every
page visited (fixtures from tests/test_browser.py).

The Romani texts are fixture text, marked "[rmy-testtext]": only a translator
writes Romani, and a test must not pass off made-up words as a translation."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from organisations.models import Municipality
from surveys import forms as survey_forms
from surveys.models import Question, Response, Survey
from tests.test_browser import assert_accessible, browser, page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

NOTE = "[rmy-testtext] Den här texten visas på svenska."
PRIVACY = "[rmy-testtext] Skriv inga namn eller kontaktuppgifter."


def test_a_romani_respondent_reads_the_swedish_fallback_and_answers_by_keyboard(page, monkeypatch):  # noqa: F811
    monkeypatch.setattr(survey_forms, "MIN_FILL_SECONDS", 0)  # the live server runs in this process
    cache.clear()
    today = timezone.localdate()
    survey = Survey.objects.create(
        municipality=Municipality.objects.get(code="0180"),
        name="Språktest",
        languages=["sv", "rmy"],
        texts={
            "sv": {"title": "Hur trivs du på biblioteket?", "intro": "Det är frivilligt att svara och du är anonym."},
            # Every text a respondent must read, but no introduction: it is optional.
            "rmy": {"title": "[rmy-testtext] Biblioteket", "privacy": PRIVACY, "note": NOTE},
        },
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
        status=Survey.Status.OPEN,
    )
    Question.objects.create(
        survey=survey, position=1, kind=Question.Kind.AGE, required=True,
        texts={"sv": "Hur gammal är du?", "rmy": "[rmy-testtext] Ålder?"},
        options=[{"value": "a1", "texts": {"sv": "under 18", "rmy": "[rmy] under 18"}},
                 {"value": "a2", "texts": {"sv": "18 eller äldre", "rmy": "[rmy] 18 eller äldre"}}],
    )  # fmt: skip
    Question.objects.create(
        survey=survey, position=2, kind=Question.Kind.SINGLE,
        texts={"sv": "Trivs du där?", "rmy": "[rmy-testtext] Trivs?"},
        options=[{"value": "ja", "texts": {"sv": "Ja", "rmy": "[rmy] Ja"}},
                 {"value": "nej", "texts": {"sv": "Nej", "rmy": "[rmy] Nej"}}],
    )  # fmt: skip
    Question.objects.create(
        survey=survey,
        position=3,
        kind=Question.Kind.TEXT,
        texts={"sv": "Vad saknar du?", "rmy": "[rmy-testtext] Saknar?"},
    )
    link = reverse("survey_public:answer", args=[survey.token])

    # The choice of language: Swedish and the Romani variety, each named in its own language.
    page.goto(link)
    assert page.get_by_role("listitem").filter(has_text="Romani (kalderash/lovara)").get_attribute("lang") == "rmy"
    assert_accessible(page)
    page.get_by_role("link", name="Romani (kalderash/lovara)").click()
    page.wait_for_url(f"**{link}?sprak=rmy")

    # The title and questions in Romani; the missing introduction in Swedish, marked
    # lang="sv", with the translator's note beside it; the note again at the top, for
    # the page's own words (buttons, headings), which are Swedish.
    main = page.get_by_role("main")
    assert page.locator("html").get_attribute("lang") == "sv"
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "[rmy-testtext] Biblioteket"
    assert heading.evaluate("h => h.closest('[lang]').lang") == "rmy"
    intro = main.locator(".lead")
    assert intro.inner_text() == "Det är frivilligt att svara och du är anonym."
    assert intro.get_attribute("lang") == "sv"
    notes = main.locator(".language-note")
    assert notes.all_inner_texts() == [NOTE, NOTE]
    assert [n.get_attribute("lang") for n in notes.all()] == ["rmy", "rmy"]
    assert intro.evaluate("e => e.nextElementSibling.textContent") == NOTE
    assert page.get_by_role("button", name="Skicka mina svar").evaluate("b => b.closest('[lang]').lang") == "sv"
    # The free-text answer is described by the translator's note not to write personal details.
    free_text = page.get_by_role("textbox", name="[rmy-testtext] Saknar?")
    described = free_text.evaluate(
        "t => t.getAttribute('aria-describedby').split(' ').map(id => document.getElementById(id))"
        ".map(e => [e.textContent, e.lang])"
    )
    assert described == [[PRIVACY, "rmy"]]
    assert_accessible(page)

    # Answered by keyboard only.
    age = page.get_by_role("group", name="1. [rmy-testtext] Ålder? (obligatoriskt)")
    age.get_by_role("radio", name="[rmy] under 18").focus()
    page.keyboard.press("ArrowDown")  # moves to, and chooses, 18 eller äldre
    page.keyboard.press("Tab")  # the next question
    page.keyboard.press("Space")  # [rmy] Ja
    page.keyboard.press("Tab")
    page.keyboard.type("Fler böcker på romani.")
    assert age.get_by_role("radio", name="[rmy] 18 eller äldre").is_checked()
    assert page.get_by_role("radio", name="[rmy] Ja").is_checked()
    assert free_text.input_value() == "Fler böcker på romani."
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skicka mina svar"
    page.keyboard.press("Enter")

    # Thanked in Swedish, with the translator's note that the page is in Swedish.
    page.wait_for_url(f"**{link}tack/?sprak=rmy")
    assert page.get_by_role("heading", level=1).inner_text() == "Tack för dina svar"
    note = page.get_by_role("main").locator(".language-note")
    assert note.inner_text() == NOTE and note.get_attribute("lang") == "rmy"
    assert_accessible(page)

    response = Response.objects.get(survey=survey)
    assert response.language == "rmy"
    answers = {a.question.position: a.value for a in response.answers.select_related("question")}
    assert answers == {1: {"value": "a2"}, 2: {"value": "ja"}, 3: {"value": "Fler böcker på romani."}}
