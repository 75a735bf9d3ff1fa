"""Needs inventories: only published inventories of the plan whose results are
finalised (frozen) and whose period overlaps the report's; results that still
move with each answer never reach a report. Each says the day its results were
finalised."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from inventories.models import Inventory
from inventories.selectors import inventory_results
from inventories.tables import result_tables
from plans.models import Plan
from reports.document import BulletList, Document, Heading, Paragraph, Table

from .common import long_date


def inventory_period(inventory: Inventory) -> tuple[date, date] | None:
    """The days an inventory covers: from its start to its end; a missing end is
    the day its results were finalised, a missing start its end. None when it
    has neither and is not finalised."""
    end = inventory.ends_on or inventory.finalised_on
    start = inventory.starts_on or end
    if start is None or end is None:
        return None
    return start, max(start, end)


def report_inventories(plan: Plan, start: date, end: date) -> list[Inventory]:
    """The needs inventories a council report on the plan for start–end shows:
    linked to the plan, published, with finalised results, and covering part of
    the period. One query."""
    found = []
    for inventory in Inventory.objects.filter(plan=plan, published=True).select_related("municipality"):
        period = inventory_period(inventory)
        if inventory.results_are_public() and period and period[0] <= end and period[1] >= start:
            found.append(inventory)
    return sorted(found, key=lambda i: (inventory_period(i)[0], i.pk))


def add(doc: Document, *, plan: Plan, start: date, end: date) -> list[Inventory]:
    doc.add(Heading(1, _("Needs inventories")))
    inventories = report_inventories(plan, start, end)
    if not inventories:
        doc.add(
            Paragraph(
                _("No needs inventory of the plan has published, finalised results for the period."), style="note"
            )
        )
        return []
    for inventory in inventories:
        results = inventory_results(inventory, public=True)
        doc.add(Heading(2, inventory.name))
        if inventory.purpose:
            doc.add(Paragraph(inventory.purpose))
        doc.add(
            Paragraph(_("Results finalised on %(date)s.") % {"date": long_date(inventory.finalised_on)}, style="note")
        )
        doc.add(
            Paragraph(
                _(
                    "%(respondents)s survey answers and %(meetings)d dialogue meetings. Counts below %(k)d are "
                    "hidden, as in every result from the system."
                )
                % {"respondents": results.respondents, "meetings": results.meetings, "k": results.k},
                style="note",
            )
        )
        for table in result_tables(results):
            doc.add(
                Table(
                    table.title,
                    [str(h) for h in table.header],
                    [[str(v) for v in row] for row in table.rows],
                    widths=[4, *[1] * (len(table.header) - 1)],
                    numeric=list(range(1, len(table.header))),
                )
            )
        if results.plan_shown:
            gaps = [t.theme.name for t in results.themes if t.gap]
            if gaps:
                doc.add(
                    Paragraph(_("Needs with no goal in the plan, or no activity under its goals:"), style="note"),
                    BulletList(gaps),
                )
        quotes = [q.text for t in results.themes for q in t.quotes][:5]
        if quotes:
            doc.add(Paragraph(_("In the participants' words:"), style="note"))
            doc.add(*(Paragraph(f"”{q}”", style="quote") for q in dict.fromkeys(quotes)))
    return inventories
