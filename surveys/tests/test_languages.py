"""The languages a survey offers: which texts are missing, why a survey with
missing texts is not opened, and what a respondent reads where an optional text
or the page itself is not in their language (surveys.languages).

The Romani texts here are fixture text, marked so: only a translator writes Romani."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from lxml import html

from audit.models import AuditEvent
from surveys.languages import missing_texts, offered_languages
from surveys.models import Question, Survey
from surveys.services import SurveyLocked, survey_set_status

pytestmark = pytest.mark.django_db

RMY = {
    "title": "[rmy-testtext] Titel",
    "privacy": "[rmy-testtext] Inga namn",
    "note": "[rmy-testtext] Visas på svenska",
}


def make_survey(world, *, languages=("sv", "rmy", "en"), texts=None, status=Survey.Status.DRAFT) -> Survey:
    today = timezone.localdate()
    survey = Survey.objects.create(
        municipality=world.municipality,
        unit=world.unit_a,
        name="Språkenkät",
        languages=list(languages),
        texts=texts
        or {
            "sv": {"title": "Hur har du det?", "intro": "Frivilligt och anonymt."},
            "rmy": dict(RMY),
            "en": {"title": "How are you?"},
        },
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
        status=status,
    )
    Question.objects.create(
        survey=survey, position=1, kind=Question.Kind.AGE, required=True,
        texts={"sv": "Hur gammal är du?", "rmy": "[rmy-testtext] Ålder?", "en": "How old are you?"},
        options=[{"value": "a1", "texts": {"sv": "under 18", "rmy": "[rmy] <18", "en": "under 18"}},
                 {"value": "a2", "texts": {"sv": "18 eller äldre", "rmy": "[rmy] 18+", "en": "18 or older"}}],
    )  # fmt: skip
    Question.objects.create(
        survey=survey, position=2, kind=Question.Kind.MULTIPLE, allow_other=True,
        texts={"sv": "Vad behöver du?", "rmy": "[rmy-testtext] Behov?", "en": "What do you need?"},
        options=[{"value": "o1", "texts": {"sv": "Läxhjälp", "rmy": "[rmy] Läxhjälp", "en": "Homework help"}},
                 {"value": "o2", "texts": {"sv": "Arbete", "rmy": "[rmy] Arbete", "en": "Work"}},
                 {"value": "o3", "texts": {"sv": "Bostad", "rmy": "[rmy] Bostad", "en": "Housing"}}],
    )  # fmt: skip
    Question.objects.create(
        survey=survey, position=3, kind=Question.Kind.TEXT,
        texts={"sv": "Något mer?", "rmy": "[rmy-testtext] Mer?", "en": "Anything else?"},
    )  # fmt: skip
    return survey


def remove(survey: Survey) -> None:
    """Take away from Romani (kalderash/lovara): the title, the privacy note, the
    note on Swedish, question 1's text, option 2 of question 2, and all of
    question 1's options."""
    texts = survey.texts
    texts["rmy"] = {"note": ""}
    survey.texts = texts
    survey.save()
    age, needs, _text = survey.questions.order_by("position")
    del age.texts["rmy"]
    for option in age.options:
        del option["texts"]["rmy"]
    age.save()
    needs.options[1]["texts"]["rmy"] = "  "
    needs.save()


def test_a_complete_survey_lacks_nothing(world):
    survey = make_survey(world)
    assert missing_texts(survey) == []
    assert offered_languages(survey) == ["sv", "rmy", "en"]


def test_the_missing_texts_are_listed_exactly_per_language(world):
    survey = make_survey(world)
    remove(survey)
    with translation.override("en"):
        [rmy] = missing_texts(survey)
    assert (rmy.language, rmy.name) == ("rmy", "Romani (kalderash/lovara)")
    assert rmy.items == [
        "the title",
        "the note not to write names or contact details",
        "the note that a text is shown in Swedish",
        "question 1 (its text, its options)",
        "question 2 (option 2)",
    ]
    # English needs no notes of its own (they are built in) and no introduction (optional).
    survey.texts = {**survey.texts, "en": {"title": ""}}
    with translation.override("en"):
        assert [m.language for m in missing_texts(survey)] == ["rmy", "en"]
        assert missing_texts(survey)[1].items == ["the title"]
    assert offered_languages(survey) == ["sv"]


