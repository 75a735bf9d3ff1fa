"""The datasets as CSV: made from the same serialized records as the JSON, so
both hold the same data. UTF-8 with a byte order mark (so Excel reads it as
UTF-8), semicolon-separated (Excel's list separator with Swedish settings),
CRLF line ends, a header row of the JSON field names. Numbers keep a decimal
point; dates are YYYY-MM-DD; true/false for yes/no. Lists are joined with
"; ". Every value goes through lib.result_tables' guard, so text a person typed
never becomes a formula in a spreadsheet.

Each dataset is one row per record, except indicators (one row per
measurement, the indicator's fields repeated; one row for an indicator without
measurements), survey results (one row per table cell, as the public pages'
CSV downloads) and remisses (one row per body asked, the remiss's fields
repeated)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from consultations.models import Consultation
from lib.result_tables import csv_text

Record = Mapping[str, Any]
Column = tuple[str, Callable[[Record], Any]]

BOM = "\ufeff"
DELIMITER = ";"
JOIN = "; "


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 15.00 as 15, 15.50 as 15.5
    if isinstance(value, float):
        return format(value, "g")
    return str(value)


def field(name: str, *path: str) -> Column:
    """The record's field (or a field of a nested object along ``path``), named ``name``."""
    keys = path or (name,)

    def get(record: Record) -> Any:
        value: Any = record
        for key in keys:
            if value is None:
                return None
            value = value[key]
        return value

    return name, get


def joined(name: str, key: str | None = None, source: str | None = None) -> Column:
    """A list field joined with "; ": each item itself, or its ``key``."""

    def get(record: Record) -> str:
        items = record[source or name]
        return JOIN.join(_plain(item[key] if key else item) for item in items)

    return name, get


KOMMUNKOD = field("kommunkod")
GOALS = [joined("goal_ids", "id", "goals"), joined("goal_codes", "code", "goals")]
RIGHTS_AREAS = [joined("rights_areas", "code"), joined("rights_area_labels", "label", "rights_areas")]

MUNICIPALITY_COLUMNS: list[Column] = [KOMMUNKOD, field("name"), field("consultation_figures_published")]

PLAN_COLUMNS: list[Column] = [
    KOMMUNKOD,
    *(field(name) for name in ("id", "title", "kind", "kind_label", "status", "status_label", "overall_goal")),
    *(field(name) for name in ("valid_from", "valid_to", "adopted_by", "adopted_on")),
    joined("level_names"),
]


def _responsible(record: Record) -> str:
    """ "Socialnämnden (ansvarig); Kommunstyrelsen (medansvarig)"."""
    return JOIN.join(f"{r['name']} ({r['role_label']})" for r in record["responsible_units"])


GOAL_COLUMNS: list[Column] = [
    KOMMUNKOD,
    *(field(name) for name in ("id", "plan_id", "parent_id", "code", "title", "description", "level", "level_name")),
    field("kind"),
    field("kind_label"),
    field("all_units"),
    ("responsible_units", _responsible),
    *RIGHTS_AREAS,
]

ACTIVITY_COLUMNS: list[Column] = [
    KOMMUNKOD,
    *(field(name) for name in ("id", "reference", "plan_id", "title", "description", "owner_unit")),
    joined("co_units"),
    *GOALS,
    *RIGHTS_AREAS,
    *(field(name) for name in ("status", "status_summary", "status_summary_label")),
    *(field(name) for name in ("start_date", "end_date", "ongoing")),
    joined("target_groups", "label"),
    joined("methods", "label"),
    joined("partner_kinds", "label"),
]

INDICATOR_FIELDS = (
    "id", "name", "kind", "kind_label", "definition", "unit", "direction", "direction_label", "gender_split",
    "gender_terms", "source", "source_label", "source_detail", "kolada_id", "responsible_unit", "valid_from",
    "valid_to",
)  # fmt: skip
BASELINE_FIELDS = ("date", "value", "women", "men", "value_bool")
MEASUREMENT_FIELDS = ("period_start", "period_end", "value", "women", "men", "value_bool", "value_text")


def _targets(record: Record) -> str:
    return JOIN.join(f"{t['date']}: {_plain(t['value'])}" for t in record["targets"])


INDICATOR_COLUMNS: list[Column] = [
    KOMMUNKOD,
    *(field(name) for name in INDICATOR_FIELDS),
    *GOALS,
    *RIGHTS_AREAS,
    *(field(f"baseline_{name}", "baseline", name) for name in BASELINE_FIELDS),
    ("targets", _targets),
    *(field(name) for name in ("track_computed", "track_computed_label", "track_assessed", "track_assessed_label")),
    *(field(f"measurement_{name}", "measurement", name) for name in MEASUREMENT_FIELDS),
]


def indicator_rows(records: Iterable[Record]) -> Iterable[Record]:
    """One row per measurement (``measurement`` set), or one for an indicator without any."""
    for record in records:
        for measurement in record["measurements"] or [None]:
            yield {**record, "measurement": measurement}


