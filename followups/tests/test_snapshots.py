"""Approved reports' snapshots: codes and ids, never labels; old snapshots
(schema 1, with the approver's labels and goal codes) still read.

The two files in data/ are real stored snapshots of schema 1: one from the
Stockholm demo database, one frozen by report_approve while the coordinator
used the English interface (with the goal ids of the test world it was made
in, rewritten to this world's below)."""

import importlib
import json
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from followups import snapshots
from followups.models import UnitReport
from followups.selectors import ReportContent, report_content
from followups.services import report_approve
from followups.tests.test_followups import report_post
from plans.models import Goal

DATA = Path(__file__).parent / "data"


def stored(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_a_stored_demo_snapshot_of_schema_1_reads_as_schema_2():
    old = stored("snapshot_v1_demo_stockholm.json")
    assert snapshots.version(old) == 1
    new = snapshots.load(old)
    assert new["schema"] == 2 and "label" not in json.dumps(new)
    assert [e["assessment"] for e in new["entries"]] == [e["assessment"] for e in old["entries"]]
    assert [e["goal_id"] for e in new["entries"]] == [7, 8, 13, 17]
    (activity,) = new["activities"]
    assert activity["summary"] == "genomford" and activity["status"] == "Genomförd"
    # The activity's goal code as the report itself had it: 2.2.1 was goal 17 when approved.
    assert activity["goals"] == [{"id": 17, "code": "2.2.1"}]
    content = ReportContent.from_snapshot(old)
    assert content.schema == 1 and content.activities[0].goal_ids == [17]


@pytest.mark.parametrize(("language", "expected"), [("en", ("delvis", "forsenad")), ("sv", ("delvis", "forsenad"))])
def test_labels_map_back_to_codes_in_either_language(language, expected):
    old = stored("snapshot_v1_approved_in_english.json")[language]["snapshot"]
    for e in old["entries"]:
        e.pop("assessment")  # only the label is left: "partly met" or "delvis uppfyllt"
    for a in old["activities"]:
        a["summary"] = a["summary_label"]  # a label where the code should be
    new = snapshots.load(old, goal_ids_by_code={"1.2": 2})
    assert {e["assessment"] for e in new["entries"]} == {expected[0]}
    assert {a["summary"] for a in new["activities"]} <= {expected[1]}
    if language == "en":
        assert new["activities"][1]["goals"] == [{"id": 2, "code": "1.2"}, {"id": 3, "code": "1.2.1"}]


def test_a_snapshot_from_a_newer_system_is_refused():
    with pytest.raises(snapshots.SnapshotError):
        snapshots.load({"schema": snapshots.SCHEMA + 1, "entries": []})


def test_approval_freezes_codes_and_ids_in_any_interface_language(world):
    report = world.report_a
    world.client("contact_a").post(
        reverse("followups:report_edit", args=[report.pk]), report_post(report, assessment="uppfyllt") | {"submit": "1"}
    )
    report.refresh_from_db()
    with translation.override("en"):
        report_approve(report=report, by=world.users["coordinator"])
    report.refresh_from_db()
    snap = report.snapshot
    assert snap["schema"] == snapshots.SCHEMA
    (entry,) = snap["entries"]
    assert (entry["goal_id"], entry["assessment"]) == (world.result_goal.pk, "uppfyllt")
    (activity,) = snap["activities"]
    assert activity["status_id"] == world.activity.status_id and activity["summary"] == world.activity.status.summary
    assert activity["goals"] == [{"id": world.result_goal.pk, "code": "1.2.1"}]
    assert activity["funding"] == world.activity.funding
    assert not any(key.endswith("_label") for e in snap["entries"] + snap["activities"] for key in e)
    with translation.override("sv"):
        assert report_content(report).entries[0].assessment_label == "uppfyllt"
    with translation.override("en"):
        assert report_content(report).entries[0].assessment_label == "met"


def test_an_old_snapshot_in_the_database_reads_by_goal_id_in_the_readers_language(world):
    """The English-approved schema 1 snapshot, stored on an approved report of
    this world; the goal it reported on then changes its code."""
    captured = stored("snapshot_v1_approved_in_english.json")["en"]
    ids = {old_id: Goal.objects.get(plan=world.plan, code=code).pk for code, old_id in captured["goals"].items()}
    snap = captured["snapshot"]
    for e in snap["entries"]:
        e["goal_id"] = ids[e["goal_id"]]
    snap["activities"][0]["activity_id"] = world.activity.pk
    UnitReport.objects.filter(pk=world.report_a.pk).update(
        status=UnitReport.Status.APPROVED, approved_at=timezone.now(), snapshot=snap
    )
    Goal.objects.filter(pk=world.result_goal.pk).update(code="1.2.9")
    report = UnitReport.objects.get(pk=world.report_a.pk)

    content = report_content(report)
    assert content.schema == 1
    assert [(e.goal_id, e.code, e.assessment) for e in content.entries] == [(world.result_goal.pk, "1.2.9", "delvis")]
    assert [a.goals for a in content.activities] == [["1.2.9"], ["1.2", "1.2.9"]]
    assert [a.summary for a in content.activities] == ["forsenad", "forsenad"]

    page = world.client("reader").get(reverse("followups:report", args=[report.pk])).content.decode()
    with translation.override("sv"):
        partly = str(content.entries[0].assessment_label)
    assert "1.2.9" in page and partly.capitalize() in page
    assert "partly met" not in page.lower() and "delayed" not in page

    # A new round compares with it by goal id: the goal is not "new", the assessment changed.
    from conftest import make_round
    from followups.selectors import report_changes

    later = make_round(
        world.plan, "Tertial 3 2026", period_start=date(2026, 9, 1), period_end=date(2026, 12, 31),
        deadline=date(2027, 1, 31),
    )  # fmt: skip
    second = later.reports.get(unit=world.unit_a)
    world.client("contact_a").post(
        reverse("followups:report_edit", args=[second.pk]), report_post(second, assessment="uppfyllt")
    )
    changes = report_changes(report_content(second), content)
    assert [(c.what, c.kind, c.before_code, c.after_code) for c in changes if c.kind in ("goal", "assessment")] == [
        ("1.2.9", "assessment", "delvis", "uppfyllt")
    ]


MIGRATION = importlib.import_module("followups.migrations.0003_snapshot_schema_2")


def variants() -> list[tuple[dict, dict]]:
    """(schema 1 snapshot, the plan's goal ids by code): the stored ones, and the
    same with only the labels left where the codes were."""
    demo = stored("snapshot_v1_demo_stockholm.json")
    out = [(demo, {"2.2.1": 17})]
    for captured in stored("snapshot_v1_approved_in_english.json").values():
        out.append((captured["snapshot"], captured["goals"]))
        labels_only = json.loads(json.dumps(captured["snapshot"]))
        for e in labels_only["entries"]:
            e["assessment"] = e["assessment_label"]
        for a in labels_only["activities"]:
            del a["summary"]
        out.append((labels_only, captured["goals"]))
    return out


@pytest.mark.parametrize("case", range(5))
def test_the_data_migration_reads_old_snapshots_as_the_loader_does(case):
    old, goals = variants()[case]
    migrated = MIGRATION.upgrade(old, goals)
    assert migrated == snapshots.upgrade_v1(old, goal_ids_by_code=goals) | {"upgraded_from": 1}
    assert "label" not in json.dumps(migrated)
    # Backwards (for the previous release) and forwards again: the same.
    assert MIGRATION.upgrade(MIGRATION.downgrade(migrated), goals) == migrated


def test_the_data_migration_upgrades_the_stored_snapshots(world):
    from django.apps import apps

    captured = stored("snapshot_v1_approved_in_english.json")["en"]
    ids = {old_id: Goal.objects.get(plan=world.plan, code=code).pk for code, old_id in captured["goals"].items()}
    snap = captured["snapshot"]
    for e in snap["entries"]:
        e["goal_id"] = ids[e["goal_id"]]
    UnitReport.objects.filter(pk=world.report_a.pk).update(
        status=UnitReport.Status.APPROVED, approved_at=timezone.now(), snapshot=snap
    )
    MIGRATION.forwards(apps, None)
    report = UnitReport.objects.get(pk=world.report_a.pk)
    assert report.snapshot["schema"] == 2 and report.snapshot["upgraded_from"] == 1
    assert report.snapshot["activities"][1]["goals"] == [
        {"id": world.goal.pk, "code": "1.2"},
        {"id": world.result_goal.pk, "code": "1.2.1"},
    ]
    Goal.objects.filter(pk=world.goal.pk).update(code="1.3")  # after the upgrade: nothing is lost
    assert [a.goals for a in report_content(report).activities] == [["1.2.1"], ["1.3", "1.2.1"]]
    MIGRATION.backwards(apps, None)
    report.refresh_from_db()
    assert "schema" not in report.snapshot and report.snapshot["entries"][0]["assessment_label"] == "delvis uppfyllt"
