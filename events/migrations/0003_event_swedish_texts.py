"""The Swedish public texts of existing events: the ``sv`` row mirrors the
title and description (from now on events.services keep it so)."""

import hashlib

from django.db import migrations


def digest(texts: dict[str, str]) -> str:
    """public.translation.digest as it was when this migration was written (a
    migration keeps its own copy: the app's code may change later)."""
    h = hashlib.sha256()
    for field in sorted(texts):
        h.update(field.encode())
        h.update(b"\0")
        h.update((texts[field] or "").strip().encode())
        h.update(b"\0")
    return h.hexdigest()


def mirror_swedish(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    EventTranslation = apps.get_model("events", "EventTranslation")
    for event in Event.objects.all().iterator():
        texts = {"public_title": event.title.strip(), "public_text": (event.description or "").strip()}
        row = EventTranslation.objects.filter(master_id=event.pk, language_code="sv").first()
        if row is None:
            row = EventTranslation(master_id=event.pk, language_code="sv", text_version=0)
        elif (row.public_title, row.public_text) == (texts["public_title"], texts["public_text"]):
            continue
        row.public_title, row.public_text = texts["public_title"], texts["public_text"]
        row.text_status = "klar"
        row.text_digest = digest(texts)
        row.text_version = (row.text_version or 0) + 1
        row.save()


class Migration(migrations.Migration):
    dependencies = [("events", "0002_event_public_texts")]

    operations = [migrations.RunPython(mirror_swedish, migrations.RunPython.noop)]
