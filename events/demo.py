"""Demo events from demo/<municipality>-events.yaml; safe to run again (an
event is matched by its title and start)."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from consultations.demo import _dt
from organisations.models import Municipality, OrgUnit
from plans.models import Plan

from .models import Event
from .services import event_create

FIELDS = ("title", "kind", "place", "accessibility", "interpretation", "childcare", "partners", "description")


@transaction.atomic
def load_demo_events(*, municipality: Municipality, path: Path) -> int:
    """The events of the file; returns how many were created."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    units = {u.short_name: u for u in OrgUnit.objects.filter(municipality=municipality)}
    plan = Plan.objects.get(municipality=municipality, title=data["plan"])
    goals = {g.code: g for g in plan.goals.all()}
    activities = {a.title: a for a in plan.activities.all()}
    created = 0
    for entry in data["events"]:
        starts_at = _dt(entry["starts_at"])
        if Event.objects.filter(municipality=municipality, title=entry["title"], starts_at=starts_at).exists():
            continue
        fields = {name: entry.get(name, "") for name in FIELDS if name in entry}
        fields |= {
            "starts_at": starts_at,
            "ends_at": _dt(entry["ends_at"]) if entry.get("ends_at") else None,
            "is_public": bool(entry.get("is_public")),
            "participants_total": entry.get("participants_total"),
            "participants": entry.get("participants", {}),
        }
        event_create(
            municipality=municipality,
            by=None,
            fields=fields,
            organisers=[units[s] for s in entry["organisers"]],
            goals=[goals[c] for c in entry.get("goals", [])],
            activities=[activities[t] for t in entry.get("activities", [])],
            notify=False,  # demo people's inboxes are not filled with invitations
        )
        created += 1
    return created
