"""The current plan becomes an explicit choice. Each municipality starts with
the plan that was shown as current until now (the adopted plan with the latest
start, else the newest plan not replaced), so nothing changes on the start page.

Titles, codes and level names are made single-line and control characters are
removed from all plan text, so that every plan can be exported and imported again
(the validators added in 0005 refuse them from now on)."""

import re
import unicodedata

from django.db import migrations
from django.db.models import Case, F, When

LINE_BREAKS = re.compile(r"\s*[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+\s*")


def _clean(value: str, *, single_line: bool, max_length: int | None = None) -> str:
    if single_line:
        value = LINE_BREAKS.sub(" ", value)
    kept = "\n\r\t" if not single_line else ""
    value = "".join(
        ch for ch in value if ch in kept or not (unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff")
    )
    if single_line:
        value = value.strip()
    return value[:max_length] if max_length else value


def choose_current_plans(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    order = Case(
        When(status="antagen", then=0), When(status="pa_remiss", then=1), When(status="utkast", then=2), default=3
    )
    for municipality_id in Plan.objects.values_list("municipality_id", flat=True).distinct():
        plans = Plan.objects.filter(municipality_id=municipality_id)
        if plans.filter(is_current=True).exists():
            continue
        first = plans.annotate(_order=order).order_by("_order", F("valid_from").desc(nulls_last=True), "-pk").first()
        Plan.objects.filter(pk=first.pk).update(is_current=True)


def clean_text(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    PlanLevel = apps.get_model("plans", "PlanLevel")
    Goal = apps.get_model("plans", "Goal")
    fields = [
        (
            Plan,
            {
                "title": (True, 300),
                "adopted_by": (True, 200),
                "overall_goal": (False, None),
                "description": (False, None),
            },
        ),
        (PlanLevel, {"name": (True, 100)}),
        (Goal, {"code": (True, 20), "title": (True, None), "description": (False, None), "guidance": (False, None)}),
    ]
    for model, spec in fields:
        for obj in model.objects.only("pk", *spec).iterator():
            changed = {}
            for name, (single_line, max_length) in spec.items():
                old = getattr(obj, name)
                new = _clean(old, single_line=single_line, max_length=max_length)
                if new != old:
                    changed[name] = new
            if changed:
                model.objects.filter(pk=obj.pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [("plans", "0005_current_plan_and_text_validators")]

    operations = [
        migrations.RunPython(choose_current_plans, migrations.RunPython.noop),
        migrations.RunPython(clean_text, migrations.RunPython.noop),
    ]
