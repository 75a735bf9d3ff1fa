"""The demo's rights information (the ``rights`` key of demo/<name>-public.yaml):
sections in order, Swedish first, then their translations with their status."""

from __future__ import annotations

from .models import RightsSection
from .services import rights_section_create, text_save
from .translation import TextStatus


def load_rights(*, municipality, data: dict, plan=None) -> None:
    if RightsSection.objects.filter(municipality=municipality).exists():
        return
    for entry in data.get("rights") or []:
        sv = entry["sv"]
        section = rights_section_create(municipality=municipality, by=None, heading=sv["heading"], text=sv["text"])
        for language, texts in entry.items():
            if language == "sv":
                continue
            texts = dict(texts)
            status = texts.pop("status", TextStatus.DONE)
            text_save(obj=section, municipality=municipality, language=language, texts=texts, by=None, status=status)
