"""Approved reports' snapshots from schema 1 to schema 2 (followups/snapshots.py).

Schema 1 froze the approver's interface labels beside the codes and an
activity's goals as goal codes; schema 2 keeps codes and ids only. The upgrade
is lossless: the codes were always stored (a label is mapped back only where a
code is missing), and the goal codes are mapped to ids now, while they are
still the codes they were at approval — first as the report's own entries had
them, then by the plan's goals — so a later change of a goal's code no longer
loses an activity's goals. Each upgraded snapshot is marked
``"upgraded_from": 1``.

Self-contained (a data migration never imports app code): the labels below
are the English and Swedish labels as they were when schema 1 was written;
followups.snapshots.upgrade_v1 is the same reading for snapshots that arrive
later (a restored backup), and a test holds the two to the same result.

Backwards, schema 2 snapshots are written as schema 1 with Swedish labels, so
the previous release can read them.
"""

from django.db import migrations

ASSESSMENTS = {
    "uppfyllt": ("met", "uppfyllt"),
    "delvis": ("partly met", "delvis uppfyllt"),
    "ej_uppfyllt": ("not met", "ej uppfyllt"),
    "ej_bedomt": ("not assessed", "ej bedömt"),
}
SUMMARIES = {
    "ej_paborjad": ("not started", "ej påbörjad"),
    "pagar": ("in progress as planned", "pågår enligt plan"),
    "forsenad": ("delayed", "försenad"),
    "genomford": ("completed", "genomförd"),
    "pausad": ("paused", "pausad"),
    "avbruten": ("cancelled", "avbruten"),
}


def _codes(table):
    out = {code.casefold(): code for code in table}
    for code, labels in table.items():
        for label in labels:
            out[label.casefold()] = code
    return out


ASSESSMENT_CODES, SUMMARY_CODES = _codes(ASSESSMENTS), _codes(SUMMARIES)


def _code(value, label, codes):
    if value in codes.values():
        return value
    for candidate in (label, value):
        if candidate and candidate.strip().casefold() in codes:
            return codes[candidate.strip().casefold()]
    return value or ""


def upgrade(data, goal_ids_by_code):
    as_approved = {e.get("code"): e.get("goal_id") for e in data.get("entries", []) if e.get("goal_id")}
    entries = [
        {
            "goal_id": e.get("goal_id"),
            "code": e.get("code", ""),
            "title": e.get("title", ""),
            "result": e.get("result", ""),
            "challenges": e.get("challenges", ""),
            "assessment": _code(e.get("assessment"), e.get("assessment_label"), ASSESSMENT_CODES),
            "extra": [{"field_id": None, "question": str(q), "answer": str(a)} for q, a in e.get("extra", [])],
        }
        for e in data.get("entries", [])
    ]
    activities = [
        {
            "activity_id": a.get("activity_id"),
            "reference": a.get("reference", ""),
            "title": a.get("title", ""),
            "status_id": None,
            "status": a.get("status", ""),
            "summary": _code(a.get("summary"), a.get("summary_label"), SUMMARY_CODES),
            "comment": a.get("comment", ""),
            "funding": None,
            "funding_ends": None,
            "goals": [
                {"id": as_approved.get(code) or goal_ids_by_code.get(code), "code": code} for code in a.get("goals", [])
            ],
        }
        for a in data.get("activities", [])
    ]
    return {
        "schema": 2,
        "summary": data.get("summary", ""),
        "entries": entries,
        "activities": activities,
        "upgraded_from": 1,
    }


def downgrade(data):
    return {
        "summary": data.get("summary", ""),
        "entries": [
            {
                "goal_id": e.get("goal_id"),
                "code": e.get("code", ""),
                "title": e.get("title", ""),
                "result": e.get("result", ""),
                "challenges": e.get("challenges", ""),
                "assessment": e.get("assessment", ""),
                "assessment_label": ASSESSMENTS.get(e.get("assessment"), ("", e.get("assessment", "")))[1],
                "extra": [[x.get("question", ""), x.get("answer", "")] for x in e.get("extra", [])],
            }
            for e in data.get("entries", [])
        ],
        "activities": [
            {
                "activity_id": a.get("activity_id"),
                "reference": a.get("reference", ""),
                "title": a.get("title", ""),
                "status": a.get("status", ""),
                "summary": a.get("summary", ""),
                "summary_label": SUMMARIES.get(a.get("summary"), ("", a.get("summary", "")))[1],
                "comment": a.get("comment", ""),
                "goals": [g.get("code", "") for g in a.get("goals", [])],
            }
            for a in data.get("activities", [])
        ],
    }


def forwards(apps, schema_editor):
    UnitReport = apps.get_model("followups", "UnitReport")
    Goal = apps.get_model("plans", "Goal")
    codes_by_plan = {}
    for report in UnitReport.objects.filter(status="godkand").select_related("round").iterator(chunk_size=200):
        data = report.snapshot
        if not data or "schema" in data:
            continue
        plan_id = report.round.plan_id
        if plan_id not in codes_by_plan:
            codes_by_plan[plan_id] = dict(Goal.objects.filter(plan_id=plan_id).values_list("code", "pk"))
        report.snapshot = upgrade(data, codes_by_plan[plan_id])
        report.save(update_fields=["snapshot"])


def backwards(apps, schema_editor):
    UnitReport = apps.get_model("followups", "UnitReport")
    for report in UnitReport.objects.filter(status="godkand").iterator(chunk_size=200):
        if report.snapshot and report.snapshot.get("schema") == 2:
            report.snapshot = downgrade(report.snapshot)
            report.save(update_fields=["snapshot"])


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0002_restrict_statuses_and_one_report_version"),
        ("plans", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
