"""What a needs inventory found: themes, age groups, theme × age group, and
how the themes meet the plan — every count of people protected by
lib.suppression. Also the items to code, with suggestions."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from activities.models import Activity
from lib.suppression import Cell, Table2D, suppress_1d, suppress_2d
from plans.models import Goal, Plan
from plans.selectors import sort_in_tree_order
from surveys.models import Answer, Question, Response

from .coding import Matcher, suggest
from .models import Coding, DialogueNote, Inventory, Quote, Theme

UNKNOWN_AGE = "?"  # the age-group key for "not stated"
ANSWERS, MEETINGS = "answers", "meetings"


def age_key(label: str) -> str:
    """Age-group labels compared without case, spaces or dashes ("Under 18" = "under 18")."""
    return re.sub(r"[^0-9a-zåäö+]", "", label.lower())


@dataclass
class GoalGap:
    goal: Goal
    activities: int  # activities are not people: shown as they are


@dataclass
class ThemeRow:
    theme: Theme
    answers: Cell  # survey responses coded to the theme
    meetings: Cell  # dialogue meetings where it came up
    goals: list[GoalGap] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    @property
    def gap(self) -> bool:
        """No goal of the plan, or none with an activity."""
        return not any(g.activities for g in self.goals)


@dataclass
class InventoryResults:
    inventory: Inventory
    k: int
    respondents: Cell
    meetings: int  # the number of dialogue meetings held (not people)
    themes: list[ThemeRow]
    age_groups: list[tuple[str, str]]  # (key, label), "not stated" last
    age: Table2D  # age group × (answers, meetings)
    theme_age: Table2D  # theme id × age group; a response coded to two themes counts in both
    plan_shown: bool = True  # the gap analysis: on public pages only against an adopted plan
    unmatched_ages: list[str] = field(default_factory=list)  # "survey: option" counted as age not stated


def _response_ages(inventory: Inventory, groups: dict[str, str]) -> tuple[dict, list[str]]:
    """{response id: age-group key} from the surveys' age questions, and the
    age options that match none of the inventory's groups (counted as not stated)."""
    label_of: dict[tuple[int, str], str] = {}
    unmatched: list[str] = []
    for q in Question.objects.filter(survey__inventory=inventory, kind=Question.Kind.AGE).select_related("survey"):
        for value, label in q.option_labels("sv"):
            label_of[q.pk, value] = label
            if age_key(label) not in groups:
                unmatched.append(f"{q.survey.name}: {label}")
    ages = {}
    answers = Answer.objects.filter(response__survey__inventory=inventory, question__kind=Question.Kind.AGE)
    for response_id, question_id, value in answers.values_list("response_id", "question_id", "value"):
        key = age_key(label_of.get((question_id, str(value.get("value"))), ""))
        ages[response_id] = key if key in groups else UNKNOWN_AGE
    return ages, unmatched


RELEASE_SCHEMA = 1


def protected_tables(
    *,
    k: int,
    age_keys: Sequence[str],
    theme_ids: Sequence[int],
    answers: Mapping[str, int],
    participants: Mapping[str, int],
    theme_age: Mapping[tuple[int, str], int],
) -> tuple[Table2D, Table2D]:
    """The age table (age group × [survey respondents, meeting participants])
    and the theme × age table, protected together: a theme's count in an age
    group is at most the group's respondents, which the age table shows. So
    the theme × age table is protected knowing them (``caps``): a row whose
    small count could not change places with the hidden larger one (more than
    that age group's respondents) is hidden whole, and an age group whose
    respondents are hidden is hidden in every theme. Counts by age-group key
    (``UNKNOWN_AGE`` for not stated) and by (theme id, age-group key); a
    missing key counts as 0. No database: the inventory's tests run it."""
    age_counts = {(a, ANSWERS): answers.get(a, 0) for a in age_keys} | {
        (a, MEETINGS): participants.get(a, 0) for a in age_keys
    }
    # Protected column by column, so that the numbers of respondents and of participants stay shown.
    age = suppress_2d(age_counts, rows=age_keys, cols=[ANSWERS, MEETINGS], k=k, by="cols")
    # Answers per theme are this table's row totals, protected together with
    # it: protecting the same numbers twice, apart, could let one table undo the other.
    caps = {a: age.cells[a, ANSWERS].value for a in age_keys}
    return age, suppress_2d(theme_age, rows=theme_ids, cols=age_keys, k=k, caps=caps)


