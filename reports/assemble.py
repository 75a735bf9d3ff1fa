"""Assembling reports into the document model (reports.document).

The council report is put together from its chapters (reports.chapters, one
module each, with explicit inputs). What the committees said is read from
their **approved** reports' frozen snapshots only (reports.sources: each read
once, goals matched by id), never from live rows, so an edit after approval
never changes a report and one document never holds two versions of the same
activity. A needs inventory is included only when it is published, its results
are finalised (frozen) and its period overlaps the report's. Indicators and
consultations are live data, read as of the period's end. Every chapter says
which moment it shows, and the build keeps a manifest of everything it read
(ids, versions, approval times, snapshot schema versions), so two builds that
differ can be explained.

Every read is a fixed number of queries, however many goals, activities and
reports there are (tested): activities come with the snapshots.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from followups.models import UnitReport
from followups.selectors import previous_approved, report_changes, report_content
from plans.models import Plan

from .chapters import changes, consultations, framing, funding, goals, indicators, inventories
from .chapters import events as events_chapter
from .chapters import outreach as outreach_chapter
from .chapters.common import iso, long_date, paragraphs
from .chapters.inventories import inventory_period, report_inventories
from .document import Document, Heading, Paragraph, Table
from .models import CouncilReport
from .sources import Sources, council_sources

__all__ = [
    "Sources",
    "council_document",
    "council_sources",
    "inventory_period",
    "report_inventories",
    "unit_document",
]

Progress = Callable[[int, str], None]

# The manifest's format (Build.sources): 4 adds the outreach read (``outreach``,
# ``outreach_as_of``, ``outreach_k``), 3 the events read (``events``,
# ``events_as_of``, ``events_k``), 2 lists every datum read, 1 (before issue 13)
# only the reports and inventories.
MANIFEST_VERSION = 4


# --- The council report --------------------------------------------------------------


def council_document(report: CouncilReport, *, progress: Progress | None = None) -> tuple[Document, dict]:
    """The council report as a document, and the manifest of what it was built from."""
    step = progress or (lambda _percent, _text: None)
    with translation.override("sv"):
        return _council_document(report, step)


def _council_document(report: CouncilReport, step: Progress) -> tuple[Document, dict]:
    plan = Plan.objects.select_related("municipality").get(pk=report.plan_id)
    municipality = plan.municipality
    src = council_sources(report)
    period_start, period_end = src.rounds[0].period_start, src.rounds[-1].period_end
    read_at = timezone.now()
    today = timezone.localdate(read_at)
    full = report.detail == CouncilReport.Detail.FULL

    doc = Document(
        title=report.title,
        subtitle=_("Follow-up report to the municipal council"),
        municipality=municipality.name,
        date=long_date(today),
        facts=framing.facts(plan=plan, src=src),
    )
    step(15, _("Reading the approved reports"))
    framing.add_summary(doc, text=report.summary)
    framing.add_about(doc, plan=plan, src=src, built_on=today)
    step(25, _("Goals and assessments"))
    read_goals = goals.add(doc, src=src, full=full)
    step(45, _("Indicators"))
    read_indicators = indicators.add(
        doc, plan=plan, until=period_end, read_at=read_at, charts=full,
        codes={pk: code for pk, (code, _title) in src.goals.items()},
    )  # fmt: skip
    step(55, _("Consultations"))
    read_consultations = consultations.add(
        doc, municipality=municipality, start=period_start, end=period_end, today=today
    )
    read_events = events_chapter.add(
        doc, municipality=municipality, start=period_start, end=period_end, today=today,
        codes={pk: code for pk, (code, _title) in src.goals.items()},
    )  # fmt: skip
    read_outreach = outreach_chapter.add(
        doc, municipality=municipality, start=period_start, end=period_end, today=today
    )
    read_inventories: dict = {}
    shown = inventories.add(doc, plan=plan, start=period_start, end=period_end, read_on=today, read=read_inventories)
    read_funding = funding.add(doc, src=src, full=full)
    changes.add(doc, src=src, full=full)
    framing.add_closing(doc, analysis=report.analysis, conclusions=report.conclusions)

    read_reports = src.as_json()
    sources = {
        "manifest": MANIFEST_VERSION,
        "read_at": read_at.isoformat(),
        "report_version": report.version,
        "municipality": municipality.name,
        "plan_title": plan.title,
        "plan_overall_goal": plan.overall_goal,
        **read_reports,
        **read_goals,
        # Every committee named in the document, as named when it was built.
        "units": sorted((dict(read_reports["units"]) | dict(read_consultations["units"])).items()),
        "feedback_days": read_consultations["feedback_days"],
        "indicators": read_indicators["indicators"],
        "measurements": read_indicators["measurements"],
        "indicator_assessments": read_indicators.get("indicator_assessments", []),
        "consultations_as_of": read_consultations["as_of"],
        "consultations": read_consultations["consultations"],
        "views": read_consultations["views"],
        "waiting_views": read_consultations["waiting_views"],
        "waiting_decision_dates": read_consultations["waiting_decision_dates"],
        "inventories": [[i.pk, iso(i.finalised_on)] for i in shown],
        **read_events,
        **read_outreach,
        **read_inventories,
        **read_funding,
    }
    return doc, sources


# --- One committee's report in a round -----------------------------------------------


def unit_document(report: UnitReport) -> Document:
    """One committee's report in one round, for its own meeting: approved
    reports from their snapshot, others from the live rows, marked as drafts."""
    with translation.override("sv"):
        rnd = report.round
        content = report_content(report)
        approved = report.status == UnitReport.Status.APPROVED
        doc = Document(
            title=f"{report.unit.name}: {rnd.name}",
            subtitle=_("Follow-up of %(plan)s") % {"plan": rnd.plan.title},
            municipality=report.unit.municipality.name,
            date=long_date(timezone.localdate()),
            facts=[
                (_("Plan"), rnd.plan.title),
                (pgettext("the time a report covers", "Period"), framing.period_text(rnd.period_start, rnd.period_end)),
                (_("Status"), str(report.get_status_display())),
                *([(_("Approved"), long_date(report.approved_at))] if report.approved_at else []),
            ],
            draft_mark="" if approved else _("Draft – not approved"),
        )
        doc.add(Heading(1, _("Overall comment")))
        doc.add(*(paragraphs(content.summary) or [Paragraph(_("No overall comment."), style="note")]))
        doc.add(Heading(1, _("Goals")))
        for e in content.entries:
            doc.add(Heading(2, f"{e.code} {e.title}"))
            doc.add(Paragraph(e.assessment_label, label=_("Assessment:")))
            doc.add(Paragraph(e.result or "–", label=_("Results:")))
            doc.add(Paragraph(e.challenges or "–", label=_("Challenges:")))
            for question, answer in e.extra:
                doc.add(Paragraph(answer or "–", label=f"{question}:"))
        doc.add(Heading(1, _("Activities")))
        if content.activities:
            doc.add(
                Table(
                    _("The committee's activities in the period"),
                    [_("Reference"), _("Activity"), _("Goals"), _("Status"), _("Comment")],
                    [[a.reference, a.title, ", ".join(a.goals), a.status, a.comment] for a in content.activities],
                    widths=[2, 5, 2, 2, 5],
                )
            )
        else:
            doc.add(Paragraph(_("No activities in the period."), style="note"))
        previous = previous_approved(report)
        doc.add(Heading(1, _("Changes since the previous follow-up")))
        changed = report_changes(content, report_content(previous)) if previous else []
        if not previous:
            doc.add(Paragraph(_("There is no earlier approved follow-up to compare with."), style="note"))
        elif not changed:
            doc.add(Paragraph(_("Nothing has changed."), style="note"))
        else:
            doc.add(
                Table(
                    _("Changes since %(previous)s") % {"previous": previous.round.name},
                    [_("Goal or activity"), _("What"), _("Before"), _("Now")],
                    [[f"{c.what} {c.title}", c.field, c.before, c.after] for c in changed],
                    widths=[4, 2, 4, 4],
                )
            )
        return doc
