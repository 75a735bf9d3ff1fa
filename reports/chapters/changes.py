"""Changes since the previous follow-up: what the committees' approved reports
in the latest chosen round say differently from the reports compared with, both
as approved (reports.sources). Goals and activities are matched by id and
assessments compared as codes (followups.selectors.report_changes); goals are
named by their code now."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.utils.translation import gettext as _

from followups.models import Assessment
from followups.selectors import report_changes
from reports.document import Document, Heading, Paragraph, Table
from reports.sources import Sources

# Better or worse: assessments ranked by their codes. "Not assessed" has no rank.
RANK = {Assessment.MET.value: 3, Assessment.PARTLY.value: 2, Assessment.NOT_MET.value: 1}
TEXTS = ("result", "challenges")  # changed texts are not repeated: the goals have the new ones


def tally_key(kind: str, before: str, after: str) -> str:
    if kind == "assessment":
        old, new = RANK.get(before, 0), RANK.get(after, 0)
        return "better" if old and new > old else "worse" if new and old > new else "other"
    if kind == "goal":  # a goal new in the committee's report: an assessment where there was none
        return "other"
    if kind == "status":
        return "status"
    return "gone" if kind == "gone" else "new"


def add(doc: Document, *, src: Sources, full: bool) -> dict:
    doc.add(Heading(1, _("Changes since the previous follow-up")))
    if not src.baseline:
        doc.add(Paragraph(_("There is no earlier approved follow-up to compare with."), style="note"))
        return {}
    latest = src.rounds[-1]
    doc.add(
        Paragraph(
            _(
                "What the committees' approved reports in %(latest)s say differently from %(previous)s: "
                "assessments, activities' status, and activities that are new or no longer reported."
            )
            % {"latest": latest.name, "previous": src.baseline_label}
        )
    )
    doc.add(
        Paragraph(
            _("Both as approved; goals are named by their code in the plan today."),
            style="note",
        )
    )
    before = {r.unit_id: src.content(r) for r in src.baseline}
    rows: list[list[str]] = []
    tally: dict[str, Counter] = defaultdict(Counter)
    for r in src.approved:
        if r.round_id != latest.pk or r.unit_id not in before:
            continue
        for change in report_changes(src.content(r), before[r.unit_id]):
            if change.kind in TEXTS:
                continue
            rows.append([r.unit.name, f"{change.what} {change.title}", change.field, change.before, change.after])
            tally[r.unit.name][tally_key(change.kind, change.before_code, change.after_code)] += 1
    if not rows:
        doc.add(Paragraph(_("Nothing has changed."), style="note"))
    elif full:
        doc.add(
            Table(
                _("Changes since %(previous)s") % {"previous": src.baseline_label},
                [_("Committee or board"), _("Goal or activity"), _("What"), _("Before"), _("Now")],
                rows,
                widths=[3, 5, 2, 2, 2],
            )
        )
    else:
        keys = ["better", "worse", "other", "status", "new", "gone"]
        doc.add(
            Table(
                _("Changes since %(previous)s, per committee") % {"previous": src.baseline_label},
                [
                    _("Committee or board"),
                    _("Goals assessed better"),
                    _("Goals assessed worse"),
                    _("Other changed assessments"),
                    _("Activities with a new status"),
                    _("New activities"),
                    _("Activities no longer reported"),
                ],
                [[name, *(str(c[k]) for k in keys)] for name, c in sorted(tally.items())],
                widths=[4, 2, 2, 2, 2, 2, 2],
                numeric=[1, 2, 3, 4, 5, 6],
            )
        )
    return {}