def release_tables(inventory: Inventory) -> dict:
    """The inventory's protected tables, to be frozen when its results are
    finalised: theme ids, age-group keys and counts (None where hidden), never
    display text. A fixed number of queries."""
    k = inventory.municipality.suppression_k
    groups = {age_key(label): label for label in inventory.age_groups}
    keys = [*groups, UNKNOWN_AGE]
    response_ids = list(Response.objects.filter(survey__inventory=inventory).values_list("id", flat=True))
    ages, _unmatched = _response_ages(inventory, groups)
    notes = list(DialogueNote.objects.filter(inventory=inventory).values_list("id", "participants", "age_counts"))
    theme_ids = list(inventory.themes.order_by("position", "pk").values_list("pk", flat=True))

    theme_responses: dict[int, set] = defaultdict(set)
    theme_notes: dict[int, set] = defaultdict(set)
    confirmed = Coding.objects.filter(theme__inventory=inventory, decision=Coding.Decision.CONFIRMED)
    for theme_id, response_id, note_id, quote_note_id in confirmed.values_list(
        "theme_id", "answer__response_id", "note_id", "quote__note_id"
    ):
        if response_id:
            theme_responses[theme_id].add(response_id)
        elif note_id or quote_note_id:
            theme_notes[theme_id].add(note_id or quote_note_id)

    # Dialogue meetings are counted, not their participants: participants of
    # overlapping sets of meetings could be told apart by subtraction.
    meeting_cells, _total = suppress_1d({t: len(theme_notes[t]) for t in theme_ids}, k=k, total=len(notes))

    # Age group: survey respondents, and dialogue participants by the notes' counts.
    answers: dict[str, int] = defaultdict(int)
    for response_id in response_ids:
        answers[ages.get(response_id, UNKNOWN_AGE)] += 1
    participants_by_age: dict[str, int] = defaultdict(int)
    for _id, participants, counts in notes:
        counted = 0
        for label, n in counts.items():
            key = age_key(label)
            participants_by_age[key if key in groups else UNKNOWN_AGE] += n
            counted += n
        participants_by_age[UNKNOWN_AGE] += max(0, participants - counted)
    cross: dict[tuple[int, str], int] = defaultdict(int)
    for t in theme_ids:
        for response_id in theme_responses[t]:
            cross[t, ages.get(response_id, UNKNOWN_AGE)] += 1
    age, theme_age = protected_tables(
        k=k, age_keys=keys, theme_ids=theme_ids, answers=answers, participants=participants_by_age, theme_age=cross
    )
    return {
        "schema": RELEASE_SCHEMA,
        "k": k,
        "age_groups": list(groups.values()),
        "themes": theme_ids,
        "meetings": len(notes),
        "theme_meetings": [[t, meeting_cells[t].value] for t in theme_ids],
        "age": _frozen_table(age),
        "theme_age": _frozen_table(theme_age),
    }


def _frozen_table(table: Table2D) -> dict:
    return {
        "cells": [[r, c, cell.value] for (r, c), cell in table.cells.items()],
        "rows": [[r, cell.value] for r, cell in table.row_totals.items()],
        "cols": [[c, cell.value] for c, cell in table.col_totals.items()],
        "grand": table.grand_total.value,
        "withheld": table.withheld,
    }


