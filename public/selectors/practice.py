"""Practice examples on the public site (docs/practice.md, "On the public site").

An example is on a municipality's public site when that municipality entered it
(``PracticeExample.municipality``), has shared it with every municipality
(``is_published``) and its coordinator has chosen to show it there
(``on_public_site``, practice.services.example_show_publicly, a confirmation page).
Another municipality's example, shared or not, is never on this site: 404 under
this kommunkod.

What is shown: the title, who did the work, the period, the rights areas, the
kinds of goal, the target groups, what was done, förutsättningar, tips, results,
the contact and the sources (an address alone on its line is a link). Never shown:
who entered it or changed it, when it was shared, which municipalities took it up
(their draft activities are internal to them: not even a count), the audit history.

Texts are shown with personal identity numbers, phone numbers and e-mail addresses
replaced by markers (lib.personal_data), and so are the names of the
municipality's staff and of the representatives who may not be named
(consultations.services.names_not_to_publish), whatever the texts hold.

The texts are the municipality's Swedish, never translated: each is a ``Shown`` in
Swedish, so a page in another language marks it ``lang="sv"`` and says so once.
The rights areas, kinds of goal and target groups are the system's labels, in the
page's language. Each function takes a fixed number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from lib.languages import SWEDISH
from lib.personal_data import names_pattern as personal_names_pattern
from lib.personal_data import remove_personal_details_and_names
from plans.models import RightsArea
from practice.models import PracticeExample
from public.site import PublicContext
from public.texts import Shown

AREAS = Prefetch("rights_areas", queryset=RightsArea.objects.order_by("position"))
LINK = re.compile(r"https?://\S+")

# The texts of an example as the public page shows them: (field, label on the
# coordinator's confirmation page).
TEXT_FIELDS = (
    ("title", _("title")),
    ("organisation", _("municipality or organisation")),
    ("period", _("period")),
    ("summary", _("what was done")),
    ("prerequisites", _("prerequisites")),
    ("tips", _("tips")),
    ("results", _("results")),
    ("contact", _("contact")),
    ("sources", _("sources and links")),
)


def public_examples(municipality) -> QuerySet[PracticeExample]:
    """The examples on the municipality's public site: its own, shared and shown there."""
    return PracticeExample.objects.filter(municipality=municipality, is_published=True, on_public_site=True)


def names_pattern(municipality_id: int) -> re.Pattern | None:
    """The names no public text of the municipality's examples may hold (also in the
    genitive): its staff and the representatives who have not agreed to be named. One query."""
    from consultations.services import names_not_to_publish

    return personal_names_pattern(names_not_to_publish(municipality_id))


@dataclass(frozen=True)
class Source:
    text: Shown
    href: str = ""  # a link only for an address alone on its line, unchanged by the cleaning


@dataclass
class PublicExample:
    pk: int
    title: Shown
    organisation: Shown | None
    period: Shown | None
    areas: list[str]
    goal_kinds: list[str]
    target_groups: list[str]
    summary: Shown | None = None
    prerequisites: Shown | None = None
    tips: Shown | None = None
    results: Shown | None = None
    contact: Shown | None = None
    sources: list[Source] = field(default_factory=list)
    # The labels of the texts in which something was replaced by a marker: for the
    # coordinator's confirmation page only, never on the public page.
    masked: list[str] = field(default_factory=list)

    @property
    def texts(self) -> list[Shown | None]:
        return [
            self.title, self.organisation, self.period, self.summary, self.prerequisites, self.tips, self.results,
            self.contact, *[s.text for s in self.sources],
        ]  # fmt: skip


def _shown(text: str, language: str) -> Shown | None:
    return Shown(text, SWEDISH, in_swedish=language != SWEDISH) if text else None


def public_example(example: PracticeExample, language: str, names: re.Pattern | None, *, full: bool) -> PublicExample:
    """What the public pages show of ``example`` (the module's rules); ``full`` for
    its own page, else the list's fields. No query of its own (the rights areas prefetched)."""
    cleaned: dict[str, str] = {}
    masked: list[str] = []
    for name, label in TEXT_FIELDS if full else TEXT_FIELDS[:3]:
        original = (getattr(example, name) or "").strip()
        cleaned[name] = remove_personal_details_and_names(original, names)
        if cleaned[name] != original:
            masked.append(str(label))
    page = PublicExample(
        pk=example.pk,
        title=_shown(cleaned["title"], language),
        organisation=_shown(cleaned["organisation"], language),
        period=_shown(cleaned["period"], language),
        areas=[area.name for area in example.rights_areas.all()],
        goal_kinds=example.goal_kind_labels(),
        target_groups=example.target_group_labels(),
        masked=masked,
    )
    if full:
        for name in ("summary", "prerequisites", "tips", "results", "contact"):
            setattr(page, name, _shown(cleaned[name], language))
        for line in cleaned["sources"].splitlines():
            line = line.strip()
            if line:
                href = line if LINK.fullmatch(line) and line in example.sources else ""
                page.sources.append(Source(_shown(line, language), href))
    return page


@dataclass
class ExampleList:
    examples: list[PublicExample]
    areas: list[tuple[str, str]]  # (code, label) of the rights areas the shown examples have, for the filter
    area: str  # the rights area chosen, or ""

    def texts(self) -> list[Shown | None]:
        return [t for e in self.examples for t in (e.title, e.organisation, e.period)]

    @property
    def area_label(self) -> str:
        return str(RightsArea.Code(self.area).label) if self.area else ""


def example_list(public: PublicContext, area: str = "") -> ExampleList:
    """The municipality's public examples, by title; only those of rights area
    ``area`` when it is one. Four queries, however many."""
    area = area if area in RightsArea.Code.values else ""
    qs = public_examples(public.municipality)
    areas = [
        (code, str(RightsArea.Code(code).label))
        for code in RightsArea.objects.filter(practice_examples__in=qs)
        .distinct()
        .order_by("position")
        .values_list("code", flat=True)
    ]
    if area:
        qs = qs.filter(rights_areas=area)
    examples = qs.prefetch_related(AREAS).order_by("title", "pk")
    names = names_pattern(public.municipality.pk)
    return ExampleList(
        examples=[public_example(e, public.language, names, full=False) for e in examples], areas=areas, area=area
    )


def example_page(public: PublicContext, pk: int) -> PublicExample:
    """One public example of the municipality in the address, or 404. Three queries."""
    example = public_examples(public.municipality).prefetch_related(AREAS).filter(pk=pk).first()
    if example is None:
        raise Http404
    return public_example(example, public.language, names_pattern(public.municipality.pk), full=True)


def example_preview(example: PracticeExample) -> PublicExample:
    """The example as its public page would show it, for the coordinator's confirmation page."""
    return public_example(example, SWEDISH, names_pattern(example.municipality_id), full=True)


def object_pages(public: PublicContext) -> list[tuple[str, int]]:
    """The walk's example pages (public.walk.OBJECT_PAGES)."""
    return [("example", pk) for pk in public_examples(public.municipality).values_list("pk", flat=True)]
