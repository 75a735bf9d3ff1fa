"""Give every existing plan the default activity statuses that new plans get."""

from django.db import migrations

DEFAULTS = [
    ("Ej påbörjad", "ej_paborjad"),
    ("Pågår", "pagar"),
    ("Försenad", "forsenad"),
    ("Genomförd", "genomford"),
    ("Pausad", "pausad"),
    ("Avbruten", "avbruten"),
]


def add_defaults(apps, schema_editor):
    Plan = apps.get_model("plans", "Plan")
    ActivityStatus = apps.get_model("plans", "ActivityStatus")
    for plan in Plan.objects.filter(activity_statuses__isnull=True):
        ActivityStatus.objects.bulk_create(
            ActivityStatus(plan=plan, name=name, summary=summary, position=position)
            for position, (name, summary) in enumerate(DEFAULTS, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_activity_statuses")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
