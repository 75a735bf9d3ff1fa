"""The rights page: the municipality's sections, in order, as a reader of the
page's language sees them. Two queries, however many sections."""

from __future__ import annotations

from dataclasses import dataclass

from public.models import RightsSection
from public.site import PublicContext
from public.texts import Shown, shown


@dataclass(frozen=True)
class RightsText:
    heading: Shown | None
    text: Shown | None


def rights_sections(public: PublicContext) -> list[RightsText]:
    """The sections with a Swedish heading or text; nothing of another municipality."""
    sections = RightsSection.objects.filter(municipality=public.municipality).prefetch_related("translations")
    listed = [
        RightsText(shown(section, "heading", public.language), shown(section, "text", public.language))
        for section in sections
    ]
    return [section for section in listed if section.heading or section.text]