def _thawed_table(frozen: dict, k: int) -> Table2D:
    def cell(value) -> Cell:
        return Cell(value, value is None, k)

    return Table2D(
        cells={(r, c): cell(v) for r, c, v in frozen["cells"]},
        row_totals={r: cell(v) for r, v in frozen["rows"]},
        col_totals={c: cell(v) for c, v in frozen["cols"]},
        grand_total=cell(frozen["grand"]),
        withheld=frozen["withheld"],
    )


def inventory_results(inventory: Inventory, *, public: bool = False) -> InventoryResults:
    """The inventory's finalised results, read from the frozen release (labels
    in the reader's language); ValueError when they are not finalised. Gaps and
    quotes are read as they are now: ``public`` keeps only publishable quotes
    and counts only public activities. A fixed number of queries."""
    if not inventory.is_finalised:
        raise ValueError("the inventory's results are not finalised")
    release = inventory.release
    k = release["k"]
    groups = {age_key(label): label for label in release["age_groups"]}
    age_groups = [*groups.items(), (UNKNOWN_AGE, _("age not stated"))]
    _ages, unmatched_ages = _response_ages(inventory, groups)
    themes = {t.pk: t for t in inventory.themes.prefetch_related("goals")}
    age = _thawed_table(release["age"], k)
    theme_age = _thawed_table(release["theme_age"], k)
    meetings = {t: Cell(v, v is None, k) for t, v in release["theme_meetings"]}
    rows = [
        ThemeRow(theme=themes[t], answers=theme_age.row_totals[t], meetings=meetings[t])
        for t in release["themes"]
        if t in themes
    ]
    plan_shown = inventory.plan_id is not None and (not public or inventory.plan.status == Plan.Status.ADOPTED)
    if plan_shown:
        _add_gaps(inventory, rows, public=public)
    _add_quotes(inventory, rows, public=public)
    return InventoryResults(
        inventory=inventory,
        k=k,
        respondents=age.col_totals[ANSWERS],
        meetings=release["meetings"],
        themes=rows,
        age_groups=age_groups,
        age=age,
        theme_age=theme_age,
        plan_shown=plan_shown,
        unmatched_ages=unmatched_ages,
    )


def _add_gaps(inventory: Inventory, rows: list[ThemeRow], *, public: bool) -> None:
    """Per theme, its goals in the inventory's plan and how many activities serve each."""
    if inventory.plan_id is None:
        return
    activities = Activity.objects.filter(plan_id=inventory.plan_id)
    if public:
        activities = activities.filter(visibility=Activity.Visibility.PUBLIC)
    goal_ids = {g.pk for row in rows for g in row.theme.goals.all() if g.plan_id == inventory.plan_id}
    counts = dict(
        activities.filter(goals__in=goal_ids).values_list("goals").annotate(n=Count("pk", distinct=True)).order_by()
    )
    for row in rows:
        goals = sort_in_tree_order([g for g in row.theme.goals.all() if g.plan_id == inventory.plan_id])
        row.goals = [GoalGap(goal=g, activities=counts.get(g.pk, 0)) for g in goals]


def _add_quotes(inventory: Inventory, rows: list[ThemeRow], *, public: bool) -> None:
    """Per theme, the quotes coded to it; only publishable ones when ``public``."""
    codings = Coding.objects.filter(quote__note__inventory=inventory, decision=Coding.Decision.CONFIRMED)
    if public:
        codings = codings.filter(quote__publishable=True)
    by_theme: dict[int, list[Quote]] = defaultdict(list)
    for coding in codings.select_related("quote").order_by("quote__note__held_on", "quote__position", "quote_id"):
        by_theme[coding.theme_id].append(coding.quote)
    for row in rows:
        row.quotes = by_theme.get(row.theme.pk, [])


# --- Coding --------------------------------------------------------------------------------

TEXT_ANSWERS = Q(question__kind=Question.Kind.TEXT) | Q(value__has_key="other")

# What can be coded, and how each finds its inventory.
TARGET_LOOKUPS = {
    "answer": (Answer, "response__survey__inventory_id"),
    "note": (DialogueNote, "inventory_id"),
    "quote": (Quote, "note__inventory_id"),
}


