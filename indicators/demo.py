"""Load demo indicators (demo/stockholm-indicators.yaml) into a municipality,
through the services, so each write is audited like one made in the UI
(by the system). Idempotent: an indicator whose name exists is left as it is."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from organisations.models import Municipality, OrgUnit
from plans.models import Plan

from . import services
from .forms import MeasurementForm
from .models import GenderTerms, Indicator
from .services import BaselineSpec, TargetSpec


class DemoFileInvalid(ValueError):
    pass


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _baseline(data: dict | None) -> BaselineSpec | None:
    if not data:
        return None
    women, men = _decimal(data.get("women")), _decimal(data.get("men"))
    value = _decimal(data.get("value"))
    if value is None and women is not None and men is not None:
        value = women + men
    return BaselineSpec(
        date=data["date"],
        value=value,
        women=women,
        men=men,
        value_bool=data.get("answer"),
        source=data.get("source", ""),
        note=(data.get("note") or "").strip(),
    )


def _measurement_data(data: dict) -> dict[str, Any]:
    """A measurement from the file as the form would receive it."""
    answer = data.get("answer")
    return {
        "period_start": data.get("start") or "",
        "period_end": data.get("end"),
        "value": data.get("value", ""),
        "women": data.get("women", ""),
        "men": data.get("men", ""),
        "value_bool": "" if answer is None else ("yes" if answer else "no"),
        "value_text": data.get("text", ""),
        "note": data.get("note", ""),
    }


def _create(municipality: Municipality, plan: Plan, units: dict[str, OrgUnit], item: dict) -> Indicator:
    name = item["name"]
    try:
        unit = units[item["responsible"]]
    except KeyError:
        raise DemoFileInvalid(f"{name}: no unit with the short name {item.get('responsible')!r}") from None
    codes = [str(code) for code in item.get("goals") or []]
    goals = list(plan.goals.filter(code__in=codes))
    if len(goals) != len(set(codes)):
        missing = set(codes) - {g.code for g in goals}
        raise DemoFileInvalid(f"{name}: no goal {', '.join(sorted(missing))} in {plan.title}")
    source = item.get("source") or {}
    fields = {
        "name": name,
        "kind": item.get("kind", Indicator.Kind.NUMBER),
        "definition": (item.get("definition") or "").strip(),
        "unit": item.get("unit", ""),
        "direction": item.get("direction", Indicator.Direction.INCREASE),
        "allow_negative": bool(item.get("allow_negative", False)),
        "gender_split": bool(item.get("gender_split", False)),
        "gender_terms": item.get("gender_terms", GenderTerms.ADULTS),
        "source_kind": source.get("kind", Indicator.Source.OWN_COUNT),
        "source_detail": source.get("detail", ""),
        "kolada_id": source.get("kolada", ""),
        "responsible_unit": unit,
        "valid_from": item.get("valid_from"),
        "valid_to": item.get("valid_to"),
        "public": bool(item.get("public", False)),
    }
    try:
        Indicator(municipality=municipality, **fields).full_clean(validate_unique=False)
    except ValidationError as exc:
        raise DemoFileInvalid(f"{name}: {exc.message_dict}") from exc
    targets = [TargetSpec(date=t["date"], value=_decimal(t["value"])) for t in item.get("targets") or []]
    indicator = services.indicator_create(
        municipality=municipality,
        by=None,
        fields=fields,
        goals=goals,
        baseline=_baseline(item.get("baseline")),
        targets=targets,
    )
    for data in item.get("measurements") or []:
        form = MeasurementForm(_measurement_data(data), indicator=indicator)
        if not form.is_valid():
            raise DemoFileInvalid(f"{name}, {data.get('end')}: {form.errors.get_json_data()}")
        services.measurement_create(indicator=indicator, by=None, fields=form.measurement_values())
    assessment = item.get("assessment")
    if assessment:
        services.indicator_assess(
            indicator=indicator, by=None, track=assessment["track"], reason=assessment["reason"].strip()
        )
    return indicator


@transaction.atomic
def load_demo_indicators(*, municipality: Municipality, path: Path | str) -> int:
    """Create the file's indicators that the municipality does not have yet (by
    name); returns how many were created. Raises DemoFileInvalid, creating
    nothing, if the file does not fit the municipality."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != "inkludera-indicators":
        raise DemoFileInvalid(f"{path}: not an indicator file (format: inkludera-indicators)")
    plan = Plan.objects.filter(municipality=municipality, title=data["plan"]).first()
    if plan is None:
        raise DemoFileInvalid(f"{path}: {municipality} has no plan titled {data['plan']!r}")
    units = {u.short_name: u for u in OrgUnit.objects.filter(municipality=municipality)}
    existing = set(Indicator.objects.filter(municipality=municipality).values_list("name", flat=True))
    created = 0
    for item in data.get("indicators") or []:
        if item["name"] in existing:
            continue
        _create(municipality, plan, units, item)
        existing.add(item["name"])
        created += 1
    return created
