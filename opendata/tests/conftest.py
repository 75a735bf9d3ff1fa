"""An open-data world: the shared ``world`` plus what must be published and,
beside it, what must never be."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from activities.models import Activity, ProgressNote
from conftest import make_activity, make_consultation, make_plan
from consultations.models import Consultation, Feedback
from indicators.models import Baseline, Indicator, Measurement, Target
from inventories.models import DialogueNote, Inventory
from inventories.services import inventory_finalise
from plans.models import Goal, Plan
from surveys.models import Question, Survey
from surveys.services import response_submit, survey_finalise

TZ = ZoneInfo("Europe/Stockholm")
AGES = [("a1", "under 18"), ("a2", "18–30"), ("a3", "31–50"), ("a4", "51+")]

# Words that must never appear in anything the API publishes.
SECRETS = [
    "Intern aktivitet",  # the world's activity (internal)
    "Aktivitet i utkastet",  # public, but under a draft plan
    "Utkastmålet",  # a goal of a draft plan
    "Hemlig indikator",  # not published
    "Anteckning om mätningen",  # a measurement's note
    "Nollmätningens anteckning",
    "Skäl till bedömningen",  # the reason for the coordinator's assessment
    "Budgetpost",  # partners' names, mandate, responsible role
    "Uppdrag från nämnden",
    "Enhetschef IFO",
    "Två brobyggare anställda",  # a progress note
    "Kontakt A",  # its author
    "Opublicerad enkät",
    "Öppen enkät",
    "Enkät i inventeringen",  # published only through its inventory
    "Opublicerad inventering",
    "Huddinges aktivitet",  # the other municipality's
    "Huddinges indikator",
    "Huddinges enkät",
    "Fler brobyggare behövs",  # a view raised in a consultation
    "Romska kvinnoföreningen",  # a representative's organisation
]


@dataclass
class OpenWorld:
    world: object
    public_activity: Activity
    public_indicator: Indicator
    hidden_indicator: Indicator
    draft_plan: Plan
    survey: Survey
    inventory: Inventory

    @property
    def code(self) -> str:
        return self.world.municipality.code


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.OPEN_DATA_REQUESTS_PER_MINUTE = 0


def closed_survey(municipality, name, title, **fields) -> Survey:
    fields = {
        "languages": ["sv"],
        "texts": {"sv": {"title": title, "intro": "Anonym."}},
        "opens_on": date(2025, 1, 1),
        "closes_on": date(2025, 2, 1),
        "status": Survey.Status.OPEN,  # answered in January 2025, closed by its date since
        **fields,
    }
    return Survey.objects.create(municipality=municipality, name=name, **fields)


def age_question(survey) -> Question:
    options = [{"value": v, "texts": {"sv": label}} for v, label in AGES]
    return Question.objects.create(survey=survey, position=1, kind="age", texts={"sv": "Ålder?"}, options=options)


def answer_ages(survey, question, counts: dict[str, int]) -> None:
    for value, n in counts.items():
        for _ in range(n):
            response_submit(survey=survey, language="sv", answers={question.pk: {"value": value}}, on=date(2025, 1, 10))


def make_public_activity(world, n: int = 1, **fields) -> Activity:
    fields = {
        "visibility": Activity.Visibility.PUBLIC,
        "description": "Läxhjälp två kvällar i veckan.",
        "target_groups": ["barn_unga", "kvinnor_flickor"],
        "methods": ["laxhjalp"],
        "partner_kinds": ["forening"],
        "partners": "Budgetpost hos föreningen",
        "mandate": "Uppdrag från nämnden",
        "responsible_role": "Enhetschef IFO",
        "budget": 987654,
        "start_date": date(2025, 1, 1),
        "ongoing": True,
        "title": f"Läxhjälp på biblioteket {n}",
        **fields,
    }
    return make_activity(world.plan, world.unit_a, [world.result_goal], **fields)


def make_public_indicator(world, n: int = 1) -> Indicator:
    indicator = Indicator.objects.create(
        municipality=world.municipality,
        name=f"Elever med modersmål {n}",
        definition="Antal elever.",
        unit="elever",
        gender_split=True,
        source_kind=Indicator.Source.NATIONAL,
        kolada_id="N15807",
        responsible_unit=world.unit_a,
        public=True,
        track_override="on_track",
        track_override_reason="Skäl till bedömningen",
    )
    Baseline.objects.create(
        indicator=indicator,
        date=date(2022, 12, 31),
        value=Decimal("10"),
        women=Decimal("4"),
        men=Decimal("6"),
        note="Nollmätningens anteckning",
    )
    Target.objects.create(indicator=indicator, date=date(2030, 12, 31), value=Decimal("40.5"))
    for year, value in ((2023, "15"), (2024, "21.5")):
        Measurement.objects.create(
            indicator=indicator,
            period_start=date(year, 1, 1),
            period_end=date(year, 12, 31),
            value=Decimal(value),
            note="Anteckning om mätningen",
        )
    return indicator


@pytest.fixture
def open_world(world) -> OpenWorld:
    sthlm, other = world.municipality, world.other_municipality
    # The world's activity is internal; add a public one, and one under a draft plan.
    world.activity.title = "Intern aktivitet"
    world.activity.save()
    ProgressNote.objects.filter(activity=world.activity).update(author_name="Kontakt A")
    public_activity = make_public_activity(world)
    ProgressNote.objects.create(activity=public_activity, text="Två brobyggare anställda.", author_name="Kontakt A")
    world.focus.rights_areas.set(["utbildning"])  # inherited by the goals below it

    draft = make_plan(sthlm, "Utkast till ny plan")
    Plan.objects.filter(pk=draft.pk).update(status=Plan.Status.DRAFT)
    draft_goal = Goal.objects.create(plan=draft, depth=1, code="9", title="Utkastmålet")
    draft_goal.rights_areas.set(["bostad"])
    make_activity(draft, world.unit_a, [draft_goal], title="Aktivitet i utkastet", visibility="publik")
    make_activity(
        world.other_plan, world.other_unit, [world.other_goal], title="Huddinges aktivitet", visibility="publik"
    )

    public_indicator = make_public_indicator(world)
    public_indicator.goals.set([world.result_goal, draft_goal])
    hidden = Indicator.objects.create(
        municipality=sthlm, name="Hemlig indikator", responsible_unit=world.unit_a, public=False
    )
    hidden.goals.set([world.result_goal])
    Indicator.objects.create(
        municipality=other, name="Huddinges indikator", responsible_unit=world.other_unit, public=True
    )

    # A published, closed survey: 9 aged 18–30, 3 aged 31–50 (fewer than 5), 6 aged 51+.
    survey = closed_survey(sthlm, "Enkät om biblioteket (internt namn)", "Vad tycker du om biblioteket?")
    Survey.objects.filter(pk=survey.pk).update(results_published=True)
    survey.refresh_from_db()
    answer_ages(survey, age_question(survey), {"a2": 9, "a3": 3, "a4": 6})
    survey = survey_finalise(survey=survey, by=None)
    hidden_survey = closed_survey(sthlm, "intern", "Opublicerad enkät")
    answer_ages(hidden_survey, age_question(hidden_survey), {"a2": 9})
    survey_finalise(survey=hidden_survey, by=None)
    open_survey = closed_survey(
        sthlm, "öppen", "Öppen enkät", status=Survey.Status.OPEN, closes_on=date(2099, 1, 1), results_published=True
    )
    age_question(open_survey)
    survey_finalise(survey=closed_survey(other, "huddinge", "Huddinges enkät", results_published=True), by=None)

    # A published inventory whose survey has closed, and one not published.
    inventory = Inventory.objects.create(
        municipality=sthlm, name="Behovsinventering 2025", age_groups=[label for _v, label in AGES], published=True
    )
    inventory.themes.create(name="Utbildning", keywords="skol*", position=1)
    in_inventory = closed_survey(sthlm, "i inventeringen", "Enkät i inventeringen", inventory=inventory)
    Survey.objects.filter(pk=in_inventory.pk).update(results_published=True)
    answer_ages(in_inventory, age_question(in_inventory), {"a1": 2, "a2": 8, "a3": 7})
    DialogueNote.objects.create(
        inventory=inventory, held_on=date(2025, 3, 1), place="bibliotek", participants=6, summary="Om skolan."
    )
    survey_finalise(survey=in_inventory, by=None)
    inventory = inventory_finalise(inventory=inventory, by=None)
    Inventory.objects.create(municipality=sthlm, name="Opublicerad inventering", age_groups=["under 18"])

    # Consultations held in 2025: one open consultation, one council meeting, with a view answered in time.
    held = make_consultation(
        sthlm,
        world.unit_a,
        title="Samråd 2025",
        starts_at=datetime(2025, 5, 5, 17, tzinfo=TZ),
        ends_at=datetime(2025, 5, 5, 19, tzinfo=TZ),
    )
    Feedback.objects.create(
        view=held.items.get().views.get(),
        unit=world.unit_a,
        reasoning="Vi anställer fler.",
        status=Feedback.Status.TAKEN,
        given_on=held.items.get().decision_date,
    )
    make_consultation(
        sthlm,
        world.unit_b,
        title="Rådsmöte 2025",
        form=Consultation.Form.COUNCIL,
        starts_at=datetime(2025, 9, 1, 17, tzinfo=TZ),
        ends_at=datetime(2025, 9, 1, 19, tzinfo=TZ),
    )
    sthlm.open_consultation_figures = True
    sthlm.save()

    return OpenWorld(
        world=world,
        public_activity=public_activity,
        public_indicator=public_indicator,
        hidden_indicator=hidden,
        draft_plan=draft,
        survey=survey,
        inventory=inventory,
    )