def coding_target(inventory_id: int, kind: str, pk):
    """The answer, note or quote ``pk`` of the inventory, or None (also for a malformed ``pk``)."""
    if kind not in TARGET_LOOKUPS:
        return None
    model, lookup = TARGET_LOOKUPS[kind]
    try:
        key = uuid.UUID(str(pk)) if kind == "answer" else int(pk)
    except (ValueError, TypeError):
        return None
    found = model.objects.filter(pk=key, **{lookup: inventory_id})
    if kind == "answer":  # only what people wrote: a free-text answer or an "other" text
        found = found.filter(TEXT_ANSWERS)
    return found.first()


@dataclass
class CodingItem:
    kind: str  # "answer", "note" or "quote"
    pk: object
    text: str
    source: str
    publishable: bool | None = None
    confirmed: list[Coding] = field(default_factory=list)
    rejected: set[int] = field(default_factory=set)
    suggestions: list[tuple[Theme, list[str]]] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.pk}"


def target_text(target) -> str:
    """The text of something that can be coded: an answer's free text, a note's summary, a quote."""
    if isinstance(target, Answer):
        return _answer_text(target.value)
    return target.summary if isinstance(target, DialogueNote) else target.text


def _answer_text(value: dict) -> str:
    if isinstance(value.get("value"), str) and "other" not in value:
        return value["value"]
    return value.get("other", "")


def coding_items(inventory: Inventory, *, uncoded_only: bool) -> list[CodingItem]:
    """Every free-text answer (and "other" text), dialogue note and quote of the
    inventory, oldest meeting first, without suggestions (see add_suggestions)."""
    items: list[CodingItem] = []
    texts = Answer.objects.filter(response__survey__inventory=inventory).filter(TEXT_ANSWERS)
    for pk, value, survey_name, position in texts.values_list(
        "pk", "value", "response__survey__name", "question__position"
    ).order_by("response__survey_id", "question__position", "pk"):
        if text := _answer_text(value).strip():
            source = _("%(survey)s, question %(n)d") % {"survey": survey_name, "n": position}
            items.append(CodingItem(kind="answer", pk=pk, text=text, source=source))
    for note in DialogueNote.objects.filter(inventory=inventory).prefetch_related("quotes").order_by("held_on", "pk"):
        source = _("Dialogue meeting %(date)s, %(place)s") % {
            "date": f"{note.held_on:%Y-%m-%d}",
            "place": note.get_place_display(),
        }
        items.append(CodingItem(kind="note", pk=note.pk, text=note.summary, source=source))
        for quote in note.quotes.all():
            items.append(
                CodingItem(kind="quote", pk=quote.pk, text=quote.text, source=source, publishable=quote.publishable)
            )
    decided: dict[tuple[str, object], list[Coding]] = defaultdict(list)
    for coding in Coding.objects.filter(theme__inventory=inventory).select_related("theme", "decided_by"):
        kind = "answer" if coding.answer_id else "note" if coding.note_id else "quote"
        decided[kind, coding.answer_id or coding.note_id or coding.quote_id].append(coding)
    for item in items:
        for coding in decided.get((item.kind, item.pk), []):
            if coding.decision == Coding.Decision.CONFIRMED:
                item.confirmed.append(coding)
            else:
                item.rejected.add(coding.theme_id)
    if uncoded_only:
        items = [item for item in items if not item.confirmed]
    return items


def add_suggestions(items: list[CodingItem], themes: list[Theme]) -> None:
    """Suggest themes for the items (a page of them): matched words shown, decided themes left out."""
    matchers = [Matcher.of(t.pk, t.keyword_list()) for t in themes]
    by_id = {t.pk: t for t in themes}
    for item in items:
        done = item.rejected | {c.theme_id for c in item.confirmed}
        item.suggestions = [
            (by_id[theme_id], hits) for theme_id, hits in suggest(item.text, matchers).items() if theme_id not in done
        ]
