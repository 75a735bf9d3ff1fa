"""A comparison of two plan versions as a report document (reports.document), for
the Word file a council decision is prepared from: per changed item a two-column
table, "Tidigare lydelse" (earlier wording) and "Ny lydelse" (new wording)."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reports.chapters.common import long_date
from reports.document import BulletList, Document, Heading, Paragraph, Table

from .models import Plan
from .versions import Comparison, GoalChange

WIDTHS = [1, 1]


def _two_columns(rows: list[list[str]]) -> Table:
    return Table(caption="", header=[_("Earlier wording"), _("New wording")], rows=rows, widths=WIDTHS)


def _goal_line(change: GoalChange) -> str:
    g = change.goal
    return f"{g.code} {g.title}".strip()


def _goal_blocks(change: GoalChange) -> list:
    blocks: list = [Heading(3, _goal_line(change))]
    marks = []
    if change.added:
        marks.append(_("Added"))
    if change.removed:
        marks.append(_("Removed"))
    if change.moved:
        marks.append(_("Moved"))
    if change.recoded:
        marks.append(_("New code"))
    if change.retitled:
        marks.append(_("New title"))
    if change.content_changed:
        marks.append(_("Changed"))
    blocks.append(Paragraph(", ".join(marks), style="note"))
    rows: list[list[str]] = []
    if change.added:
        new = change.new
        rows.append(["", "\n\n".join(t for t in (f"{new.code} {new.title}", new.description, new.guidance) if t)])
    elif change.removed:
        old = change.old
        rows.append(["\n\n".join(t for t in (f"{old.code} {old.title}", old.description, old.guidance) if t), ""])
    else:
        if change.recoded:
            rows.append([change.old.code, change.new.code])
        for text in change.texts:
            rows.append([text.old, text.new])
        if change.kind_changed:
            rows.append([change.old.kind, change.new.kind])
    if rows:
        blocks.append(_two_columns(rows))
    resp = change.responsibilities
    if resp:
        items = [_("Added: %(name)s (%(role)s)") % {"name": n, "role": r} for n, r in resp.added]
        items += [_("Removed: %(name)s (%(role)s)") % {"name": n, "role": r} for n, r in resp.removed]
        items += [f"{n}: {a} → {b}" for n, a, b in resp.role_changed]
        blocks.append(Paragraph(_("Responsibilities"), label=""))
        blocks.append(BulletList(items))
    blocks += _causes(getattr(change, "causes", ()))
    return blocks


def _causes(causes) -> list:
    """The remiss comments behind a change (set by the view: remiss.selectors.causes_of_changes)."""
    if not causes:
        return []
    return [
        Paragraph(_("Caused by remiss comments:"), label=""),
        BulletList([f"{c.body}: {c.excerpt}" for c in causes]),
    ]


def comparison_document(old: Plan, new: Plan, comparison: Comparison) -> Document:
    with translation.override("sv"):
        doc = Document(
            title=_("Version %(old)d compared with version %(new)d") % {"old": old.version, "new": new.version},
            subtitle=new.title,
            municipality=new.municipality.name,
            date=long_date(timezone.localdate()),
            facts=[
                (_("Earlier version"), f"{old.version} ({old.get_status_display()})"),
                (_("Later version"), f"{new.version} ({new.get_status_display()})"),
                *([(_("Reference number (dnr)"), new.dnr)] if new.dnr else []),
            ],
        )
        if not comparison.has_changes:
            doc.add(Paragraph(_("The versions do not differ.")))
            return doc
        if comparison.plan_texts or comparison.validity:
            doc.add(Heading(2, _("The plan")))
            names = {"title": _("Title"), "overall_goal": _("Overall goal"), "description": _("Description")}
            rows = [[f"{names[t.field]}: {t.old}", f"{names[t.field]}: {t.new}"] for t in comparison.plan_texts]
            if comparison.validity:
                period = _("Period")
                rows.append([f"{period}: {comparison.validity[0]}", f"{period}: {comparison.validity[1]}"])
            doc.add(_two_columns(rows))
            doc.add(*_causes(getattr(comparison, "plan_causes", ())))
        if comparison.changed_goals:
            doc.add(Heading(2, _("Goals")))
            for change in comparison.changed_goals:
                doc.add(*_goal_blocks(change))
    return doc
