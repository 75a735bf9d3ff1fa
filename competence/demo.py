"""Demo trainings, occasions, headcounts and the computed indicator of goal 1.1
from demo/stockholm-competence.yaml, through the services (audited as the
system). Safe to run again: a training, staff group or indicator whose name
exists is left as it is, and headcounts already entered are kept."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction

from indicators import services as indicator_services
from indicators.models import Indicator
from indicators.services import BaselineSpec, TargetSpec
from organisations.models import Municipality, OrgUnit
from plans.models import Plan

from . import services
from .models import Headcount, ShareIndicator, StaffGroup, Training


@transaction.atomic
def load_demo_competence(*, municipality: Municipality, path: Path) -> int:
    """Returns how many trainings were created."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    plan = Plan.objects.get(municipality=municipality, title=data["plan"])
    goals = {g.code: g for g in plan.goals.all()}
    units = {u.short_name: u for u in OrgUnit.objects.filter(municipality=municipality)}
    existing = set(StaffGroup.objects.filter(municipality=municipality).values_list("name", flat=True))
    new = [(None, name) for name in data["staff_groups"] if name not in existing]
    if new:
        services.staff_groups_save(municipality=municipality, by=None, entries=new)
    groups = {g.name: g for g in StaffGroup.objects.filter(municipality=municipality)}
    for short_name, years in data["headcounts"].items():
        unit = units[short_name]
        for year, numbers in years.items():
            known = set(Headcount.objects.filter(unit=unit, year=year).values_list("staff_group__name", flat=True))
            wanted = {groups[name]: n for name, n in numbers.items() if name not in known}
            if wanted:
                services.headcounts_save(unit=unit, year=year, by=None, numbers=wanted)
    created = 0
    for item in data["trainings"]:
        if Training.objects.filter(municipality=municipality, title=item["title"]).exists():
            continue
        fields = {name: (item.get(name) or "").strip() for name in ("provider", "material", "description")}
        training = services.training_create(
            municipality=municipality,
            by=None,
            fields={"title": item["title"], "kind": item["kind"], **fields},
            rights_areas=item.get("rights_areas", []),
            goals=[goals[code] for code in item.get("goals", [])],
        )
        for occasion in item.get("occasions", []):
            rows = [services.Row(units[u], groups[g], n) for u, g, n in occasion["rows"]]
            fields = {"date": occasion["date"], "note": occasion.get("note", "")}
            services.occasion_create(training=training, by=None, fields=fields, rows=rows)
        created += 1
    _indicator(municipality, data["indicator"], goals, units)
    # Whatever the steps above skipped or wrote in between (a headcount kept, an
    # indicator that existed), the computed measurements end current.
    services.share_indicators_refresh(municipality=municipality, by=None)
    return created


def _indicator(municipality: Municipality, item: dict, goals: dict, units: dict) -> None:
    if Indicator.objects.filter(municipality=municipality, name=item["name"]).exists():
        return
    indicator = indicator_services.indicator_create(
        municipality=municipality,
        by=None,
        fields={
            "name": item["name"],
            "definition": item["definition"].strip(),
            "unit": "procent",
            "source_kind": Indicator.Source.COMPUTED_TRAINING,
            "responsible_unit": units[item["responsible"]],
        },
        goals=[goals[code] for code in item["goals"]],
        baseline=BaselineSpec(date=item["baseline"]["date"], value=Decimal(str(item["baseline"]["value"]))),
        targets=[TargetSpec(date=t["date"], value=Decimal(str(t["value"]))) for t in item["targets"]],
    )
    if item.get("years", 3) != ShareIndicator.objects.get(indicator=indicator).years:
        services.share_settings_save(indicator=indicator, by=None, years=item["years"], staff_group=None, unit=None)
