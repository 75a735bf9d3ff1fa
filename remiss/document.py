"""The remissammanställning as a report document (reports.document), for the
Word and PDF files the council's decision is prepared from."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lib.formatting import short_date, short_datetime
from reports.chapters.common import long_date, paragraphs
from reports.document import Document, Heading, Paragraph, Table

from .selectors import Compilation


def compilation_document(c: Compilation) -> Document:
    remiss = c.remiss
    with translation.override("sv"):
        doc = Document(
            title=_("Compilation of remiss answers"),
            subtitle=remiss.title,
            municipality=remiss.municipality.name,
            date=long_date(timezone.localdate()),
            facts=[
                (_("Plan"), remiss.plan.title),
                *([(_("Reference number (dnr)"), remiss.dnr)] if remiss.dnr else []),
                *([(_("Sent"), short_date(remiss.sent_on))] if remiss.sent_on else []),
                (_("Deadline"), short_date(remiss.deadline)),
                (_("Answers"), f"{len(c.answered)} / {len(c.bodies)}"),
            ],
            draft_mark="" if remiss.is_closed else _("Draft – the remiss is open"),
        )
        doc.add(Heading(1, _("Bodies and their answers")))
        rows = []
        for body in c.bodies:
            answer = body.answer_or_none
            if answer is None:
                rows.append([body.display_name, _("No answer"), "", "", "", ""])
                continue
            rows.append(
                [
                    body.display_name,
                    capfirst(str(answer.get_stance_display())),  # as on the page
                    answer.dnr,
                    short_date(answer.answered_on),
                    short_datetime(answer.submitted_at),
                    _("yes") if answer.is_late else "",
                ]
            )
        doc.add(
            Table(
                _("The bodies consulted"),
                [
                    _("Body"),
                    _("Stance"),
                    _("Dnr"),
                    _("Date"),
                    pgettext("remiss answer", "Received"),
                    _("Received late"),
                ],
                rows,
                widths=[5, 4, 3, 3, 3, 2],
            )
        )
        doc.add(
            Table(_("Stances"), [_("Stance"), _("Bodies")], [[capfirst(s), str(n)] for s, n in c.stances], numeric=[1])
        )
        for body in c.answered:
            answer = body.answer_or_none
            if not (answer.summary or answer.general_comments):
                continue
            doc.add(Heading(2, body.display_name))
            if answer.summary:
                doc.add(*paragraphs(answer.summary))
            if answer.general_comments:
                doc.add(*paragraphs(answer.general_comments))
        doc.add(Heading(1, _("Comments and their handling")))
        if not c.groups:
            doc.add(Paragraph(_("No comments on the plan's goals or sections."), style="note"))
        for group in c.groups:
            doc.add(Heading(2, group.label))
            # Paragraphs, not a table: a long table cell is what makes WeasyPrint slow
            # (bench/remiss_export.py), and the comments are prose.
            for comment in group.comments:
                doc.add(Paragraph(comment.text, label=f"{comment.body.display_name}:"))
                handling = capfirst(str(comment.get_handling_display()))
                if comment.handling_text:
                    handling = f"{handling} – {comment.handling_text}"
                doc.add(Paragraph(handling, style="note", label=_("Handling:")))
                for change in getattr(comment, "linked_changes", ()):
                    doc.add(Paragraph(str(change), style="note"))
    return doc
