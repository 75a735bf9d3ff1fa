"""The public form as a respondent and as an attacker send it: the note not to
write personal details by every free-text answer, an option counted once however
often it is sent, "other" text kept only with "other" chosen, and a rate limit
per respondent, not per proxy."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html

from surveys import forms as survey_forms
from surveys.models import Answer, Question, Response, Survey

pytestmark = pytest.mark.django_db

PRIVACY_SV = (
    "Skriv inte namn, telefonnummer, e-postadresser eller personnummer här, varken dina egna eller någon annans."
)
PRIVACY_EN = (
    "Do not write names, phone numbers, e-mail addresses or personal identity numbers here, "
    "neither your own nor anyone else's."
)
PRIVACY_RMN = "[rmn-testtext] Inga namn eller kontaktuppgifter."  # fixture text in place of a translator's


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
        municipality=world.municipality,
        unit=world.unit_a,
        name="Mötesplatsen",
        languages=["sv", "en", "rmn"],
        texts={
            "sv": {"title": "Vad tycker du om mötesplatsen?", "intro": "Frivilligt och anonymt."},
            "en": {"title": "What do you think of the meeting place?"},
            "rmn": {"title": "[rmn-testtext] Mötesplatsen", "privacy": PRIVACY_RMN, "note": "[rmn-testtext] Svenska"},
        },
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=30),
        status=Survey.Status.OPEN,
    )
    options = [(f"o{i}", label, en) for i, (label, en) in enumerate(
        [("Gemenskap", "Company"), ("Information", "Information"), ("Språk", "Language")], start=1)]  # fmt: skip
    Question.objects.create(
        survey=survey, position=1, kind=Question.Kind.MULTIPLE, allow_other=True,
        texts={"sv": "Vad får du ut av att vara där?", "en": "What do you get out of it?", "rmn": "[rmn] Vad?"},
        options=[{"value": v, "texts": {"sv": sv, "en": en, "rmn": f"[rmn] {sv}"}} for v, sv, en in options],
    )  # fmt: skip
    Question.objects.create(
        survey=survey, position=2, kind=Question.Kind.SINGLE, allow_other=True,
        texts={"sv": "Vilken plats?", "en": "Which place?", "rmn": "[rmn] Plats?"},
        options=[{"value": "bibliotek", "texts": {"sv": "Bibliotek", "en": "Library", "rmn": "[rmn] Bibliotek"}},
                 {"value": "fritid", "texts": {"sv": "Fritidsgård", "en": "Youth centre", "rmn": "[rmn] Fritid"}}],
    )  # fmt: skip
    Question.objects.create(
        survey=survey, position=3, kind=Question.Kind.TEXT,
        texts={"sv": "Vad skulle göra den bättre?", "en": "What would make it better?", "rmn": "[rmn] Bättre?"},
    )  # fmt: skip
    return survey


def field(survey, position, suffix=""):
    return f"q{survey.questions.get(position=position).pk}{suffix}"


def link(survey, language="sv"):
    return reverse("survey_public:answer", args=[survey.token]) + f"?sprak={language}"


def rendered_form(client, survey, language="sv") -> tuple[dict, html.HtmlElement]:
    """The hidden fields as the page renders them, and the page."""
    page = client.get(link(survey, language))
    doc = html.fromstring(page.content.decode())
    hidden = {i.get("name"): i.get("value") or "" for i in doc.xpath("//main//form//input[@type='hidden']")}
    return hidden | {"webbplats": ""}, doc


def post(client, survey, pairs, language="sv", **extra):
    """Post as a browser would, with repeated keys kept: ``pairs`` is [(name, value)]."""
    hidden, _doc = rendered_form(client, survey, language)
    body = "&".join(f"{quote(k)}={quote(str(v))}" for k, v in [*hidden.items(), *pairs])
    return client.post(link(survey, language), body, content_type="application/x-www-form-urlencoded", **extra)


def described_by(doc, element) -> list[str]:
    ids = (element.get("aria-describedby") or "").split()
    return [doc.get_element_by_id(i).text_content().strip() for i in ids]


@pytest.mark.parametrize(("language", "notice", "lang"), [("sv", PRIVACY_SV, "sv"), ("en", PRIVACY_EN, "en"),
                                                          ("rmn", PRIVACY_RMN, "rmn")])  # fmt: skip
def test_every_free_text_answer_says_not_to_write_personal_details(survey, language, notice, lang):
    _hidden, doc = rendered_form(Client(), survey, language)
    free_text = doc.xpath(f"//textarea[@name='{field(survey, 3)}']")[0]
    others = [doc.xpath(f"//input[@name='{field(survey, n, '_other')}']")[0] for n in (1, 2)]
    for box in (free_text, *others):
        assert described_by(doc, box) == [notice]
        note = doc.get_element_by_id(box.get("aria-describedby"))
        assert note.get("lang") == lang
    # Only by the free-text answers: three times on the page.
    assert doc.xpath("//main")[0].text_content().count(notice) == 3


def test_the_note_stays_tied_to_the_box_when_it_has_an_error(survey):
    client = Client()
    response = post(client, survey, [(field(survey, 2), survey_forms.OTHER)])
    assert response.status_code == 400
    doc = html.fromstring(response.content.decode())
    other = doc.xpath(f"//input[@name='{field(survey, 2, '_other')}']")[0]
    assert described_by(doc, other) == [PRIVACY_SV, "Skriv vad du menar med ”Annat”."]


def test_staff_typing_in_an_answer_see_the_note_too(world, survey):
    page = world.client("contact_a").get(reverse("surveys:entry", args=[survey.pk]) + "?sprak=rmn")
    doc = html.fromstring(page.content.decode())
    box = doc.xpath(f"//textarea[@name='{field(survey, 3)}']")[0]
    # For the staff member, in the page's language, whatever the answer's language.
    assert described_by(doc, box) == [PRIVACY_SV]


def stored(survey, position):
    return Answer.objects.get(question=survey.questions.get(position=position)).value


def test_an_option_sent_many_times_counts_once(survey):
    """q1=o1&q1=o1&q1=o1: one answer with o1, once; the order of first mention is kept."""
    q1 = field(survey, 1)
    assert post(Client(), survey, [(q1, "o1"), (q1, "o1"), (q1, "o1")]).status_code == 302
    assert stored(survey, 1) == {"value": ["o1"]}
    Answer.objects.all().delete()
    assert post(Client(), survey, [(q1, "o3"), (q1, "o1"), (q1, "o3"), (q1, "o1")]).status_code == 302
    assert stored(survey, 1) == {"value": ["o3", "o1"]}


def test_ten_copies_of_an_option_cannot_push_a_count_up(survey):
    """The attack of finding 4: three responses with o2 sent ten times each hold o2 three times."""
    q1 = field(survey, 1)
    for _ in range(3):
        assert post(Client(), survey, [(q1, "o2")] * 10).status_code == 302
    stored_lists = [a.value["value"] for a in Answer.objects.filter(question__survey=survey, question__position=1)]
    assert stored_lists == [["o2"]] * 3


def test_other_text_is_kept_only_with_other_chosen(survey):
    q1, q2 = field(survey, 1), field(survey, 2)
    response = post(Client(), survey, [(q1, "o1"), (f"{q1}_other", "Skrivet utan att välja Annat"),
                                       (q2, "bibliotek"), (f"{q2}_other", "Inte heller här")])  # fmt: skip
    assert response.status_code == 302
    assert stored(survey, 1) == {"value": ["o1"]} and stored(survey, 2) == {"value": "bibliotek"}
    assert not Answer.objects.filter(value__icontains="Skrivet").exists()
    Response.objects.all().delete()
    response = post(Client(), survey, [(q1, "o1"), (q1, survey_forms.OTHER), (q1, survey_forms.OTHER),
                                       (f"{q1}_other", "Musik"), (q2, survey_forms.OTHER),
                                       (f"{q2}_other", "Simhallen")])  # fmt: skip
    assert response.status_code == 302
    assert stored(survey, 1) == {"value": ["o1", survey_forms.OTHER], "other": "Musik"}
    assert stored(survey, 2) == {"value": survey_forms.OTHER, "other": "Simhallen"}


def test_other_text_alone_is_not_an_answer(survey):
    response = post(Client(), survey, [(f"{field(survey, 1)}_other", "Bara text"), (field(survey, 3), "Bra")])
    assert response.status_code == 302
    assert not Answer.objects.filter(question__position=1).exists()
    assert stored(survey, 3) == {"value": "Bra"}


@pytest.mark.parametrize("value", ["o9", "bibliotek", "", "__annat__x"])
def test_an_unknown_option_is_refused_and_nothing_is_stored(survey, value):
    q1 = field(survey, 1)
    response = post(Client(), survey, [(q1, "o1"), (q1, value)] if value else [(field(survey, 2), "o1")])
    assert response.status_code == 400
    assert not Response.objects.exists()


# --- The rate limit counts the respondent, not the proxy (finding 8) ----------------------

PROXY = "10.0.0.254"


def through_proxy(survey, client_address: str, *, forwarded_for: str | None = None):
    forwarded = forwarded_for if forwarded_for is not None else client_address
    headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}
    return post(Client(), survey, [(field(survey, 2), "fritid")], **headers).status_code


def test_behind_the_proxy_two_respondents_have_their_own_limits(survey, settings):
    settings.BEHIND_TLS_PROXY = True
    settings.SURVEY_SUBMIT_LIMIT = 2
    first = [through_proxy(survey, "198.51.100.1") for _ in range(3)]
    assert first == [302, 302, 429]
    # Another respondent through the same proxy is not slowed by the first.
    assert [through_proxy(survey, "198.51.100.2") for _ in range(2)] == [302, 302]
    # A client cannot pick its address: the proxy appends the real one, which counts.
    assert through_proxy(survey, "", forwarded_for="203.0.113.50, 198.51.100.1") == 429
    assert Response.objects.count() == 4


def test_without_the_proxy_a_forged_forwarded_for_is_ignored(survey, settings):
    settings.BEHIND_TLS_PROXY = False
    settings.SURVEY_SUBMIT_LIMIT = 2
    codes = [through_proxy(survey, f"198.51.100.{n}") for n in range(1, 4)]
    assert codes == [302, 302, 429]  # one connection address, one limit, whatever the header says
    assert Response.objects.count() == 2
