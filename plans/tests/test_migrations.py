"""The data migration that makes the current plan an explicit choice."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from organisations.models import Municipality

BEFORE = [("plans", "0004_default_activity_statuses")]
AFTER = [("plans", "0006_choose_current_plans")]


@pytest.mark.django_db(transaction=True)
def test_each_municipality_keeps_the_plan_it_showed_and_text_is_made_exportable():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Plan = apps.get_model("plans", "Plan")
    PlanLevel = apps.get_model("plans", "PlanLevel")
    sthlm = Municipality.objects.create(name="Stockholms stad", code="0180")
    huddinge = Municipality.objects.create(name="Huddinge kommun", code="0126")
    Municipality.objects.create(name="Tomma kommun", code="0999")
    old = Plan.objects.create(
        municipality_id=sthlm.pk,
        title="Strategi\r\n2018",
        kind="strategi",
        status="antagen",
        valid_from=date(2018, 1, 1),
    )
    adopted = Plan.objects.create(
        municipality_id=sthlm.pk, title="Plan 2030", kind="handlingsplan", status="antagen", valid_from=date(2026, 1, 1)
    )
    Plan.objects.create(municipality_id=sthlm.pk, title="Utkast 2035", kind="handlingsplan", status="utkast")
    draft = Plan.objects.create(
        municipality_id=huddinge.pk, title="Vägar", kind="program", status="utkast", description="Rad\r\nRad\x07två"
    )
    Plan.objects.create(municipality_id=huddinge.pk, title="Gammal", kind="program", status="ersatt")
    PlanLevel.objects.create(plan=old, depth=1, name="Fokus\nområde")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Plan = apps.get_model("plans", "Plan")
    assert sorted(Plan.objects.filter(is_current=True).values_list("pk", flat=True)) == sorted([adopted.pk, draft.pk])
    assert Plan.objects.get(pk=old.pk).title == "Strategi 2018"
    assert Plan.objects.get(pk=draft.pk).description == "Rad\r\nRadtvå"
    assert apps.get_model("plans", "PlanLevel").objects.get().name == "Fokus område"

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
