from django.db import migrations, models


class Migration(migrations.Migration):
    """Builds made so far get rules version 1 (made before results were
    finalised: kept for the coordinator only); new builds get version 2."""

    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="build",
            name="rules_version",
            field=models.PositiveSmallIntegerField(default=1, editable=False),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="build",
            name="rules_version",
            field=models.PositiveSmallIntegerField(default=2, editable=False),
        ),
    ]
