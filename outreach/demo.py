"""Demo outreach counts from demo/<municipality>-outreach.yaml; safe to run
again (a unit's month already entered is left as it is). Only months that have
ended are made: the current month stays empty, to be filled in ("Fyll i")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from organisations.models import Municipality, OrgUnit
from plans.models import Plan

from .models import OutreachRecord
from .services import outreach_month_save


def split(total: int, shares: dict[str, int]) -> dict[str, int]:
    """``total`` divided by the shares, the largest remainders rounded up: the parts add up to it."""
    weight = sum(shares.values())
    exact = {key: total * share / weight for key, share in shares.items()}
    parts = {key: int(value) for key, value in exact.items()}
    rest = total - sum(parts.values())
    for key in sorted(exact, key=lambda k: exact[k] - parts[k], reverse=True)[:rest]:
        parts[key] += 1
    return parts


@transaction.atomic
def load_demo_outreach(*, municipality: Municipality, path: Path) -> int:
    """The months of the file; returns how many were created."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    units = {u.short_name: u for u in OrgUnit.objects.filter(municipality=municipality)}
    plan = Plan.objects.get(municipality=municipality, title=data["plan"])
    goals = {g.code: g for g in plan.goals.all()}
    activities = {a.title: a for a in plan.activities.all()}
    this_month = timezone.localdate().replace(day=1)
    created = 0
    for entry in data["units"]:
        unit = units[entry["unit"]]
        done = set(OutreachRecord.objects.filter(unit=unit).values_list("month", flat=True))
        years = {data["year"]: entry["contacts"], **{int(y): c for y, c in (entry.get("earlier") or {}).items()}}
        months = [(date(year, number, 1), n) for year, counts in years.items() for number, n in enumerate(counts, 1)]
        for month, contacts in sorted(months):
            if month >= this_month or month in done:
                continue
            counts = {"contacts": contacts}
            counts |= {f"area_{k}": n for k, n in split(contacts, entry["areas"]).items()}
            counts |= {f"channel_{k}": n for k, n in split(contacts, entry["channels"]).items()}
            counts["referrals"] = round(contacts * entry["referrals"] / 100)
            outreach_month_save(
                unit=unit,
                month=month,
                counts=counts,
                by=None,
                activity=activities.get(entry.get("activity")),
                goals=[goals[c] for c in entry.get("goals", [])],
            )
            created += 1
    return created
