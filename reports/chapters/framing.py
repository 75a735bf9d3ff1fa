"""The council report's frame: the title page's facts, the coordinator's
summary, "about the report" (what it is built from and as of when), and the
coordinator's analysis and conclusions."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from followups.models import UnitReport
from plans.models import Plan
from reports.document import BulletList, Document, Heading, Paragraph
from reports.sources import Sources

from .common import long_date, paragraphs


def period_text(start: date, end: date) -> str:
    return f"{long_date(start)} – {long_date(end)}"


def facts(*, plan: Plan, src: Sources) -> list[tuple[str, str]]:
    units = {r.unit_id for r in src.approved}
    return [
        (_("Plan"), plan.title),
        (
            pgettext("the time a report covers", "Period"),
            period_text(src.rounds[0].period_start, src.rounds[-1].period_end),
        ),
        (_("Follow-ups"), ", ".join(r.name for r in src.rounds)),
        (
            _("Built from"),
            _("%(reports)d approved reports from %(units)d committees and boards")
            % {"reports": len(src.approved), "units": len(units)},
        ),
    ]


def add_summary(doc: Document, *, text: str) -> dict:
    doc.add(Heading(1, _("Summary")))
    doc.add(*(paragraphs(text) or [Paragraph(_("The summary has not been written."), style="note")]))
    return {}


def add_about(doc: Document, *, plan: Plan, src: Sources, built_on: date) -> dict:
    start, end = src.rounds[0].period_start, src.rounds[-1].period_end
    doc.add(Heading(1, _("About the report")))
    if plan.overall_goal:
        doc.add(Paragraph(plan.overall_goal, label=_("The plan's overall goal:"), style="lead"))
    doc.add(
        Paragraph(
            _(
                "The report follows up %(plan)s for %(period)s. What the committees and boards report is taken "
                "from their approved follow-up reports, as they were when approved. Needs inventories are included "
                "with their finalised results, when published for the period. Indicators and consultations are as "
                "of the end of the period, as registered on %(today)s. Each chapter says which moment it shows."
            )
            % {"plan": plan.title, "period": period_text(start, end), "today": long_date(built_on)}
        )
    )
    missing: list[UnitReport] = src.missing
    if missing:
        doc.add(
            Paragraph(
                _("These reports were not approved when the report was built and are not included:"), style="note"
            ),
            BulletList([f"{r.round.name}: {r.unit.name} ({r.get_status_display()})" for r in missing]),
        )
    return {}


def add_closing(doc: Document, *, analysis: str, conclusions: str) -> dict:
    doc.add(Heading(1, _("Analysis")))
    doc.add(*(paragraphs(analysis) or [Paragraph(_("The analysis has not been written."), style="note")]))
    doc.add(Heading(1, _("Conclusions and next steps")))
    doc.add(*(paragraphs(conclusions) or [Paragraph(_("The conclusions have not been written."), style="note")]))
    return {}
