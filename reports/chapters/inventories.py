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


def add(
    doc: Document, *, plan: Plan, start: date, end: date, read_on: date, read: dict | None = None
) -> list[Inventory]:
    """The chapter; ``read`` gets, for the manifest, the live parts it printed
    (read on ``read_on``): each inventory's gaps (theme ids) and quotes (ids)."""
    read = read if read is not None else {}
    read["inventory_gaps"], read["inventory_quotes"] = [], []
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
                    "Survey answers: %(respondents)s. Dialogue meetings: %(meetings)d. Counts below %(k)d are "
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
        gap_rows = [t for t in results.themes if t.gap] if results.plan_shown else []
        shown_quotes = list({q.pk: q for t in results.themes for q in t.quotes}.values())[:5]
        read["inventory_gaps"].append([inventory.pk, [t.theme.pk for t in gap_rows]])
        read["inventory_quotes"].append([inventory.pk, [q.pk for q in shown_quotes]])
        if gap_rows or shown_quotes:
            # Frozen are the counts; the plan's goals and activities and the quotes are read as they are now.
            doc.add(
                Paragraph(
                    _(
                        "The needs without a goal or an activity, and the quotes, are as registered in Inkludera on "
                        "%(date)s."
                    )
                    % {"date": long_date(read_on)},
                    style="note",
                )
            )
        if gap_rows:
            doc.add(
                Paragraph(_("Needs with no goal in the plan, or no activity under its goals:"), style="note"),
                BulletList([t.theme.name for t in gap_rows]),
            )
        quotes = [q.text for q in shown_quotes]
        if quotes:
            doc.add(Paragraph(_("In the participants' words:"), style="note"))
            doc.add(*(Paragraph(f"”{q}”", style="quote") for q in dict.fromkeys(quotes)))
    return inventories
