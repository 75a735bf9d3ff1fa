"""The document model every report is assembled into, and the only thing the
PDF and Word writers read: so the two formats never disagree.

A document is a title page (title, subtitle, the municipality's name and
logo, a date, facts) and a flat list of blocks: headings, paragraphs, lists,
tables and charts. It is plain data, so it can be stored as JSON beside the
files it produced, and a report can be rebuilt or compared from it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Heading:
    level: int  # 1 = chapter, 2 = section, 3 = subsection
    text: str
    kind: str = "heading"


@dataclass
class Paragraph:
    text: str
    # "" (body), "lead" (an introduction), "note" (a small print remark),
    # "quote" (what someone wrote, e.g. a committee's result text)
    style: str = ""
    label: str = ""  # printed bold before the text, e.g. "Resultat:"
    kind: str = "paragraph"


@dataclass
class BulletList:
    items: list[str]
    kind: str = "list"


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    # Relative column widths (any unit; normalised by the writers).
    widths: list[int] = field(default_factory=list)
    # Columns whose cells are numbers: right-aligned.
    numeric: list[int] = field(default_factory=list)
    kind: str = "table"


@dataclass
class Chart:
    """A chart is drawn in the PDF and always comes with its table (the same
    numbers), which is what the Word file shows: Word cannot hold SVG."""

    title: str
    svg: str
    table: Table
    kind: str = "chart"


Block = Heading | Paragraph | BulletList | Table | Chart
KINDS = {"heading": Heading, "paragraph": Paragraph, "list": BulletList, "table": Table, "chart": Chart}


@dataclass
class Document:
    title: str
    subtitle: str
    municipality: str
    date: str  # as printed, e.g. "22 november 2026"
    language: str = "sv"
    # (label, value) pairs on the title page: plan, period, rounds, built from.
    facts: list[tuple[str, str]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    # A mark on every page when the content is not approved (e.g. "Utkast").
    draft_mark: str = ""

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)

    def headings(self) -> list[tuple[int, Heading]]:
        """The headings with their position among the headings (for anchors and the table of contents)."""
        return [(i, b) for i, b in enumerate(b for b in self.blocks if isinstance(b, Heading))]

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["facts"] = [list(f) for f in self.facts]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        blocks: list[Block] = []
        for raw in data.get("blocks", []):
            raw = dict(raw)
            kind = KINDS[raw.get("kind", "paragraph")]
            if kind is Chart:
                raw["table"] = Table(**raw["table"])
            blocks.append(kind(**raw))
        return cls(
            title=data["title"],
            subtitle=data.get("subtitle", ""),
            municipality=data.get("municipality", ""),
            date=data.get("date", ""),
            language=data.get("language", "sv"),
            facts=[tuple(f) for f in data.get("facts", [])],
            blocks=blocks,
            draft_mark=data.get("draft_mark", ""),
        )

    def text(self) -> str:
        """Every word of the document, for tests and for comparing two builds."""
        parts = [self.title, self.subtitle, self.municipality, *(f"{k} {v}" for k, v in self.facts)]
        for block in self.blocks:
            match block:
                case Heading(text=text) | Paragraph(text=text):
                    parts.append(text)
                case BulletList(items=items):
                    parts.extend(items)
                case Table() | Chart():
                    table = block if isinstance(block, Table) else block.table
                    parts.append(table.caption)
                    parts.extend(table.header)
                    parts.extend(cell for row in table.rows for cell in row)
        return "\n".join(parts)
