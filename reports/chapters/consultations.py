"""Consultations and feedback: the consultations held in the period, per
committee and year, and the views still waiting for feedback at the period's
end. Live data, read as of the period's end (or today, while the period runs):
a consultation held later is left out, feedback given later counts as not yet
given, and a view's days overdue are counted to that date.

A consultation organised by several committees is in each of their rows but
counted once in the totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Consultation, Feedback, View
from organisations.models import Municipality, OrgUnit
from reports.document import Document, Heading, Paragraph, Table

from .common import as_of, iso, long_date


@dataclass
class Row:
    name: str
    held: set[int] = field(default_factory=set)  # consultation ids
    views: int = 0
    in_time: int = 0
    late: int = 0
    overdue: int = 0


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass
class ViewState:
    view_id: int
    consultation_id: int
    unit_id: int | None
    decision_date: date
    state: str  # "in_time", "late", "overdue" or "" (not yet due)


def view_state(decided: date, status: str | None, given_on: date | None, *, days: int, on: date) -> str:
    """A view's state on a day: answered (in time or late) when final feedback was
    given by then; overdue when its decision is more than ``days`` past; else not yet due."""
    if status is not None and status != Feedback.Status.PREPARING and given_on is not None and given_on <= on:
        return "in_time" if given_on <= decided + timedelta(days=days) else "late"
    if decided + timedelta(days=days) < on:
        return "overdue"
    return ""


def add(doc: Document, *, municipality: Municipality, start: date, end: date, today: date) -> dict:
    days = municipality.feedback_days
    on = min(end, today)  # as of the period's end; while the period runs, as of today
    doc.add(Heading(1, _("Consultations and feedback")))
    doc.add(
        Paragraph(
            _(
                "Consultations held with Roma representatives, per committee and year, and whether the views raised "
                "were given feedback within %(days)d days of the decision."
            )
            % {"days": days}
        )
    )
    if on == end:
        doc.add(
            as_of(
                _(
                    "As of the end of the period (%(date)s): consultations held in the period; feedback counts as "
                    "given on its date, so feedback given after %(date)s counts as not yet given."
                )
                % {"date": long_date(end)}
            )
        )
    else:
        doc.add(
            as_of(
                _(
                    "As of %(date)s, the day the report was built: the period ends on %(end)s and these figures can "
                    "still change."
                )
                % {"date": long_date(on), "end": long_date(end)}
            )
        )
    held = list(
        Consultation.objects.filter(
            municipality=municipality, starts_at__gte=_start_of(start), starts_at__lt=_start_of(on + timedelta(days=1))
        )
        .prefetch_related(Prefetch("organisers", queryset=OrgUnit.objects.only("pk", "name")))
        .order_by("starts_at", "pk")
    )
    views = list(View.objects.filter(item__consultation__in=[c.pk for c in held]).values_list(
        "pk", "item__consultation_id", "item__responsible_unit_id", "item__responsible_unit__name",
        "item__decision_date", "feedback__status", "feedback__given_on", "feedback__pk", "feedback__version",
    ))  # fmt: skip
    forms = list(Consultation.Form.choices)
    by_pk = {c.pk: c for c in held}
    read = {
        "as_of": on.isoformat(),
        "feedback_days": days,  # the municipality's setting when the report was built
        "consultations": [[c.pk, c.version] for c in held],
        "views": [],
        # The committees as named when the report was built: organisers and those responsible for a view.
        "units": sorted(
            (
                {u.pk: u.name for c in held for u in c.organisers.all()}
                | {unit_id: name for _pk, _c, unit_id, name, *_rest in views if unit_id is not None}
            ).items()
        ),
    }
    states: list[tuple[ViewState, str]] = []
    for pk, consultation_id, unit_id, unit_name, decided, status, given_on, feedback_id, feedback_version in views:
        state = view_state(decided, status, given_on, days=days, on=on)
        states.append((ViewState(pk, consultation_id, unit_id, decided, state), unit_name or ""))
        # The agenda item is not versioned: its decision date and responsible unit, as counted.
        read["views"].append([pk, feedback_id, feedback_version, iso(decided), unit_id])

    for year in range(start.year, end.year + 1):
        in_year = [c for c in held if timezone.localdate(c.starts_at).year == year]
        doc.add(Heading(2, _("Consultations %(year)d") % {"year": year}))
        if not in_year:
            doc.add(Paragraph(_("No consultations were held."), style="note"))
            continue
        rows: dict[int | None, Row] = {}

        def row(unit_id: int | None, name: str, rows: dict[int | None, Row] = rows) -> Row:
            if unit_id not in rows:
                rows[unit_id] = Row(name=name or _("No responsible committee"))
            return rows[unit_id]

        for c in in_year:
            for unit in c.organisers.all():
                row(unit.pk, unit.name).held.add(c.pk)
        year_ids = {c.pk for c in in_year}
        total = Row(name=_("Total"), held=year_ids)
        for v, unit_name in states:
            if v.consultation_id not in year_ids:
                continue
            for r in (row(v.unit_id, unit_name), total):
                r.views += 1
                if v.state:
                    setattr(r, v.state, getattr(r, v.state) + 1)

        def form_cells(r: Row) -> list[str]:
            by_form = [sum(1 for pk in r.held if by_pk[pk].form == value) for value, _label in forms]
            return [r.name, *map(str, [len(r.held), *by_form])]

        def feedback_cells(r: Row) -> list[str]:
            due = r.in_time + r.late + r.overdue
            share = f"{round(100 * r.in_time / due)} %" if due else "–"
            return [r.name, *map(str, [r.views, r.in_time, r.late, r.overdue]), share]

        # Two tables of at most eight columns rather than one of twelve: both print at full size.
        ordered = [*sorted(rows.values(), key=lambda r: r.name), total]
        doc.add(
            Table(
                _("Consultations per committee and form, %(year)d") % {"year": year},
                [_("Committee or board"), _("Held"), *[str(label) for _value, label in forms]],
                [form_cells(r) for r in ordered],
                widths=[4, *[1] * (len(forms) + 1)],
                numeric=list(range(1, len(forms) + 2)),
            )
        )
        doc.add(
            Table(
                _("Views and feedback per committee, %(year)d") % {"year": year},
                [
                    _("Committee or board"),
                    _("Views"),
                    _("Feedback in time"),
                    _("Feedback late"),
                    _("Overdue"),
                    _("Share in time"),
                ],
                [feedback_cells(r) for r in ordered],
                widths=[4, 1, 1, 1, 1, 1],
                numeric=[1, 2, 3, 4, 5],
            )
        )
        if any(len(c.organisers.all()) > 1 for c in in_year):
            doc.add(
                Paragraph(
                    _(
                        "A consultation organised by several committees is counted in each of their rows, and once "
                        "in the total."
                    ),
                    style="note",
                )
            )
    _waiting(doc, municipality=municipality, on=on, read=read)
    return read


def _waiting(doc: Document, *, municipality: Municipality, on: date, read: dict) -> None:
    """Views without final feedback at ``on`` more than feedback_days after
    their decision, from consultations held up to then, with the days overdue at ``on``."""
    days = municipality.feedback_days
    candidates = (
        View.objects.filter(
            item__consultation__municipality=municipality,
            item__consultation__starts_at__lt=_start_of(on + timedelta(days=1)),
            item__decision_date__lt=on - timedelta(days=days),
        )
        .filter(Q(feedback__isnull=True) | Q(feedback__status=Feedback.Status.PREPARING) | Q(feedback__given_on__gt=on))
        .select_related("item__consultation", "item__responsible_unit", "feedback")
        .order_by("item__decision_date", "pk")
    )
    waiting = []
    for v in candidates:
        feedback = getattr(v, "feedback", None)
        state = view_state(
            v.item.decision_date,
            feedback.status if feedback else None,
            feedback.given_on if feedback else None,
            days=days,
            on=on,
        )
        if state == "overdue":
            waiting.append(v)
    read["waiting_views"] = [v.pk for v in waiting]
    read["waiting_decision_dates"] = [[v.pk, iso(v.item.decision_date)] for v in waiting]
    named = dict(read.get("units", [])) | {u.pk: u.name for v in waiting if (u := v.item.responsible_unit)}
    read["units"] = sorted(named.items())
    doc.add(Heading(2, _("Views waiting for feedback on %(date)s") % {"date": long_date(on)}))
    if not waiting:
        doc.add(Paragraph(_("No view was overdue."), style="note"))
        return
    doc.add(
        Table(
            _("Views without final feedback more than %(days)d days after the decision, on %(date)s")
            % {"days": days, "date": long_date(on)},
            [_("Consultation"), _("Question"), _("Responsible"), _("Decision date"), _("Days overdue")],
            [
                [
                    v.item.consultation.title,
                    v.item.question,
                    v.item.responsible_unit.name if v.item.responsible_unit else "",
                    iso(v.item.decision_date),
                    str((on - v.item.decision_date).days - days),
                ]
                for v in waiting
            ],
            widths=[4, 5, 3, 2, 1],
            numeric=[4],
        )
    )
