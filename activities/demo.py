"""Demo activities from demo/<municipality>-activities.yaml; safe to run again
(an activity is matched by its title and not added twice)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from organisations.models import Municipality, OrgUnit
from plans.models import Plan

from .models import Activity, ProgressNote
from .services import activity_create


def load_demo_activities(*, municipality: Municipality, path: Path) -> int:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    plan = Plan.objects.get(municipality=municipality, title=data["plan"])
    units = {u.short_name: u for u in OrgUnit.objects.filter(municipality=municipality)}
    goals = {g.code: g for g in plan.goals.all()}
    statuses = {s.name: s for s in plan.activity_statuses.all()}
    existing = set(Activity.objects.filter(plan=plan).values_list("title", flat=True))
    created = 0
    for item in data["activities"]:
        if item["title"] in existing:
            continue
        fields = {
            "title": item["title"],
            "description": (item.get("description") or "").strip(),
            "owner": units[item["owner"]],
            "responsible_role": item.get("responsible_role", ""),
            "mandate": item.get("mandate", ""),
            "partners": item.get("partners", ""),
            "partner_kinds": item.get("partner_kinds", []),
            "target_groups": item.get("target_groups", []),
            "methods": item.get("methods", []),
            "status": statuses[item["status"]],
            "start_date": item.get("start_date"),
            "end_date": item.get("end_date"),
            "ongoing": bool(item.get("ongoing")),
            "budget": item.get("budget"),
            "funding": item.get("funding", "ordinarie"),
            "funding_ends": item.get("funding_ends"),
            "visibility": item["visibility"],
        }
        activity = activity_create(
            plan=plan,
            by=None,
            fields=fields,
            goals=[goals[str(code)] for code in item["goals"]],
            co_units=[units[s] for s in item.get("co_units", [])],
        )
        for note in item.get("notes", []):
            when = note["date"] if isinstance(note["date"], date) else date.fromisoformat(note["date"])
            ProgressNote.objects.create(activity=activity, date=when, text=note["text"], author_name="Demo")
        created += 1
    return created
