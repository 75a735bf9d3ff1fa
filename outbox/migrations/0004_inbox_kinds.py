# The inbox's summaries and a coordinator's Påminn (inbox/).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0003_mail_attachment_event_invitation"),
    ]

    operations = [
        migrations.AlterField(
            model_name="outgoingmail",
            name="kind",
            field=models.CharField(
                choices=[
                    ("invitation", "invitation to choose a password"),
                    ("password_reset", "password reset"),
                    ("consultation_invitation", "invitation to a consultation"),
                    ("event_invitation", "invitation to an event"),
                    ("minutes_review", "minutes to review"),
                    ("feedback_reminder", "reminder about overdue feedback"),
                    ("followup_reminder", "reminder about a follow-up report"),
                    ("remiss", "remiss to answer"),
                    ("remiss_reminder", "reminder about a remiss answer"),
                    ("inbox_digest", "summary of what is waiting"),
                    ("inbox_reminder", "reminder from a coordinator"),
                ],
                max_length=40,
                verbose_name="kind",
            ),
        ),
    ]
