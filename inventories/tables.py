"""The inventory's results as tables: the same tables on the page, in the
XLSX and CSV downloads and on the public page (lib.result_tables)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lib.barchart import BarChart, bar_chart
from lib.result_tables import ResultTable
from lib.suppression import Table2D

from .selectors import ANSWERS, MEETINGS, InventoryResults


def _cross(title: str, corner: str, table: Table2D, rows, cols) -> ResultTable:
    """A suppressed cross table with its totals: rows [(key, label)], cols [(key, label)]."""
    out = ResultTable(title=title, header=[corner, *[label for _k, label in cols], _("Total")])
    for key, label in rows:
        out.rows.append([label, *[table.cells[key, c] for c, _l in cols], table.row_totals[key]])
    out.rows.append([_("Total"), *[table.col_totals[c] for c, _l in cols], table.grand_total])
    return out


def theme_table(results: InventoryResults) -> ResultTable:
    table = ResultTable(
        title=_("Themes"),
        header=[_("Theme"), _("Survey answers"), _("Dialogue meetings where it came up")],
    )
    for row in results.themes:
        table.rows.append([row.theme.name, row.answers, row.meetings])
    return table


def age_table(results: InventoryResults) -> ResultTable:
    cols = [(ANSWERS, _("Survey answers")), (MEETINGS, _("Dialogue meeting participants"))]
    return _cross(_("Age groups"), _("Age group"), results.age, results.age_groups, cols)


def theme_age_table(results: InventoryResults) -> ResultTable:
    rows = [(row.theme.pk, row.theme.name) for row in results.themes]
    return _cross(_("Themes by age group"), _("Theme"), results.theme_age, rows, results.age_groups)


def result_tables(results: InventoryResults) -> list[ResultTable]:
    return [theme_table(results), age_table(results), theme_age_table(results)]


def result_charts(results: InventoryResults) -> tuple[BarChart, BarChart]:
    """Survey answers per theme, and everyone reached (answers and participants) per age group."""
    themes = bar_chart(
        "themes",
        _("Survey answers per theme (counts below %(k)d hidden)") % {"k": results.k},
        [(row.theme.name, row.answers) for row in results.themes],
    )
    ages = bar_chart(
        "ages",
        _("People reached per age group (counts below %(k)d hidden)") % {"k": results.k},
        [(label, results.age.row_totals[key]) for key, label in results.age_groups],
    )
    return themes, ages
