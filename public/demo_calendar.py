"""The demo's calendar texts (the ``calendar`` key of demo/<name>-public.yaml):
translations of the public events' texts, matched by the event's Swedish
title. The Swedish texts are the events' own (events.services keep the ``sv``
row equal to title and description); only translations are loaded here."""

from __future__ import annotations

from events.models import Event

from .services import text_save
from .translation import TextStatus


def load_calendar(*, municipality, data: dict, plan=None) -> None:
    for entry in (data.get("calendar") or {}).get("events") or []:
        events = Event.objects.filter(municipality=municipality, title=entry["title"])
        for event in events:
            for language, texts in entry.items():
                if language in ("title", "sv"):
                    continue
                texts = dict(texts)
                status = texts.pop("status", TextStatus.DONE)
                text_save(obj=event, municipality=municipality, language=language, texts=texts, by=None, status=status)
