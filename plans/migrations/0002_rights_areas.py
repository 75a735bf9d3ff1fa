"""The national strategy's six rights areas (fixed reference data)."""

from django.db import migrations

AREAS = ["utbildning", "arbete", "bostad", "halsa", "kultur", "civilsamhalle"]


def add_areas(apps, schema_editor):
    RightsArea = apps.get_model("plans", "RightsArea")
    for position, code in enumerate(AREAS, start=1):
        RightsArea.objects.update_or_create(code=code, defaults={"position": position})


def remove_areas(apps, schema_editor):
    apps.get_model("plans", "RightsArea").objects.filter(code__in=AREAS).delete()


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(add_areas, remove_areas)]
