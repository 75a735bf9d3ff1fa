"""Huddinge's needs inventory (seed 000) as a demo survey: 39 synthetic,
anonymous responses with the seed's age distribution (6 under 18, 10 aged
18–30, 16 aged 31–50, 7 aged 51+) and its need themes. It was asked in
Swedish only: the demo holds no Romani text, since only a translator writes
one. Beside it, a draft follow-up survey that is to be offered in Romani
(arli) shows what the builder says while the translation is missing: the
language is listed with its missing texts and the survey cannot be opened.
Safe to run again."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from organisations.models import Municipality

from .forms import OTHER
from .models import Question, Response, Survey
from .services import question_save, response_submit, survey_create, survey_set_status

NAME = "Behovsinventering romsk inkludering 2025"
DRAFT_NAME = "Uppföljning av behovsinventeringen (utkast)"

AGES = [("a1", "under 18", 6), ("a2", "18–30", 10), ("a3", "31–50", 16), ("a4", "51+", 7)]
THEMES = [
    ("utbildning", "Utbildning och läxhjälp"),
    ("arbete", "Arbete och försörjning"),
    ("kultur", "Kultur och språk"),
    ("bemotande", "Bemötande och tillit"),
    ("inflytande", "Delaktighet och inflytande"),
    ("bostad", "Bostad"),
    ("halsa", "Hälsa"),
]
# What each age group stresses in seed 000 (2.8 "Olika behov i olika ålder").
NEEDS_BY_AGE = {
    "a1": [["utbildning"], ["utbildning", "kultur"], ["utbildning", "inflytande"]],
    "a2": [["arbete"], ["arbete", "utbildning"], ["arbete", "bemotande"], ["arbete", "bostad"]],
    "a3": [["arbete", "utbildning"], ["arbete", "bemotande"], ["bostad", "arbete"], ["bemotande", "inflytande"]],
    "a4": [["kultur", "bemotande"], ["kultur", "halsa"], ["bemotande", "halsa"]],
}
# Low trust, as seed 000 describes ("djupt rotad misstro mot myndigheter").
TRUST = [1, 2, 2, 3, 1, 2, 3, 4, 2, 1, 3, 2, 5]
# "What would make the biggest difference?", per age group, from seed 000's
# sections 2.3-2.8, in its own words where it has them ("någon som kan hjälpa
# till med jobb och utbildning"); "" is a response that left the question empty.
WISHES_BY_AGE = {
    "a1": [
        "Läxhjälp efter skolan, någon som kan förklara matten.",
        "Fler fritidsaktiviteter för oss unga, gärna musik och dans.",
        "Att få läsa romani i skolan.",
        "",
        "Att lärarna inte har fördomar om romer.",
        "Läxhjälp för barnen och fler fritidsaktiviteter.",
    ],
    "a2": [
        "Någon som kan hjälpa till med jobb och utbildning.",
        "En personlig jobbcoach eller mentor som hjälper mig att skriva CV och söka jobb.",
        "Praktik eller sommarjobb där man inte behöver dölja att man är rom.",
        "Vägledning om vuxenutbildning och komvux.",
        "",
        "Hjälp att hitta en egen lägenhet, vi är trångbodda.",
        "Att bli bemött med respekt när man söker hjälp.",
    ],
    "a3": [
        "Läxhjälp för barnen och fler fritidsaktiviteter.",
        "Att mina barn får modersmålsundervisning i romani chib.",
        "Hjälp att hitta jobb, gärna av någon som förstår romsk kultur.",
        "Att socialtjänsten inte ser oss med misstro.",
        "",
        "Ett hyreskontrakt i eget namn.",
        "Någon som kan hjälpa till med jobb och utbildning.",
        "Att kommunen fortsätter med dialogmöten som detta.",
    ],
    "a4": [
        "Att romsk historia och kultur syns i kommunen.",
        "Ett firande av romernas nationaldag den 8 april varje år.",
        "Att vården tar oss på allvar och inte ifrågasätter oss.",
        "",
        "Någon på kommunen som talar romani och som man kan lita på.",
    ],
}
# One "other" need, written in by a respondent aged 51+ (the first of that group).
OTHER_NEED = ("a4", 0, "Hjälp att söka pension och bostadstillägg.")


@transaction.atomic
def load_demo_survey(*, municipality: Municipality) -> int:
    load_demo_draft(municipality=municipality)
    if Survey.objects.filter(municipality=municipality, name=NAME).exists():
        return 0
    survey = Survey.objects.create(
        municipality=municipality,
        name=NAME,
        languages=["sv"],
        texts={
            "sv": {
                "title": "Vad behöver du för att må bra och leva gott i Huddinge?",
                "intro": (
                    "Huddinge kommun vill veta vilka behov romska invånare har, för att kunna göra rätt saker. "
                    "Det är frivilligt att svara och du är anonym: vi sparar inte vem du är, inte din adress och "
                    "inte när på dagen du svarade. Resultaten redovisas bara som antal för grupper, aldrig så att "
                    "någon kan pekas ut, och används i kommunens arbete med vägar framåt."
                ),
            },
        },
        opens_on=date(2025, 3, 1),
        closes_on=date(2025, 5, 31),
        # Open while its answers are given (on their days in 2025), then closed.
        status=Survey.Status.OPEN,
        date_detail=Survey.DateDetail.WEEK,
    )
    age = Question.objects.create(
        survey=survey, position=1, kind=Question.Kind.AGE, required=True,
        texts={"sv": "Hur gammal är du?"},
        options=[{"value": v, "texts": {"sv": label}} for v, label, _n in AGES],
    )  # fmt: skip
    needs = Question.objects.create(
        survey=survey, position=2, kind=Question.Kind.MULTIPLE, allow_other=True,
        texts={"sv": "Inom vilka områden behöver du eller din familj mest stöd?"},
        options=[{"value": v, "texts": {"sv": label}} for v, label in THEMES],
    )  # fmt: skip
    trust = Question.objects.create(
        survey=survey, position=3, kind=Question.Kind.SCALE, scale_min=1, scale_max=5,
        texts={"sv": "Hur stort förtroende har du för kommunens verksamheter? (1 = mycket litet, 5 = mycket stort)"},
    )  # fmt: skip
    wish = Question.objects.create(
        survey=survey, position=4, kind=Question.Kind.TEXT,
        texts={"sv": "Vad skulle göra störst skillnad för dig?"},
    )  # fmt: skip
    n = 0
    for value, _label, count in AGES:
        for i in range(count):
            answers = {
                age.pk: {"value": value},
                needs.pk: {"value": NEEDS_BY_AGE[value][i % len(NEEDS_BY_AGE[value])]},
                trust.pk: {"value": TRUST[(n * 7) % len(TRUST)]},
            }
            if (value, i) == OTHER_NEED[:2]:
                answers[needs.pk] = {"value": [*answers[needs.pk]["value"], OTHER], "other": OTHER_NEED[2]}
            if text := WISHES_BY_AGE[value][i % len(WISHES_BY_AGE[value])]:
                answers[wish.pk] = {"value": text}
            source = [Response.Source.INTERVIEW, Response.Source.PAPER, Response.Source.WEB][n % 3]
            response_submit(
                survey=survey,
                language="sv",
                answers=answers,
                on=date(2025, 3, 3) + timedelta(days=2 * n),
                source=source,
            )
            n += 1
    survey_set_status(survey=survey, by=None, status=Survey.Status.CLOSED)
    return n


def load_demo_draft(*, municipality: Municipality) -> Survey | None:
    """A follow-up survey being prepared, to be offered in Swedish and Romani
    (arli). The Swedish texts are written; the Romani ones wait for the
    translator, so the builder lists them as missing and the survey cannot be
    opened. Its dates follow today, so it is always a survey still to come."""
    if Survey.objects.filter(municipality=municipality, name=DRAFT_NAME).exists():
        return None
    today = timezone.localdate()
    survey = survey_create(
        municipality=municipality,
        by=None,
        fields={
            "name": DRAFT_NAME,
            "languages": ["sv", "rmn"],
            "texts": {
                "sv": {
                    "title": "Har något blivit bättre sedan behovsinventeringen?",
                    "intro": (
                        "År 2025 frågade Huddinge kommun romska invånare vad de behöver. Nu vill vi veta om det "
                        "kommunen har gjort sedan dess har gjort skillnad för dig. Det är frivilligt att svara och "
                        "du är anonym: vi sparar inte vem du är, inte din adress och bara vilken vecka du svarade. "
                        "Resultaten redovisas bara som antal för grupper, aldrig så att någon kan pekas ut."
                    ),
                },
            },
            "opens_on": today + timedelta(days=60),
            "closes_on": today + timedelta(days=150),
            "date_detail": Survey.DateDetail.WEEK,
        },
    )
    questions = [
        {"kind": Question.Kind.AGE, "required": True, "texts": {"sv": "Hur gammal är du?"},
         "options": [{"value": v, "texts": {"sv": label}} for v, label, _n in AGES]},
        {"kind": Question.Kind.SINGLE, "texts": {"sv": "Har du märkt att kommunens stöd har blivit bättre?"},
         "options": [{"value": v, "texts": {"sv": label}} for v, label in (
             ("mycket", "Ja, mycket bättre"), ("lite", "Ja, lite bättre"), ("nej", "Nej"), ("vet", "Vet inte"))]},
        {"kind": Question.Kind.TEXT, "texts": {"sv": "Vad borde kommunen göra härnäst?"}},
    ]  # fmt: skip
    for fields in questions:
        question_save(survey=survey, by=None, question=None, fields=fields)
    return survey
