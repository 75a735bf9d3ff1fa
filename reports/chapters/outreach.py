"""Outreach (uppsökande verksamhet, brobyggare) in the period: contacts by area
of need and by channel, and referrals, from the units' monthly counts
(outreach/). Live data, read as of the period's end (or today, while the period
runs); a month counts when it starts in the period's months.

The council report is a public document: each line (the areas of need with
the contacts as their total, the channels with the same total, the referrals)
is protected like survey counts (lib.suppression.suppress_1d, the
municipality's k). Per goal is left out: goals overlap (a month may serve
several), so their counts set beside the totals could give hidden ones away;
the staff summary (/uppsokande/sammanstallning/) has them exactly."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from organisations.models import Municipality
from outreach.models import OutreachRecord
from outreach.selectors import outreach_published, outreach_summary
from reports.document import Document, Heading, Paragraph, Table

from .common import as_of, long_date


def add(doc: Document, *, municipality: Municipality, start: date, end: date, today: date) -> dict:
    on = min(end, today)
    k = municipality.suppression_k
    summary = outreach_summary(municipality, start=start, end=on)
    read = {
        "outreach_as_of": on.isoformat(),
        "outreach": sorted(
            [pk, updated.isoformat()]
            for pk, updated in OutreachRecord.objects.filter(
                municipality=municipality, month__gte=summary.start, month__lte=summary.end
            ).values_list("pk", "updated_at")
        ),
        "outreach_k": k,
    }
    if not summary.months:
        return read  # no outreach recorded: no chapter
    doc.add(Heading(1, _("Outreach")))
    doc.add(
        Paragraph(
            _(
                "Contacts that bridge builders and outreach staff made with Roma residents, counted by the units each "
                "month: by main area of need, by channel, and referrals to other services. Numbers only: individual "
                "support is not documented here."
            )
        )
    )
    doc.add(
        as_of(
            _("As of %(date)s: the months from %(start)s.") % {"date": long_date(on), "start": long_date(summary.start)}
        )
    )
    published = outreach_published(summary, k=k)
    doc.add(
        Table(
            _("Contacts by area of need"),
            [_("Area of need"), _("Contacts")],
            [[label[:1].upper() + label[1:], str(cell)] for _code, label, cell in published.areas]
            + [[_("Total"), str(published.contacts)]],
            widths=[4, 1],
            numeric=[1],
        )
    )
    doc.add(
        Table(
            _("Contacts by channel"),
            [_("Channel"), _("Contacts")],
            [[label[:1].upper() + label[1:], str(cell)] for _code, label, cell in published.channels]
            + [[_("Total"), str(published.contacts)]],
            widths=[4, 1],
            numeric=[1],
        )
    )
    doc.add(Paragraph(_("Referrals to other services: %(count)s.") % {"count": published.referrals}))
    doc.add(
        Paragraph(
            _(
                "Counts below %(k)d are hidden, and so are as many others as are needed so that no hidden count can "
                "be worked out from the totals."
            )
            % {"k": k},
            style="note",
        )
    )
    return read
