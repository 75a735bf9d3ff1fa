"""The demo knowledge bank from demo/practice-examples.yaml (seed 001's examples):
entered by one municipality, shared with all, a few shown on its public site
(``public_site: true``), and one taken up by another.
Safe to run again: an example is matched by its owner and title, an adoption by
the example and the adopting municipality."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from organisations.models import Municipality, OrgUnit
from plans.models import Plan

from .models import Adoption, PracticeExample
from .services import example_adopt, example_create, example_publish, example_show_publicly

FIELDS = ("title", "organisation", "period", "goal_kinds", "target_groups", "summary", "prerequisites", "tips",
          "results", "contact")  # fmt: skip


@transaction.atomic
def load_demo_practice(*, path: Path) -> tuple[int, int]:
    """Returns how many examples and adoptions were created. Skipped (0, 0) when the
    owning municipality is not loaded."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    owner = Municipality.objects.filter(code=data["owner"]).first()
    if owner is None:
        return 0, 0
    made = 0
    by_title = {}
    for entry in data["examples"]:
        example = PracticeExample.objects.filter(municipality=owner, title=entry["title"]).first()
        if example is None:
            fields = {name: entry[name] for name in FIELDS if name in entry}
            fields["summary"] = fields["summary"].strip()
            for name in ("prerequisites", "tips", "results"):
                fields[name] = (fields.get(name) or "").strip()
            fields["sources"] = "\n".join(entry.get("sources", []))
            example = example_create(
                municipality=owner, by=None, fields=fields, rights_areas=entry.get("rights_areas", [])
            )
            example_publish(example=example, by=None)
            made += 1
        if entry.get("public_site") and example.is_published:  # as loaded, unless unshared since
            example_show_publicly(example=example, by=None)  # nothing to do when it already is
        by_title[example.title] = example
    adopted = 0
    for entry in data.get("adoptions") or []:
        municipality = Municipality.objects.filter(code=entry["municipality"]).first()
        if municipality is None:
            continue
        example = by_title[entry["example"]]
        if Adoption.objects.filter(example=example, municipality=municipality).exists():
            continue
        plan = Plan.objects.get(municipality=municipality, title=entry["plan"])
        example_adopt(
            example=example,
            by=None,
            goals=list(plan.goals.filter(code__in=entry["goals"])),
            owner=OrgUnit.objects.get(municipality=municipality, short_name=entry["owner"]),
        )
        adopted += 1
    return made, adopted
