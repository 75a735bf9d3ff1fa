"""A comparison of two plan versions as Word with tracked changes ("Spåra ändringar"):
the later version's text (plans/plan_document.plan_text) written with real Word
revisions, so Word's Accept and Reject work (docs/plan-versions.md).

- A text changed in place is one paragraph with its words kept, inserted
  (``w:ins``) and deleted (``w:del``, the text in ``w:delText``), from
  ``plans.versions.word_diff``.
- A paragraph added or removed (a goal added or removed, a description that is
  new) has all its runs inserted or deleted and its paragraph mark too
  (``w:pPr/w:rPr/w:ins`` or ``w:del``): accepting a deleted paragraph, or
  rejecting an inserted one, removes it whole.
- Goals are matched by identity in the order of the two versions (the longest
  common order, ``difflib``); a goal that moved is deleted at its old place and
  inserted at its new one, so accepting every change gives exactly the later
  version's text and rejecting every change gives exactly the earlier one.
- A kept paragraph whose style changed (a goal moved to another level: another
  heading) carries the earlier style in ``w:pPrChange``.

Every revision has the municipality as ``w:author`` and the later version's
creation time as ``w:date``. python-docx has no elements for revisions: they are
made with its ``OxmlElement``.
"""

from __future__ import annotations

import difflib
import io
import itertools
from collections.abc import Iterable
from datetime import UTC

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from .models import Plan
from .plan_document import GoalText, Para, PlanText, plan_text
from .versions import DELETE, EQUAL, INSERT, Segment, word_diff

WORD_STYLES = {
    "title": "Title",
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "heading3": "Heading 3",
    "heading4": "Heading 4",
    "lead": "Normal",
    "note": "Normal",
    "body": "Normal",
}


class _Writer:
    def __init__(self, word, *, author: str, date: str):
        self.word = word
        self.author = author
        self.date = date
        self.ids = itertools.count(1)
        self.last_mark = EQUAL

    def _revision(self, tag: str):
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(next(self.ids)))
        element.set(qn("w:author"), self.author)
        element.set(qn("w:date"), self.date)
        return element

    def _run(self, text: str, kind: str, style: str):
        run = OxmlElement("w:r")
        if style in ("note", "lead"):
            rpr = OxmlElement("w:rPr")
            if style == "note":
                rpr.append(OxmlElement("w:i"))
            size = OxmlElement("w:sz")
            size.set(qn("w:val"), "19" if style == "note" else "24")
            rpr.append(size)
            run.append(rpr)
        for i, line in enumerate(text.split("\n")):
            if i:
                run.append(OxmlElement("w:br"))
            if line:
                t = OxmlElement("w:delText" if kind == DELETE else "w:t")
                t.set(qn("xml:space"), "preserve")
                t.text = line
                run.append(t)
        if kind == EQUAL:
            return run
        wrapper = self._revision("w:ins" if kind == INSERT else "w:del")
        wrapper.append(run)
        return wrapper

    def paragraph(self, runs: list[tuple[str, str]], *, style: str, mark: str, old_style: str | None) -> None:
        p = self.word.add_paragraph(style=WORD_STYLES[style])
        ppr = p._p.get_or_add_pPr()
        if mark != EQUAL:
            rpr = OxmlElement("w:rPr")
            rpr.append(self._revision("w:ins" if mark == INSERT else "w:del"))
            ppr.append(rpr)
        if old_style is not None and old_style != style:
            change = self._revision("w:pPrChange")
            old_ppr = OxmlElement("w:pPr")
            old_style_element = OxmlElement("w:pStyle")
            old_style_element.set(qn("w:val"), self.word.styles[WORD_STYLES[old_style]].style_id)
            old_ppr.append(old_style_element)
            change.append(old_ppr)
            ppr.append(change)
        for kind, text in runs:
            p._p.append(self._run(text, kind, style))
        self.last_mark = mark

    def text(self, segments: Iterable[Segment], *, style: str, last_mark: str, old_style: str | None = None) -> None:
        """Segments of one item, split into Word paragraphs at "\\n\\n": a break kept,
        inserted or deleted makes the paragraph it ends kept, inserted or deleted."""
        runs: list[tuple[str, str]] = []
        for segment in segments:
            for i, piece in enumerate(segment.text.split("\n\n")):
                if i:
                    self.paragraph(runs, style=style, mark=segment.kind, old_style=old_style)
                    runs = []
                if piece:
                    runs.append((segment.kind, piece))
        self.paragraph(runs, style=style, mark=last_mark, old_style=old_style)


def _only(para: Para, kind: str) -> list[Segment]:
    return [Segment(kind, para.text)] if para.text else []


def _paras(writer: _Writer, old: list[Para], new: list[Para]) -> None:
    """Two lists of paragraphs of one item (the plan's introduction, one goal), matched by key."""
    old_keys, new_keys = [p.key for p in old], [p.key for p in new]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False).get_opcodes():
        if op == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2], strict=True):
                writer.text(word_diff(a.text, b.text), style=b.style, last_mark=EQUAL, old_style=a.style)
            continue
        for a in old[i1:i2]:
            writer.text(_only(a, DELETE), style=a.style, last_mark=DELETE)
        for b in new[j1:j2]:
            writer.text(_only(b, INSERT), style=b.style, last_mark=INSERT)


def _goals(writer: _Writer, old: list[GoalText], new: list[GoalText]) -> None:
    old_ids, new_ids = [g.identity for g in old], [g.identity for g in new]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_ids, new_ids, autojunk=False).get_opcodes():
        if op == "equal":
            for a, b in zip(old[i1:i2], new[j1:j2], strict=True):
                _paras(writer, a.paras, b.paras)
            continue
        for a in old[i1:i2]:
            _paras(writer, a.paras, [])
        for b in new[j1:j2]:
            _paras(writer, [], b.paras)


def _track_revisions(word) -> None:
    """Ask Word to keep tracking changes the reader makes (w:trackRevisions, in the
    schema's place: before w:defaultTabStop)."""
    settings = word.settings.element
    track = OxmlElement("w:trackRevisions")
    anchor = settings.find(qn("w:defaultTabStop"))
    if anchor is not None:
        anchor.addprevious(track)
    else:
        settings.insert(0, track)


def tracked_changes_docx(
    old: Plan, new: Plan, *, old_text: PlanText | None = None, new_text: PlanText | None = None
) -> bytes:
    """The later version's text with the changes from the earlier one as Word revisions."""
    old_text = old_text or plan_text(old)
    new_text = new_text or plan_text(new)
    with translation.override("sv"):
        word = WordDocument()
        word.core_properties.language = "sv-SE"
        word.core_properties.title = (
            _("Version %(old)d compared with version %(new)d") % {"old": old.version, "new": new.version}
        )[:255]
        word.core_properties.subject = new.title[:255]
        word.core_properties.author = new.municipality.name[:255]
        rpr = word.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "sv-SE")
        rpr.append(lang)
        normal = word.styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(11)
        section = word.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(2.2)
        header = section.header.paragraphs[0]
        header.text = _(
            "%(municipality)s · version %(old)d compared with version %(new)d, the changes as tracked changes"
        ) % {"municipality": new.municipality.name, "old": old.version, "new": new.version}
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _track_revisions(word)
        date = new.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        writer = _Writer(word, author=new.municipality.name, date=date)
        _paras(writer, old_text.intro, new_text.intro)
        _goals(writer, old_text.goals, new_text.goals)
        if writer.last_mark != EQUAL:
            # Word keeps the document's last paragraph mark: end with a plain one.
            word.add_paragraph()
        out = io.BytesIO()
        word.save(out)
        return out.getvalue()
