"""Demo needs inventories from demo/<municipality>-inventory.yaml, written
through the services as the staff member named in the file would write them
(so the audit log and "confirmed by" name a real demo person). Safe to run
again: an inventory whose name exists is left as it is.

A file may define its surveys (questions and synthetic anonymous responses) or
attach one made elsewhere by its name. A file with ``demo_today`` has its
dates written as on that day; they are all moved by the days between it and
the real today, so an open survey stays open whenever the demo is loaded.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import zip_longest
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from organisations.models import Municipality, OrgUnit
from plans.models import Goal, Plan
from surveys.forms import OTHER
from surveys.models import Question, Response, Survey
from surveys.services import (
    question_save,
    response_submit,
    survey_create,
    survey_finalise,
    survey_set_status,
    survey_update,
)

from .models import Coding, Inventory, Theme
from .selectors import add_suggestions, coding_items
from .services import (
    coding_decide,
    inventory_create,
    inventory_finalise,
    note_save,
    recommendation_save,
    recommendation_to_activity,
    theme_save,
)


class DemoFileInvalid(ValueError):
    pass


def _date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


class _Loader:
    def __init__(self, municipality: Municipality, data: dict[str, Any]):
        self.municipality = municipality
        self.data = data
        self.by = get_user_model().objects.get(username=data["by"])
        self.units = {u.short_name: u for u in OrgUnit.objects.filter(municipality=municipality)}
        self.shift = timedelta(0)
        if "demo_today" in data:
            self.shift = timezone.localdate() - _date(data["demo_today"])
        self.goals: dict[str, Goal] = {}
        self.themes: dict[str, Theme] = {}

    def day(self, value) -> date | None:
        return None if value is None else _date(value) + self.shift

    def unit(self, short_name: str | None) -> OrgUnit | None:
        if short_name is None:
            return None
        if short_name not in self.units:
            raise DemoFileInvalid(f"unknown unit {short_name!r}")
        return self.units[short_name]

    def goal_list(self, codes) -> list[Goal]:
        missing = [str(c) for c in codes or [] if str(c) not in self.goals]
        if missing:
            raise DemoFileInvalid(f"goals not in the plan: {', '.join(missing)}")
        return [self.goals[str(c)] for c in codes or []]

    def theme_list(self, names) -> list[Theme]:
        missing = [n for n in names or [] if n not in self.themes]
        if missing:
            raise DemoFileInvalid(f"unknown themes: {', '.join(missing)}")
        return [self.themes[n] for n in names or []]

    # --- The inventory and its codebook ---------------------------------------------------

    def inventory(self) -> Inventory:
        spec = self.data["inventory"]
        plan = None
        if spec.get("plan"):
            plan = Plan.objects.get(municipality=self.municipality, title=spec["plan"])
            self.goals = {g.code: g for g in plan.goals.all()}
        inventory = inventory_create(
            municipality=self.municipality,
            by=self.by,
            fields={
                "name": spec["name"],
                "unit": self.unit(spec.get("unit")),
                "purpose": (spec.get("purpose") or "").strip(),
                "plan": plan,
                "starts_on": self.day(spec.get("starts_on")),
                "ends_on": self.day(spec.get("ends_on")),
                "published": bool(spec.get("published")),
            },
        )
        self.themes = {t.name: t for t in inventory.themes.all()}
        for name, t in (self.data.get("themes") or {}).items():
            fields = {k: t[k].strip() for k in ("description", "keywords") if t.get(k)}
            if name not in self.themes:
                fields["name"] = name
            self.themes[name] = theme_save(
                inventory=inventory,
                by=self.by,
                theme=self.themes.get(name),
                fields=fields,
                goals=self.goal_list(t.get("goals")),
            )
        return inventory

    # --- Surveys ------------------------------------------------------------------------

    def survey(self, inventory: Inventory, spec: dict[str, Any]) -> None:
        if "questions" not in spec:
            survey = Survey.objects.filter(municipality=self.municipality, name=spec["name"]).first()
            if survey is None:
                raise DemoFileInvalid(f"no survey named {spec['name']!r} to attach")
            survey_update(survey=survey, by=self.by, fields={"inventory": inventory})
            return
        # Other languages only where their texts are written in the file: under
        # `translations` the survey's, and under the language's code each question's
        # and option's. What is missing stays missing (surveys.languages), and the
        # survey then cannot be opened.
        translations = spec.get("translations") or {}
        languages = ["sv", *translations]
        texts = {"sv": {"title": spec["title"].strip(), "intro": spec["intro"].strip()}}
        texts |= {lang: {key: text.strip() for key, text in own.items()} for lang, own in translations.items()}
        survey = survey_create(
            municipality=self.municipality,
            by=self.by,
            fields={
                "name": spec["name"],
                "unit": self.unit(spec.get("unit")),
                "inventory": inventory,
                "languages": languages,
                "texts": texts,
                "opens_on": self.day(spec["opens_on"]),
                "closes_on": self.day(spec["closes_on"]),
                "date_detail": spec.get("date_detail", Survey.DateDetail.WEEK),
            },
        )
        questions: dict[str, Question] = {}
        for q in spec["questions"]:
            fields = {
                "kind": q["kind"],
                "required": bool(q.get("required")),
                "texts": {"sv": q["text"].strip()} | {lang: q[lang].strip() for lang in languages[1:] if lang in q},
                "options": [
                    {
                        "value": o["value"],
                        "texts": {"sv": o["text"]} | {lang: o[lang] for lang in languages[1:] if lang in o},
                    }
                    for o in q.get("options", [])
                ],
                "allow_other": bool(q.get("allow_other")),
            }
            if q["kind"] == Question.Kind.SCALE:
                fields |= {"scale_min": q["scale_min"], "scale_max": q["scale_max"]}
            questions[q["key"]] = question_save(survey=survey, by=self.by, question=None, fields=fields)
        if spec.get("status") == Survey.Status.OPEN:
            survey_set_status(survey=survey, by=self.by, status=Survey.Status.OPEN)
        self.responses(survey, questions, spec.get("responses") or {})

    def responses(self, survey: Survey, questions: dict[str, Question], spec: dict[str, Any]) -> None:
        """Synthetic anonymous responses: per age group, a count and the answers
        cycled through in order; the groups interleaved and the dates spread
        evenly from the opening to today (or the closing, if earlier)."""
        age_key = next((key for key, q in questions.items() if q.kind == Question.Kind.AGE), None)
        rows = []
        for group in spec.get("groups", []):
            cycled = group["answers"].items()
            rows.append(
                [{age_key: group["age"]} | {key: vs[i % len(vs)] for key, vs in cycled} for i in range(group["count"])]
            )
        ordered = [row for rows_at in zip_longest(*rows) for row in rows_at if row is not None]
        first, last = survey.opens_on, min(survey.closes_on, timezone.localdate())
        if survey.date_detail == Survey.DateDetail.WEEK:
            first += timedelta(days=-first.weekday() % 7)  # the first Monday: no answer dated before opening
        if ordered and first > last:
            raise DemoFileInvalid(f"{survey.name}: responses before the survey opens")
        sources = spec.get("sources") or [Response.Source.WEB]
        span = (last - first).days
        for n, row in enumerate(ordered):
            answers = {}
            for key, given in row.items():
                if key not in questions:
                    raise DemoFileInvalid(f"{survey.name}: no question {key!r}")
                if (value := self.answer(questions[key], given)) is not None:
                    answers[questions[key].pk] = value
            response_submit(
                survey=survey,
                language="sv",
                answers=answers,
                on=first + timedelta(days=n * span // max(len(ordered) - 1, 1)),
                source=sources[n % len(sources)],
            )

    @staticmethod
    def answer(question: Question, given) -> dict[str, Any] | None:
        """The stored answer for a value written in the file: an option value, a
        list of them, a number, a text, or {value, other} for "other" with a text."""
        if given is None or given == "" or given == []:
            return None
        other = None
        if isinstance(given, dict):
            given, other = given.get("value"), given["other"]
        kind = question.kind
        if kind in (Question.Kind.SCALE, Question.Kind.TEXT):
            return {"value": given}
        values = {v for v, _label in question.option_labels("sv")}
        chosen = given if isinstance(given, list) else [] if given is None else [given]
        if unknown := [v for v in chosen if v not in values]:
            raise DemoFileInvalid(f"question {question.position}: no option {unknown}")
        if other is not None:
            chosen = [*chosen, OTHER]
        value = chosen if kind == Question.Kind.MULTIPLE else chosen[0]
        return {"value": value, "other": other} if other is not None else {"value": value}

    # --- Dialogue meetings ----------------------------------------------------------------

    def notes(self, inventory: Inventory) -> None:
        for n in self.data.get("notes") or []:
            counts = n.get("age_counts") or {}
            if unknown := set(counts) - set(inventory.age_groups):
                raise DemoFileInvalid(f"note {n['held_on']}: age groups not in the inventory: {sorted(unknown)}")
            if sum(counts.values()) > n["participants"]:
                raise DemoFileInvalid(f"note {n['held_on']}: more counted by age than took part")
            note_save(
                inventory=inventory,
                by=self.by,
                note=None,
                fields={
                    "held_on": self.day(n["held_on"]),
                    "place": n["place"],
                    "participants": n["participants"],
                    "age_counts": counts,
                    "summary": n["summary"].strip(),
                },
                quotes=[
                    {"text": q["text"].strip(), "publishable": bool(q["publishable"])} for q in n.get("quotes", [])
                ],
            )

    # --- Coding ---------------------------------------------------------------------------

    def coding(self, inventory: Inventory) -> None:
        """Decide the suggested themes (confirmed, unless rejected), then the themes
        confirmed by hand; ``pending`` items are left for later. Every rule must
        meet at least one item, so a mistyped text fails loudly."""
        spec = self.data.get("coding")
        if not spec:
            return
        kinds = set(spec.get("kinds") or ["answer", "note", "quote"])
        pending = [s.strip() for s in spec.get("pending") or []]
        rejects = [(r["text"].strip(), self.theme_list([r["theme"]])[0]) for r in spec.get("reject") or []]
        confirms = [(r["text"].strip(), self.theme_list([r["theme"]])[0]) for r in spec.get("confirm") or []]
        used: set[tuple[str, int]] = set()
        items = coding_items(inventory, uncoded_only=False)
        add_suggestions(items, list(inventory.themes.all()))
        for item in items:
            if any(s in item.text for s in pending):
                used.update((s, 0) for s in pending if s in item.text)
                continue
            if item.kind not in kinds:
                continue
            suggested = {theme.pk: hits for theme, hits in item.suggestions}
            for theme, hits in item.suggestions:
                decision = Coding.Decision.CONFIRMED
                for text, rejected in rejects:
                    if text in item.text and rejected.pk == theme.pk:
                        decision = Coding.Decision.REJECTED
                        used.add((text, theme.pk))
                self.decide(theme, item, decision, ", ".join(hits))
            for text, theme in confirms:
                if text in item.text:
                    if theme.pk in suggested:
                        raise DemoFileInvalid(f"confirm {text!r} as {theme}: the words suggest it already")
                    self.decide(theme, item, Coding.Decision.CONFIRMED, "")
                    used.add((text, theme.pk))
        rules = [(s, 0) for s in pending] + [(t, th.pk) for t, th in rejects + confirms]
        if unused := [text for text, theme_id in rules if (text, theme_id) not in used]:
            raise DemoFileInvalid(f"coding rules that meet no item or suggestion: {unused}")
        if spec.get("decided_on"):
            # The services date a decision today; the demo's were made when the coding was done.
            Coding.objects.filter(theme__inventory=inventory).update(decided_on=self.day(spec["decided_on"]))

    def decide(self, theme: Theme, item, decision: str, matched_words: str) -> None:
        coding_decide(
            theme=theme, target=item.kind, target_id=item.pk, decision=decision, matched_words=matched_words, by=self.by
        )

    # --- Ways forward ---------------------------------------------------------------------

    def recommendations(self, inventory: Inventory) -> None:
        for r in self.data.get("recommendations") or []:
            recommendation = recommendation_save(
                inventory=inventory,
                by=self.by,
                recommendation=None,
                fields={"title": r["title"], "text": (r.get("text") or "").strip()},
                themes=self.theme_list(r.get("themes")),
                goals=self.goal_list(r.get("goals")),
            )
            if activity := r.get("activity"):
                recommendation_to_activity(
                    recommendation=recommendation, by=self.by, owner=self.unit(activity["owner"])
                )

    def finalise(self, inventory: Inventory) -> None:
        """Finalise the results of the inventory's surveys, then of the inventory."""
        for survey in inventory.surveys.exclude(status=Survey.Status.FINALISED):
            survey_finalise(survey=survey, by=self.by)
        inventory_finalise(inventory=inventory, by=self.by)


def read(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@transaction.atomic
def load_demo_inventory(*, municipality: Municipality, path: Path) -> Inventory | None:
    """The inventory of the file, with its surveys, meetings, coding and ways
    forward; None when an inventory of that name exists already."""
    data = read(path)
    if Inventory.objects.filter(municipality=municipality, name=data["inventory"]["name"]).exists():
        return None
    loader = _Loader(municipality, data)
    inventory = loader.inventory()
    for spec in data.get("surveys") or []:
        loader.survey(inventory, spec)
    loader.notes(inventory)
    loader.coding(inventory)
    loader.recommendations(inventory)
    if data["inventory"].get("finalised"):
        loader.finalise(inventory)
    return inventory