def test_a_survey_with_missing_texts_is_not_opened_and_says_why_in_swedish(world):
    survey = make_survey(world)
    remove(survey)
    before = AuditEvent.objects.count()
    with translation.override("sv"), pytest.raises(SurveyLocked) as refused:
        survey_set_status(survey=survey, by=world.users["contact_a"], status=Survey.Status.OPEN)
    message = str(refused.value)
    assert message.startswith("Enkäten kan inte öppnas förrän varje språk som den erbjuds på har alla sina texter.")
    assert (
        "Romani (kalderash/lovara) saknar rubriken, uppmaningen att inte skriva namn eller kontaktuppgifter, "
        "upplysningen att en text visas på svenska, fråga 1 (texten, svarsalternativen), fråga 2 (alternativ 2)."
    ) in message
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT and AuditEvent.objects.count() == before
    # Not offering the language any more, it opens.
    survey.languages = ["sv", "en"]
    survey.save()
    survey_set_status(survey=survey, by=world.users["contact_a"], status=Survey.Status.OPEN)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN


def test_the_builder_shows_what_is_missing_before_anyone_tries_to_open(world):
    survey = make_survey(world)
    remove(survey)
    client = world.client("contact_a")
    page = client.get(reverse("surveys:detail", args=[survey.pk])).content.decode()
    warning = html.fromstring(page).get_element_by_id("missing-texts").text_content()
    assert "Romani (kalderash/lovara)" in warning
    assert "rubriken" in warning and "fråga 1 (texten, svarsalternativen)" in warning
    assert "fråga 2 (alternativ 2)" in warning and "English" not in warning
    assert "Enkäten kan inte öppnas förrän de är inskrivna" in warning
    # Trying anyway: refused with the message, still a draft.
    response = client.post(reverse("surveys:status", args=[survey.pk]), {"status": "oppen"}, follow=True)
    assert "Romani (kalderash/lovara) saknar rubriken" in response.content.decode()
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT
    # A complete survey shows no such warning.
    complete = make_survey(world)
    page = client.get(reverse("surveys:detail", args=[complete.pk])).content.decode()
    assert 'id="missing-texts"' not in page


def test_the_translators_notes_are_written_in_the_survey_form(world):
    survey = make_survey(world)
    client = world.client("contact_a")
    url = reverse("surveys:edit", args=[survey.pk])
    form = client.get(url).context["form"]
    # English has its notes built in; Romani has fields for them, with the Swedish text to translate.
    assert "privacy_en" not in form.fields and "note_en" not in form.fields
    assert "Skriv inte namn, telefonnummer" in str(form.fields["privacy_rmy"].help_text)
    data = {name: field.value() for name, field in ((n, form[n]) for n in form.fields) if field.value() is not None}
    data["languages"] = ["sv", "rmy", "en"]
    data["unit"] = world.unit_a.pk
    data |= {"privacy_rmy": "[rmy-testtext] Inga namn här", "note_rmy": "[rmy-testtext] Svenska"}
    data = {k: v for k, v in data.items() if v not in (False,)}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    survey.refresh_from_db()
    assert survey.texts["rmy"] == {
        "title": RMY["title"], "intro": "", "privacy": "[rmy-testtext] Inga namn här", "note": "[rmy-testtext] Svenska",
    }  # fmt: skip
    assert "privacy" not in survey.texts["en"]


def test_an_open_survey_cannot_take_on_a_language_with_missing_texts(world):
    survey = make_survey(world, languages=("sv", "en"), status=Survey.Status.OPEN)
    client = world.client("contact_a")
    url = reverse("surveys:edit", args=[survey.pk])
    form = client.get(url).context["form"]
    data = {n: form[n].value() for n in form.fields if form[n].value() not in (None, False)}
    data |= {"languages": ["sv", "en", "fi"], "unit": world.unit_a.pk, "title_fi": "Miten voit?"}
    response = client.post(url, data)
    assert response.status_code == 400
    [error] = response.context["form"].errors["languages"]
    assert error.startswith("Enkäten är öppen: Suomi kan inte erbjudas, eftersom språket saknar")
    survey.refresh_from_db()
    assert survey.languages == ["sv", "en"]


def test_a_language_with_missing_texts_is_never_offered_to_respondents(world):
    """Texts can go missing after opening (a question added before any answer):
    the public page then offers only the complete languages."""
    survey = make_survey(world, status=Survey.Status.OPEN)
    Question.objects.create(survey=survey, position=4, kind=Question.Kind.TEXT, texts={"sv": "Ny fråga?", "en": "New?"})
    client = Client()
    link = reverse("survey_public:answer", args=[survey.token])
    choices = client.get(link).context["choices"]
    assert [code for code, _name, _title in choices] == ["sv", "en"]
    # Asked for by its code anyway: the choice of the languages there are.
    page = client.get(f"{link}?sprak=rmy")
    assert "surveys/public_language.html" in [t.name for t in page.templates]


