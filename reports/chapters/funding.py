"""Activities on temporary funding: as the committees' latest approved reports
in the chosen rounds froze them (reports.sources), so an activity has the same
title and status here as in the goal chapters. A report approved before the
funding was frozen with it (snapshot schema 1) has its activities' funding
read from the activity as registered today; the chapter says so."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from activities.models import TEMPORARY_FUNDING, Activity, Funding
from reports.document import Document, Heading, Paragraph, Table
from reports.sources import Sources

from .common import as_of, iso
from .goals import approved_as_of


@dataclass
class Funded:
    reference: str
    title: str
    unit: str
    funding: str
    ends: date | None
    status: str


def add(doc: Document, *, src: Sources, full: bool) -> dict:
    doc.add(Heading(1, _("Activities on temporary funding")))
    latest = list(src.latest_by_unit().values())
    unknown = {a.activity_id for _r, c in latest for a in c.activities if a.funding is None and a.activity_id}
    live = {
        pk: (funding, ends)
        for pk, funding, ends in Activity.objects.filter(pk__in=unknown).values_list("pk", "funding", "funding_ends")
    }  # only for snapshots of schema 1
    acts: list[Funded] = []
    for r, content in latest:
        for a in content.activities:
            funding, ends = (
                (a.funding, a.funding_ends) if a.funding is not None else live.get(a.activity_id, (None, None))
            )
            if funding in TEMPORARY_FUNDING:
                acts.append(Funded(a.reference, a.title, src.reporter(r), funding, ends, a.status))
    acts.sort(key=lambda f: (f.ends is None, f.ends or date.max, f.reference))
    read = {"activities_funding_read_live": sorted(live)}
    if not acts:
        doc.add(
            Paragraph(_("No activity in the committees' approved reports runs on temporary funding."), style="note")
        )
        return read
    doc.add(
        Paragraph(
            _(
                "Activities that rest on state grants or other temporary money: the work stops when it ends unless "
                "it moves to the ordinary budget."
            )
        )
    )
    doc.add(as_of(approved_as_of(src)))
    if live:
        doc.add(
            Paragraph(
                _(
                    "For reports approved before the funding was recorded with them, the funding is as registered "
                    "on the activity when the report was built."
                ),
                style="note",
            )
        )
    labels = dict(Funding.choices)
    if full:
        doc.add(
            Table(
                _("Activities on temporary funding"),
                [_("Reference"), _("Activity"), _("Committee or board"), _("Funding"), _("Funding ends"), _("Status")],
                [[f.reference, f.title, f.unit, str(labels[f.funding]), iso(f.ends), f.status] for f in acts],
                widths=[2, 5, 3, 2, 2, 2],
            )
        )
        return read
    years = sorted({f.ends.year for f in acts if f.ends})
    counts: dict[str, Counter] = defaultdict(Counter)
    for f in acts:
        counts[f.unit][f.ends.year if f.ends else None] += 1
    doc.add(
        Table(
            _("Activities on temporary funding per committee, by the year the funding ends"),
            [_("Committee or board"), *map(str, years), _("No end date"), _("Total")],
            [
                [name, *(str(c[y]) for y in years), str(c[None]), str(sum(c.values()))]
                for name, c in sorted(counts.items())
            ],
            widths=[4, *[1] * (len(years) + 2)],
            numeric=list(range(1, len(years) + 3)),
        )
    )
    return read
