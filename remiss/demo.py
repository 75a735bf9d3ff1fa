"""The demo remisses (demo/stockholm-remisses.yaml), loaded by home's load_demo.
Safe to run again: a remiss already there (by title) is left as it is."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from django.db import transaction

from organisations.models import Municipality, OrgUnit
from plans.models import Plan

from .models import Answer, Body, Comment, Remiss

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _aware(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=STOCKHOLM)


@transaction.atomic
def load_demo_remisses(*, municipality: Municipality, path: Path) -> int:
    """Write the remisses as they stand after their history (dates in the past, so
    written directly rather than through the services, which date things today)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    units = {u.short_name: u for u in OrgUnit.objects.filter(municipality=municipality)}
    made = 0
    for entry in data.get("remisses", []):
        if Remiss.objects.filter(municipality=municipality, title=entry["title"]).exists():
            continue
        plan = Plan.objects.get(municipality=municipality, title=entry["plan"])
        remiss = Remiss.objects.create(
            municipality=municipality,
            plan=plan,
            title=entry["title"],
            dnr=entry.get("dnr", ""),
            letter=entry.get("letter", ""),
            sent_on=entry["sent_on"],
            deadline=entry["deadline"],
            status=entry.get("status", Remiss.Status.SENT),
            closed_at=_aware(entry["deadline"]) if entry.get("status") == Remiss.Status.CLOSED else None,
            created_at=_aware(entry["sent_on"]),
        )
        bodies = {s: Body.objects.create(remiss=remiss, unit=units[s]) for s in entry.get("units", [])}
        for org in entry.get("organisations", []):
            bodies[org["name"]] = Body.objects.create(remiss=remiss, name=org["name"], email=org["email"])
        goals = {g.code: g for g in plan.goals.all()}
        for a in entry.get("answers", []):
            answered_on = a.get("answered_on") or entry["deadline"]
            answer = Answer.objects.create(
                body=bodies[a.get("unit") or a["organisation"]],
                dnr=a.get("dnr", ""),
                answered_on=answered_on,
                officer=a.get("officer", ""),
                decided_by=a.get("decided_by", ""),
                decided_on=a.get("decided_on"),
                stance=a["stance"],
                summary=a.get("summary", "").strip(),
                general_comments=a.get("general_comments", "").strip(),
                is_late=answered_on > entry["deadline"],
                received_via=a.get("via", Answer.Via.APP),
                submitted_at=_aware(answered_on),
                publish_consent=bool(a.get("publish_consent", False)),
            )
            for c in a.get("comments", []):
                goal = goals[str(c["goal"])] if c.get("goal") else None
                Comment.objects.create(
                    answer=answer,
                    section=Comment.Section.GOAL if goal else c["section"],
                    goal=goal,
                    text=c["text"].strip(),
                    handling=c.get("handling", ""),
                    handling_text=c.get("handling_text", ""),
                    handled_at=_aware(entry["deadline"]) if c.get("handling") else None,
                )
        made += 1
    return made
