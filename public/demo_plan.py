"""The demo's plan pages (the ``activity_texts`` and ``public_notes`` keys of
demo/<name>-public.yaml): public texts of the public activities and the
progress notes the municipality marks public."""

from __future__ import annotations

from activities.models import Activity, ProgressNote

from .services import text_save
from .translation import TextStatus


def load_plan_texts(*, municipality, data: dict, plan=None) -> None:
    entries = data.get("activity_texts") or []
    notes = data.get("public_notes") or []
    if not entries and not notes:
        return
    public = Activity.objects.filter(municipality=municipality, visibility=Activity.Visibility.PUBLIC)
    by_title = {activity.title: activity for activity in public}
    written = set()
    for entry in entries:
        activity = by_title[entry["activity"]]
        for language in sorted((k for k in entry if k != "activity"), key=lambda tag: tag != "sv"):
            texts = dict(entry[language])
            status = texts.pop("status", TextStatus.DONE)
            text_save(obj=activity, municipality=municipality, language=language, texts=texts, by=None, status=status)
        written.add(activity.pk)
    # The others: their own title and description, as copied in when made public.
    for activity in by_title.values():
        if activity.pk not in written:
            texts = {"public_title": activity.title, "public_text": activity.description}
            text_save(obj=activity, municipality=municipality, language="sv", texts=texts, by=None)
    for note in notes:
        ProgressNote.objects.filter(activity=by_title[note["activity"]], date=note["date"]).update(public=True)
