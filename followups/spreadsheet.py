"""The coverage matrix as a spreadsheet (Swedish headers whatever the UI language)."""

from django.utils import translation

from lib.xlsx import Sheet, write_workbook
from plans.models import GoalResponsibility

from .selectors import Coverage


def export_coverage(matrix: Coverage) -> bytes:
    with translation.override("sv"):
        units = matrix.units
        grid = [
            [row.goal.code, row.goal.title, *[(c.count if c.responsible else "–") for c in row.cells]]
            for row in matrix.rows
        ]
        pairs = [
            [
                row.goal.code,
                row.goal.title,
                cell.unit.name,
                str(GoalResponsibility.Role(cell.role).label).capitalize(),
                cell.count,
                cell.assessment_label,
                "ja" if cell.gap else "nej",
            ]
            for row in matrix.rows
            for cell in row.cells
            if cell.responsible
        ]
    return write_workbook(
        [
            Sheet(
                title="Täckning",
                header=["Mål", "Rubrik", *[u.short_name for u in units]],
                rows=grid,
                widths=[8, 60, *([10] * len(units))],
            ),
            Sheet(
                title="Per enhet och mål",
                header=["Mål", "Rubrik", "Enhet", "Roll", "Antal aktiviteter", "Senaste bedömning", "Saknar aktivitet"],
                rows=pairs,
                widths=[8, 60, 36, 14, 10, 18, 10],
            ),
        ]
    )
