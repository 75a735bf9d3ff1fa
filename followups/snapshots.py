"""The frozen form of an approved unit report (UnitReport.snapshot).

A snapshot stores ids and codes, never display text: an assessment is its
code (``delvis``), an activity's status is its id, its plan-defined name and
its summary code (``forsenad``), a goal is its id (with the code it had when
the report was approved, for the record). Labels are made when the snapshot is
read, in the reader's language, and goals are looked up by id, so a goal whose
code changes after approval keeps everything that was said about it.

Schema versions:

1. (until issue 13) entries and activities as ``dataclasses.asdict`` of the
   selectors' views: the labels of the approver's interface language beside
   the codes (``assessment_label``, ``summary_label``), extra answers as
   ``[question, answer]`` pairs, an activity's goals as goal codes.
2. ``{"schema": 2, "summary", "entries": [...], "activities": [...]}``: no
   labels; extra answers with their field's id; an activity's goals as
   ``{"id", "code"}``, its status id, and its funding and funding end.

``load()`` reads any version and returns version 2; ``upgrade_v1()`` is the
version 1 reader. Both are pure functions of the stored data (and, for
version 1, the plan's goal ids by code), so a data migration or a restored
backup reads old snapshots the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from django.conf import settings
from django.utils import translation

SCHEMA = 2


class SnapshotError(ValueError):
    """A snapshot this code cannot read (from a newer version of the system)."""


def version(data: Mapping[str, Any]) -> int:
    """The schema version of stored snapshot data (version 1 had no marker)."""
    return int(data.get("schema", 1)) if data else SCHEMA


def _labels_to_codes(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Every label of the choices in every interface language (and the English
    source text), casefolded, to its code."""
    choices = list(choices)
    out: dict[str, str] = {}
    languages = list(settings.UI_LANGUAGES)
    for language in [*languages, "en"]:
        with translation.override(language):
            for value, label in choices:
                out[str(label).casefold()] = value
    for value, _label in choices:
        out[str(value).casefold()] = value
    return out


@cache
def assessment_codes() -> dict[str, str]:
    from .models import Assessment

    return _labels_to_codes(Assessment.choices)


@cache
def summary_codes() -> dict[str, str]:
    from plans.models import StatusSummary

    return _labels_to_codes(StatusSummary.choices)


def _code(value: str | None, label: str | None, codes: Mapping[str, str]) -> str:
    """The stored code if it is one, else the code whose label (in any language) was stored."""
    valid = set(codes.values())
    if value in valid:
        return value
    for candidate in (label, value):
        if candidate and candidate.strip().casefold() in codes:
            return codes[candidate.strip().casefold()]
    return value or ""


def upgrade_v1(data: Mapping[str, Any], *, goal_ids_by_code: Mapping[str, int] | None = None) -> dict[str, Any]:
    """A version 1 snapshot as version 2: labels back to codes (in whichever
    language the approver used), an activity's goal codes to goal ids — first
    as the report itself had them (its entries' code and id at approval), then
    ``goal_ids_by_code`` (the plan's goals now) for goals the unit did not
    report on. A code found in neither keeps its code and no id."""
    as_approved = {e.get("code"): e.get("goal_id") for e in data.get("entries", []) if e.get("goal_id")}
    current = dict(goal_ids_by_code or {})
    entries = []
    for e in data.get("entries", []):
        entries.append(
            {
                "goal_id": e.get("goal_id"),
                "code": e.get("code", ""),
                "title": e.get("title", ""),
                "result": e.get("result", ""),
                "challenges": e.get("challenges", ""),
                "assessment": _code(e.get("assessment"), e.get("assessment_label"), assessment_codes()),
                "extra": [
                    {"field_id": None, "question": str(question), "answer": str(answer)}
                    for question, answer in e.get("extra", [])
                ],
            }
        )
    activities = []
    for a in data.get("activities", []):
        activities.append(
            {
                "activity_id": a.get("activity_id"),
                "reference": a.get("reference", ""),
                "title": a.get("title", ""),
                "status_id": None,  # not recorded in version 1: the name and summary are
                "status": a.get("status", ""),
                "summary": _code(a.get("summary"), a.get("summary_label"), summary_codes()),
                "comment": a.get("comment", ""),
                "funding": None,  # not recorded in version 1
                "funding_ends": None,
                "goals": [
                    {"id": as_approved.get(code) or current.get(code), "code": code} for code in a.get("goals", [])
                ],
            }
        )
    return {"schema": SCHEMA, "summary": data.get("summary", ""), "entries": entries, "activities": activities}


def load(data: Mapping[str, Any], *, goal_ids_by_code: Mapping[str, int] | None = None) -> dict[str, Any]:
    """Stored snapshot data of any version as version 2."""
    found = version(data)
    if found == 1:
        return upgrade_v1(data, goal_ids_by_code=goal_ids_by_code)
    if found == SCHEMA:
        return dict(data)
    raise SnapshotError(f"snapshot schema {found} is newer than this system reads ({SCHEMA})")