def _held(code: str) -> Callable[[Record], int]:
    return lambda record: next((f["count"] for f in record["held_by_form"] if f["form"] == code), 0)


CONSULTATION_COLUMNS: list[Column] = [
    KOMMUNKOD,
    *(field(name) for name in ("year", "unit", "unit_short_name", "held")),
    *((f"held_{code}", _held(code)) for code in Consultation.Form.values),
    *(field(name) for name in ("views", "answered_in_time", "answered_late", "overdue", "share_in_time")),
    field("median_days"),
    field("feedback_days"),
]

RESULT_COLUMNS: list[Column] = [
    KOMMUNKOD,
    *(field(name) for name in ("type", "id", "title", "period_start", "period_end", "k")),
    *(field(name) for name in ("table", "row", "column", "value", "suppressed")),
]


FEEDBACK_FIELDS = [
    "id", "consultation_id", "consultation_date", "consultation_form", "consultation_form_label", "question",
    "decision_body", "decision_date", "case_number", "said", "given_by", "given_by_name", "feedback_status",
    "feedback_status_label", "answer", "feedback_date", "responding_unit",
]  # fmt: skip
FEEDBACK_COLUMNS: list[Column] = [
    KOMMUNKOD,
    *(field(name) for name in FEEDBACK_FIELDS),
    joined("goal_ids"),
    joined("activity_ids"),
    field("page_url"),
]


def result_rows(records: Iterable[Record]) -> Iterable[Record]:
    """One row per table cell: table, row, column and the cell's published text (as tables_csv writes it)."""
    for record in records:
        for table in record["tables"]:
            for row in table["rows"]:
                for column, cell in zip(table["columns"], row["cells"], strict=False):
                    yield {
                        **record,
                        "table": table["title"],
                        "row": row["label"],
                        "column": column,
                        "value": cell["text"],
                        "suppressed": cell["suppressed"],
                    }


REMISS_FIELDS = (
    "id", "title", "case_number", "plan_id", "plan_title", "sent_on", "deadline", "status", "status_label",
    "bodies_total", "answered_total", "not_named", "comments_total", "comments_not_handled",
)  # fmt: skip
REMISS_BODY_FIELDS = (
    "named", "name", "kind", "answered", "answered_on", "late", "stance", "stance_label", "case_number",
    "decided_by", "decided_on", "summary", "general_comments",
)  # fmt: skip
REMISS_COLUMNS: list[Column] = [
    KOMMUNKOD,
    *(field(name) for name in REMISS_FIELDS),
    *(field(f"body_{name}", "body", name) for name in REMISS_BODY_FIELDS),
    field("page_url"),
]


def remiss_rows(records: Iterable[Record]) -> Iterable[Record]:
    """One row per body asked (``body`` set), or one for a remiss without bodies."""
    for record in records:
        for body in record["bodies"] or [None]:
            yield {**record, "body": body}


REMISS_COMMENT_FIELDS = (
    "remiss_id", "remiss_title", "plan_id", "body", "section", "heading", "goal_id", "text", "handling",
    "handling_label", "handling_text", "page_url",
)  # fmt: skip
REMISS_COMMENT_COLUMNS: list[Column] = [KOMMUNKOD, *(field(name) for name in REMISS_COMMENT_FIELDS)]


FLUSH_CHARS = 64 * 1024


def csv_lines(rows: Iterable[Record], columns: Sequence[Column]) -> Iterator[bytes]:
    """The CSV as UTF-8 byte blocks: the byte order mark and the header row at
    once (before any record is read), then the rows in blocks of about
    FLUSH_CHARS. Memory stays that of one block, however many rows."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([name for name, _get in columns])
    yield (BOM + out.getvalue()).encode("utf-8")
    out.seek(0)
    out.truncate()
    for row in rows:
        writer.writerow([csv_text(_plain(get(row))) for _name, get in columns])
        if out.tell() >= FLUSH_CHARS:
            yield out.getvalue().encode("utf-8")
            out.seek(0)
            out.truncate()
    if out.tell():
        yield out.getvalue().encode("utf-8")


def _participants(code: str | None) -> Column:
    """The participants' total (``code`` None) or an age group's count, as published: the number or "dolt"."""

    def get(record: Record) -> str:
        if code is None:
            value = record["participants_total"]
        else:
            value = next((r["count"] for r in record["participants_by_age"] if r["age_group"] == code), None)
        return value["text"] if value else ""

    return (f"participants_{code}" if code else "participants_total"), get


EVENT_FIELDS = (
    "id", "title", "description", "kind", "kind_label", "starts_at", "ends_at", "place", "accessibility",
    "interpretation", "childcare",
)  # fmt: skip
EVENT_COLUMNS: list[Column] = [
    KOMMUNKOD,
    *(field(name) for name in EVENT_FIELDS),
    joined("organising_units"),
    *GOALS,
    joined("activity_ids"),
    *RIGHTS_AREAS,
    _participants(None),
    *(_participants(code) for code in ("barn_unga", "vuxna", "aldre", "ej_angivet")),
    field("page_url"),
    field("ics_url"),
]
