"""The database cache's table (CACHES, config/settings.py), made by migrate so an
operator has no extra command to remember. Nothing is made for another backend."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
