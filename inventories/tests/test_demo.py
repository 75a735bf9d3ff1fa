"""The demo needs inventories: Huddinge's from seed 000 and Stockholm's open
survey of its meeting places (seed 002), loaded by load_demo through the
services, once."""

import io
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from activities.models import Activity
from audit.models import AuditEvent
from inventories.demo import DemoFileInvalid, load_demo_inventory
from inventories.models import Coding, DialogueNote, Inventory, Quote, Recommendation, Theme
from inventories.selectors import coding_items, inventory_results
from organisations.models import Municipality
from surveys.models import Answer, Question, Response, Survey

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
HUDDINGE = "Behovsinventering romsk inkludering 2025"
STOCKHOLM = "Erfarenheter av stadens mötesplatser 2026–2027"

pytestmark = pytest.mark.django_db


def load_demo() -> None:
    call_command("load_demo", "--force", "--quiet-logins", stdout=io.StringIO())


@pytest.fixture
def huddinge():
    load_demo()
    return Inventory.objects.get(municipality__code="0126", name=HUDDINGE)


@pytest.fixture
def stockholm():
    load_demo()
    return Inventory.objects.get(municipality__code="0180", name=STOCKHOLM)


def test_huddinge_has_the_seeds_39_respondents_by_age(huddinge):
    assert huddinge.published
    assert huddinge.plan.title == "Vägar framåt för romsk inkludering i Huddinge"
    survey = huddinge.surveys.get()
    assert survey.responses.count() == 39
    age = survey.questions.get(kind=Question.Kind.AGE)
    labels = dict(age.option_labels("sv"))
    given = Counter(labels[a.value["value"]] for a in Answer.objects.filter(question=age))
    assert given == {"under 18": 6, "18–30": 10, "31–50": 16, "51+": 7}
    wishes = Answer.objects.filter(question__survey=survey, question__kind=Question.Kind.TEXT)
    assert len({a.value["value"] for a in wishes}) >= 10


def test_huddinge_has_spring_meetings_with_publishable_and_private_quotes(huddinge):
    notes = list(huddinge.notes.all())
    assert 5 <= len(notes) <= 7
    assert all(date(2025, 3, 1) <= n.held_on <= date(2025, 6, 30) for n in notes)
    assert all(sum(n.age_counts.values()) <= n.participants <= 12 for n in notes)
    quotes = Quote.objects.filter(note__inventory=huddinge)
    published = [q.text for q in quotes.filter(publishable=True)]
    assert "vi har blivit behandlade som alla andra" in published
    assert any(t.startswith("Språket är nyckeln till våra barns självkänsla") for t in published)
    assert quotes.filter(publishable=False).exists()


def test_huddinge_coding_mixes_confirmed_rejected_and_uncoded(huddinge):
    codings = Coding.objects.filter(theme__inventory=huddinge)
    confirmed = codings.filter(decision=Coding.Decision.CONFIRMED)
    assert confirmed.count() > 20
    assert {c.decided_by.username for c in codings} == {"huddinge-samordnare"}
    assert confirmed.exclude(matched_words="").exists()  # from the suggestions
    assert confirmed.filter(matched_words="").exists()  # by hand
    assert 1 <= codings.filter(decision=Coding.Decision.REJECTED).count() <= 4
    assert {c.decided_on for c in codings} == {date(2025, 6, 12)}
    for kind in ("answer", "note", "quote"):
        assert confirmed.filter(**{f"{kind}__isnull": False}).exists()
    uncoded = coding_items(huddinge, uncoded_only=True)
    assert uncoded and len(uncoded) < len(coding_items(huddinge, uncoded_only=False)) // 4


def test_huddinge_themes_meet_the_plan_and_one_way_forward_is_a_draft_activity(huddinge):
    themes = {t.name: t for t in huddinge.themes.all()}
    assert [g.code for g in themes["Kultur och språk"].goals.order_by("code")] == ["3.1", "3.2", "3.3", "3.4"]
    assert not themes["Arbete och försörjning"].goals.exists()  # a real gap in the plan
    recommendations = list(huddinge.recommendations.all())
    assert 3 <= len(recommendations) <= 5
    [rec] = [r for r in recommendations if r.activity_id]
    activity = rec.activity
    assert activity.plan == huddinge.plan and activity.owner.short_name == "KFN"
    assert activity.visibility == Activity.Visibility.INTERNAL
    assert activity.status == huddinge.plan.activity_statuses.order_by("position").first()
    assert set(activity.goals.all()) == set(rec.goals.all())
    assert huddinge.name in activity.description


