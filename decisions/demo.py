"""Demo decision log from demo/<municipality>-decisions.yaml; safe to run again
(a body is matched by its name, a meeting by its day, a decision by its title)."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from activities.models import Activity
from consultations.models import Consultation
from organisations.models import Municipality, OrgUnit
from plans.models import Plan
from remiss.models import Remiss

from .models import Body, Decision, Meeting
from .services import analysis_save, body_save, decision_save, meeting_create

ANALYSIS_TEXTS = ("effects", "minority_rights", "children_rights", "no_consultation_reason", "conclusion")


@transaction.atomic
def load_demo_decisions(*, municipality: Municipality, path: Path) -> int:
    """The bodies, meetings and decisions of the file; returns how many decisions were created."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    units = {u.short_name: u for u in OrgUnit.objects.filter(municipality=municipality)}
    plan = Plan.objects.get(municipality=municipality, title=data["plan"])
    goals = {g.code: g for g in plan.goals.all()}
    activities = {a.title: a for a in Activity.objects.filter(municipality=municipality)}
    consultations = {c.title: c for c in Consultation.objects.filter(municipality=municipality)}
    remisses = {r.title: r for r in Remiss.objects.filter(municipality=municipality)}
    bodies: dict[str, Body] = {}
    for entry in data["bodies"]:
        body = Body.objects.filter(municipality=municipality, name=entry["name"]).first()
        if body is None:
            fields = {
                "name": entry["name"], "kind": entry["kind"], "unit": units.get(entry.get("unit")),
                "description": (entry.get("description") or "").strip(),
            }  # fmt: skip
            body = body_save(municipality=municipality, by=None, fields=fields)
        for meeting in entry.get("meetings") or []:
            if not Meeting.objects.filter(body=body, held_on=meeting["held_on"]).exists():
                meeting_create(
                    body=body, by=None, fields={"held_on": meeting["held_on"], "notes": meeting.get("notes", "")}
                )
        bodies[body.name] = body
    created = 0
    for entry in data["decisions"]:
        if Decision.objects.filter(municipality=municipality, title=entry["title"]).exists():
            continue
        body = bodies[entry["body"]]
        fields = {
            "body": body,
            "meeting": Meeting.objects.get(body=body, held_on=entry["meeting"]) if entry.get("meeting") else None,
            "decided_on": entry["decided_on"],
            "paragraph": entry.get("paragraph", ""),
            "dnr": entry.get("dnr", ""),
            "title": entry["title"],
            "text": (entry.get("text") or "").strip(),
            "affects_minority": bool(entry.get("affects_minority")),
        }
        relations = {
            "goals": [goals[c] for c in entry.get("goals", [])],
            "activities": [activities[t] for t in entry.get("activities", []) if t in activities],
            "remisses": [remisses[t] for t in entry.get("remisses", []) if t in remisses],
            "consultations": [consultations[t] for t in entry.get("consultations", []) if t in consultations],
        }
        decision = decision_save(municipality=municipality, by=None, fields=fields, relations=relations)
        if analysis := entry.get("analysis"):
            analysis_save(
                decision=decision,
                by=None,
                fields={name: (analysis.get(name) or "").strip() for name in ANALYSIS_TEXTS}
                | {"consultation_held": bool(analysis.get("consultation_held"))},
                consultations=[consultations[t] for t in analysis.get("consultations", []) if t in consultations],
            )
        created += 1
    return created
