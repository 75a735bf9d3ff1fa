"""Events held in the period (8 April, cultural evenings, competitions): how
many of each kind, participants, and the plan's goals they served. Live data,
read as of the period's end (or today, while the period runs).

The council report is a public document: participant counts are protected as
on the public pages (events.selectors.participants, exact=False, with the
municipality's k). A total below k reads "hidden"; the sums per kind add up
only the counts shown, so no sum gives a hidden count away."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from events.selectors import participants
from organisations.models import Municipality
from plans.models import Goal
from reports.document import Document, Heading, Paragraph, Table

from .common import as_of, iso, long_date


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def add(
    doc: Document, *, municipality: Municipality, start: date, end: date, today: date, codes: dict[int, str]
) -> dict:
    """``codes``: the plan's goals' codes by id (other plans' goals are not named)."""
    on = min(end, today)
    k = municipality.suppression_k
    doc.add(Heading(1, _("Events")))
    doc.add(
        Paragraph(
            _(
                "Events the municipality held or took part in, such as the Roma National Day on 8 April, cultural "
                "evenings and competitions: how many of each kind, how many took part and which of the plan's goals "
                "they served."
            )
        )
    )
    if on == end:
        doc.add(
            as_of(_("As of the end of the period (%(date)s): events held in the period.") % {"date": long_date(end)})
        )
    else:
        doc.add(
            as_of(
                _("As of %(date)s, the day the report was built: the period ends on %(end)s.")
                % {"date": long_date(on), "end": long_date(end)}
            )
        )
    held = list(
        Event.objects.filter(
            municipality=municipality, starts_at__gte=_start_of(start), starts_at__lt=_start_of(on + timedelta(days=1))
        )
        .select_related("municipality")
        .prefetch_related(Prefetch("goals", queryset=Goal.objects.only("pk")))
        .order_by("starts_at", "pk")
    )
    read = {
        "events_as_of": on.isoformat(),
        "events": [[e.pk, e.version] for e in held],
        "events_k": k,  # the municipality's protection limit when the report was built
    }
    if not held:
        doc.add(Paragraph(_("No events were held in the period."), style="note"))
        return read

    kinds = dict(Event.Kind.choices)
    rows: list[list[str]] = []
    by_kind: dict[str, list[int]] = {value: [0, 0, 0] for value in kinds}  # events, participants shown, not shown
    for event in held:
        counted = participants(event, exact=False, k=k)
        cell = "–" if counted is None else str(counted.total)
        tally = by_kind[event.kind]
        tally[0] += 1
        if counted is not None and not counted.total.suppressed:
            tally[1] += counted.total.value
        elif counted is not None:
            tally[2] += 1
        goals = sorted((codes[g.pk] for g in event.goals.all() if g.pk in codes), key=_code_key)
        rows.append(
            [iso(timezone.localdate(event.starts_at)), event.title, str(kinds[event.kind]), cell, ", ".join(goals)]
        )

    summary = [
        [str(label), str(by_kind[value][0]), str(by_kind[value][1])]
        for value, label in kinds.items()
        if by_kind[value][0]
    ]
    summary.append(
        [
            _("Total"),
            str(len(held)),
            str(sum(t[1] for t in by_kind.values())),
        ]
    )
    doc.add(
        Table(
            _("Events held in the period, by kind"),
            [_("Kind"), _("Events"), _("Participants")],
            summary,
            widths=[4, 1, 1],
            numeric=[1, 2],
        )
    )
    doc.add(
        Table(
            _("Events held in the period"),
            [_("Date"), _("Event"), _("Kind"), _("Participants"), _("Goals served")],
            rows,
            widths=[2, 5, 3, 2, 2],
            numeric=[3],
        )
    )
    doc.add(
        Paragraph(
            _(
                "Participant counts below %(k)d are hidden, as on the public pages; the totals add up only the counts "
                "shown. “–”: no count was recorded."
            )
            % {"k": k},
            style="note",
        )
    )
    return read


def _code_key(code: str) -> list:
    return [int(part) if part.isdigit() else part for part in code.split(".")]