def test_huddinge_results_have_a_row_per_theme_and_hide_small_counts(huddinge):
    results = inventory_results(huddinge)
    assert [row.theme for row in results.themes] == list(huddinge.themes.order_by("position", "pk"))
    assert results.respondents.value == 39 and results.meetings == huddinge.notes.count()
    cells = [c for row in results.themes for c in (row.answers, row.meetings)]
    cells += [*results.theme_age.cells.values(), *results.age.cells.values()]
    assert any(c.suppressed for c in cells)
    assert any(not c.suppressed and c.value >= 5 for c in cells)
    public = inventory_results(huddinge, public=True)
    assert all(q.publishable for row in public.themes for q in row.quotes)
    assert any(row.quotes for row in public.themes)


def counts() -> tuple[int, ...]:
    models = (Inventory, Theme, DialogueNote, Quote, Coding, Recommendation, Survey, Response, Answer, Activity)
    return (*(m.objects.count() for m in models), AuditEvent.objects.count())


def test_loading_the_demo_twice_adds_nothing():
    load_demo()
    first = counts()
    load_demo()
    assert counts() == first


def test_stockholm_survey_of_meeting_places_is_open_today(stockholm, client):
    assert stockholm.plan.title == "Handlingsplan för romsk inkludering 2030"
    assert stockholm.unit.short_name == "KN"
    survey = stockholm.surveys.get()
    today = timezone.localdate()
    assert survey.status == Survey.Status.OPEN and survey.is_answerable(today)
    # Offered in the languages with real text only: no placeholder stands in for a translation.
    assert survey.languages == ["sv", "en"]
    assert survey.texts["en"]["title"] == "What is it like to visit the city's meeting places?"
    assert all(q.texts["en"] and all(o["texts"]["en"] for o in q.options) for q in survey.questions.all())
    responses = survey.responses.all()
    assert 40 <= responses.count() <= 60
    assert set(responses.values_list("source", flat=True)) == set(Response.Source.values)
    assert all(survey.opens_on <= r.answered_on <= today for r in responses)
    kinds = [q.kind for q in survey.questions.order_by("position")]
    assert kinds == ["age", "single", "single", "scale", "multiple", "text"]
    assert stockholm.notes.count() >= 2
    goals = {g.code for t in stockholm.themes.all() for g in t.goals.all()}
    assert {"2.2.2", "3.2.1"} <= goals
    page = client.get(f"/e/{survey.token}/?sprak=sv")
    assert page.status_code == 200
    assert "Hur trygg känner du dig där?" in page.content.decode()


def test_stockholm_survey_stays_open_when_the_real_date_moves_on(monkeypatch):
    later = date(2028, 5, 3)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    load_demo()
    survey = Survey.objects.get(inventory__name=STOCKHOLM)
    assert survey.is_answerable(later)
    assert all(survey.opens_on <= r.answered_on <= later for r in survey.responses.all())


def test_a_coding_rule_that_meets_nothing_fails_loudly(huddinge, tmp_path):
    data = yaml.safe_load((DEMO_DIR / "huddinge-inventory.yaml").read_text(encoding="utf-8"))
    data["inventory"]["name"] = "Kopia"
    data["inventory"]["finalised"] = False
    data["coding"] = {"pending": ["Ett svar som ingen har gett"]}
    data["surveys"] = []  # Huddinge's survey is finalised in its own inventory and stays there
    path = tmp_path / "inventory.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(DemoFileInvalid, match="Ett svar som ingen har gett"):
        load_demo_inventory(municipality=Municipality.objects.get(code="0126"), path=path)
    assert not Inventory.objects.filter(name="Kopia").exists()
