"""A year's consultation figures and consultations as a spreadsheet (Swedish
headers and labels whatever the UI language). Every row carries the kommunkod.
Only counts and what the consultation was about: never compensation, internal
notes or who took part. The number of participants is exact for consultations
the person runs; for the others it is protected as on the consultation's page
(a total below k is hidden)."""

from __future__ import annotations

from django.utils import translation

from lib.xlsx import Sheet, write_workbook
from organisations.models import Membership

from .access import may_run
from .models import Consultation
from .selectors import attendance, consultation_list, figures

FIGURES_HEAD = ["Kommunkod", "Enhet", "Genomförda samråd"]  # then one column per form
FIGURES_TAIL = [
    "Synpunkter", "Besvarade i tid", "Besvarade för sent", "Försenade (obesvarade)", "Andel i tid (%)",
    "Median antal dagar till återkoppling",
]  # fmt: skip
CONSULTATIONS_HEADER = [
    "Kommunkod", "Titel", "Form", "Start", "Slut", "Arrangerande enheter", "Nivå av inflytande", "Antal punkter",
    "Antal synpunkter", "Antal deltagare totalt",
]  # fmt: skip


def export_figures(membership: Membership, year: int) -> bytes:
    """The figures per unit (consultations.selectors.figures) and one row per
    consultation starting in the year that the person may see. Six queries."""
    municipality = membership.municipality
    code = municipality.code
    with translation.override("sv"):
        forms = [str(label) for label in Consultation.Form.labels]
        figure_rows = [
            [
                code,
                r.unit.name,
                r.held,
                *[r.held_by_form.get(form, 0) for form in forms],  # keyed by the (Swedish) label
                r.views,
                r.answered_in_time,
                r.answered_late,
                r.overdue,
                r.share_in_time,
                r.median_days,
            ]
            for r in figures(municipality, year)
        ]
        consultation_rows = [
            [
                code,
                c.title,
                str(c.get_form_display()).capitalize(),
                c.starts_at,
                c.ends_at,
                "; ".join(u.name for u in c.organisers.all()),
                str(c.get_influence_display()).capitalize(),
                c.item_count,
                c.view_count,
                _participants(c, membership, municipality.suppression_k),
            ]
            for c in consultation_list(membership, year=year).order_by("starts_at", "pk")
        ]
        form_header = [label.capitalize() for label in forms]
    return write_workbook(
        [
            Sheet(
                title="Nyckeltal",
                header=[*FIGURES_HEAD, *form_header, *FIGURES_TAIL],
                rows=figure_rows,
                widths=[10, 36, 12, *([12] * len(forms)), 12, 12, 12, 12, 12, 14],
            ),
            Sheet(
                title="Samråd",
                header=CONSULTATIONS_HEADER,
                rows=consultation_rows,
                widths=[10, 50, 20, 16, 16, 40, 18, 10, 10, 10],
            ),
        ]
    )


def _participants(consultation: Consultation, membership: Membership, k: int) -> int | str | None:
    """The number of participants in total: exact for who runs the consultation,
    otherwise as protected on its page (the word for a hidden count in its place)."""
    if may_run(membership, consultation):
        return consultation.attendance_total
    shown = attendance(consultation, exact=False, k=k)
    if shown is None:
        return None
    return str(shown.total) if shown.total.suppressed else shown.total.value