def _public_page(survey, language):
    link = reverse("survey_public:answer", args=[survey.token]) + f"?sprak={language}"
    response = Client().get(link)
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def test_a_missing_introduction_is_shown_in_swedish_marked_so_with_the_translators_note(world):
    survey = make_survey(world, status=Survey.Status.OPEN)
    doc = _public_page(survey, "rmy")
    assert doc.get("lang") == "sv"  # the page around the questions
    intro = doc.xpath("//main//*[contains(@class, 'lead')]")[0]
    assert intro.text_content() == "Frivilligt och anonymt." and intro.get("lang") == "sv"
    notes = doc.xpath("//main//*[contains(@class, 'language-note')]")
    # At the top (the page's buttons are in Swedish) and by the introduction: the translator's words.
    assert [(n.text_content(), n.get("lang")) for n in notes] == [(RMY["note"], "rmy")] * 2
    assert intro.getnext() is notes[1]
    title = doc.xpath("//main//h1")[0]
    assert title.text_content() == RMY["title"] and title.getparent().get("lang") == "rmy"
    # The built-in "Other" is a Swedish word in a Romani question: marked so.
    other = [
        label
        for label in doc.xpath("//fieldset[contains(@class, 'question')]//label")
        if label.text_content().strip() == "Annat"
    ]
    assert other and other[0].xpath(".//span")[0].get("lang") == "sv"


def test_in_english_the_note_is_built_in_and_the_page_is_english(world):
    survey = make_survey(world, status=Survey.Status.OPEN)
    doc = _public_page(survey, "en")
    assert doc.get("lang") == "en"
    intro = doc.xpath("//main//*[contains(@class, 'lead')]")[0]
    assert intro.get("lang") == "sv" and intro.text_content() == "Frivilligt och anonymt."
    [note] = doc.xpath("//main//*[contains(@class, 'language-note')]")
    assert (note.text_content(), note.get("lang")) == ("This text is shown in Swedish.", "en")
    assert doc.xpath("//main//button[@type='submit']")[0].text_content() == "Send my answers"


def test_the_thank_you_page_says_in_the_language_that_it_is_in_swedish(world):
    survey = make_survey(world, status=Survey.Status.OPEN)
    page = Client().get(reverse("survey_public:thanks", args=[survey.token]) + "?sprak=rmy")
    doc = html.fromstring(page.content.decode())
    [note] = doc.xpath("//main//*[contains(@class, 'language-note')]")
    assert (note.text_content(), note.get("lang")) == (RMY["note"], "rmy")
    assert doc.xpath("//main//h1")[0].text_content() == "Tack för dina svar"


def test_the_thank_you_page_never_speaks_a_language_whose_texts_are_incomplete(world):
    survey = make_survey(world, status=Survey.Status.OPEN)
    Survey.objects.filter(pk=survey.pk).update(texts={**survey.texts, "rmy": {"title": RMY["title"]}})
    page = Client().get(reverse("survey_public:thanks", args=[survey.token]) + "?sprak=rmy")
    doc = html.fromstring(page.content.decode())
    assert not doc.xpath("//main//*[@lang='rmy']") and not doc.xpath("//main//*[contains(@class, 'language-note')]")


def test_the_demo_offers_only_languages_with_real_text():
    """No placeholder stands in for a translation: every survey offered to
    respondents is complete in each of its languages; the draft waiting for its
    Romani translator says so on the builder and cannot be opened."""
    call_command("load_demo", "--force", "--quiet-logins", stdout=io.StringIO())
    for survey in Survey.objects.exclude(status=Survey.Status.DRAFT):
        assert missing_texts(survey) == [], survey.name
        written = [text for own in survey.texts.values() for text in own.values()]
        for q in survey.questions.all():
            written += [*q.texts.values(), *(label for o in q.options for label in o["texts"].values())]
        assert not [text for text in written if "Översättning" in text or "[" in text], survey.name
    sthlm = Survey.objects.get(name="Erfarenheter av mötesplatser – enkät 2026")
    assert sthlm.status == Survey.Status.OPEN and offered_languages(sthlm) == ["sv", "en"]
    draft = Survey.objects.get(name="Uppföljning av behovsinventeringen (utkast)")
    assert draft.status == Survey.Status.DRAFT and draft.languages == ["sv", "rmn"]
    assert "rmn" not in draft.texts
    [rmn] = missing_texts(draft)
    assert rmn.language == "rmn" and len(rmn.items) == 3 + draft.questions.count()
    with pytest.raises(SurveyLocked):
        survey_set_status(survey=draft, by=None, status=Survey.Status.OPEN)
    assert timezone.localdate() < draft.opens_on  # still to come, whatever the day
