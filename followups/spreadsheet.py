"""Follow-up as spreadsheets: the coverage matrix, and a round's answers
(Swedish headers and labels whatever the UI language)."""

from django.db.models import prefetch_related_objects
from django.utils import timezone, translation

from lib.xlsx import Sheet, write_workbook
from plans.models import GoalResponsibility, StatusSummary

from .models import Assessment, Round, UnitReport
from .selectors import Coverage, ReportContent, plan_goals, report_content


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


YES, NO = "ja", "nej"


def round_contents(rnd: Round) -> list[tuple[UnitReport, ReportContent]]:
    """Each of the round's reports, by unit name, with what it says: an approved
    report from its frozen snapshot (no query: the plan's goals are read once),
    any other from the live rows (report_content: four queries per such report).
    Three queries besides."""
    prefetch_related_objects([rnd], "fields")  # report_content reads report.round.fields
    reports = list(rnd.reports.select_related("unit").order_by("unit__name", "pk"))
    goals = plan_goals(rnd.plan_id)
    out = []
    for report in reports:
        report.round = rnd
        out.append((report, report_content(report, goals=goals)))
    return out


def export_round(rnd: Round) -> bytes:
    """The round's answers per goal and its activity updates, one row per unit and goal
    (or activity). Labels are made from the stored codes, in Swedish whoever approved
    the report in whichever language."""
    contents = round_contents(rnd)
    code = rnd.municipality.code
    with translation.override("sv"):
        fields = list(rnd.fields.all())
        assessments = {value: str(label) for value, label in Assessment.choices}
        summaries = {value: str(label) for value, label in StatusSummary.choices}
        entry_rows, activity_rows = [], []
        for report, content in contents:
            who = [
                code,
                report.unit.name,
                str(report.get_status_display()),
                YES if report.status == UnitReport.Status.APPROVED else NO,
                timezone.localdate(report.approved_at) if report.approved_at else None,
            ]
            for e in content.entries:
                answers = [answer for _question, answer in e.extra]
                entry_rows.append(
                    [
                        *who,
                        e.code,
                        e.title,
                        assessments.get(e.assessment, e.assessment),
                        e.result,
                        e.challenges,
                        *[answers[i] if i < len(answers) else "" for i in range(len(fields))],
                    ]
                )
            for a in content.activities:
                activity_rows.append(
                    [
                        *who,
                        a.reference,
                        a.title,
                        a.status,
                        summaries.get(a.summary, a.summary),
                        a.comment,
                        "; ".join(a.goals),
                    ]
                )
    who_header = ["Kommunkod", "Enhet", "Rapportstatus", "Godkänd", "Godkänd den"]
    return write_workbook(
        [
            Sheet(
                title="Svar per mål",
                header=[*who_header, "Mål", "Rubrik", "Bedömning", "Resultat", "Utmaningar"]
                + [f.label for f in fields],  # one column per extra question
                rows=entry_rows,
                widths=[10, 36, 14, 10, 12, 8, 50, 16, 60, 60, *([30] * len(fields))],
            ),
            Sheet(
                title="Aktiviteter",
                header=[*who_header, "Referens", "Titel", "Status", "Statussammanfattning", "Kommentar", "Mål"],
                rows=activity_rows,
                widths=[10, 36, 14, 10, 12, 14, 50, 18, 22, 60, 14],
            ),
        ]
    )
