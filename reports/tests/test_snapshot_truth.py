"""The council report says what was approved, whatever changes later: goals
matched by id, assessments counted by code whatever language the approver
used, one version of each activity per document, consultations and waiting
views as of the period's end, every chapter saying which moment it shows, and
a manifest of everything the build read.

The clock is pinned after the rounds' deadlines, so the tests pass on any day."""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from activities.models import Funding
from activities.services import activity_update
from conftest import make_consultation, make_round
from consultations.models import AgendaItem, Feedback, View
from followups.models import UnitReport
from followups.services import report_approve
from followups.tests.test_followups import report_post
from indicators.models import Baseline, Indicator, Measurement
from plans.models import Goal
from reports.assemble import council_document
from reports.chapters.common import long_date
from reports.models import Build, CouncilReport

STOCKHOLM = ZoneInfo("Europe/Stockholm")
NOW = datetime(2027, 3, 1, 12, tzinfo=STOCKHOLM)
PERIOD_END = date(2026, 8, 31)  # the world's round: Tertial 2 2026


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def sv(text: str, **values) -> str:
    with translation.override("sv"):
        return _(text) % values if values else _(text)


def approve(world, report: UnitReport, *, assessment: str, result: str = "Resultat.", language: str = "sv"):
    contact = world.client("contact_a" if report.unit == world.unit_a else "contact_b")
    response = contact.post(
        reverse("followups:report_edit", args=[report.pk]),
        report_post(report, assessment=assessment, result=result) | {"submit": "1"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    with translation.override(language):
        report_approve(report=report, by=world.users["coordinator"])
    report.refresh_from_db()
    assert report.status == UnitReport.Status.APPROVED
    return report


def council(world, rounds, *, detail="full") -> CouncilReport:
    report = CouncilReport.objects.create(
        municipality=world.municipality, plan=world.plan, title="Uppföljning 2026", detail=detail
    )
    report.rounds.set(rounds)
    return report


def table(doc, caption: str):
    found = [b for b in doc.blocks if b.kind == "table" and b.caption == caption]
    found += [b.table for b in doc.blocks if b.kind == "chart" and b.table.caption == caption]
    assert found, f"no table {caption!r} in {[b.caption for b in doc.blocks if b.kind == 'table']}"
    return found[0]


def later_round(world):
    return make_round(
        world.plan, "Tertial 3 2026", period_start=date(2026, 9, 1), period_end=date(2026, 12, 31),
        deadline=date(2027, 1, 31),
    )  # fmt: skip


def test_a_goal_whose_code_changed_keeps_every_approved_assessment_result_and_activity(world):
    later = later_round(world)
    approve(world, world.report_a, assessment="delvis", result="Första tertialens resultat.")
    approve(world, world.round.reports.get(unit=world.unit_b), assessment="ej_uppfyllt", result="Hägersten.")
    approve(world, later.reports.get(unit=world.unit_a), assessment="uppfyllt", result="Fyrtio familjer nådda.")
    Goal.objects.filter(pk=world.result_goal.pk).update(code="1.2.9")

    doc, sources = council_document(council(world, [world.round, later]))
    text = doc.text()
    rows = table(doc, sv("Assessment of goal %(code)s", code="1.2.9")).rows
    assert rows == [
        ["Hägersten-Älvsjö stadsdelsnämnd", sv("not met"), "–"],
        ["Socialnämnden", sv("partly met"), sv("met")],
    ]
    assert "Fyrtio familjer nådda." in text  # the latest approved results
    # Hägersten's latest approved report is from the first round: the report says so where it quotes it.
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert sv("%(unit)s (in %(round)s)", unit="Hägersten-Älvsjö stadsdelsnämnd", round=world.round.name) in headings
    assert "Socialnämnden" in headings  # the latest round's own reports carry no round
    acts = table(doc, sv("Activities for goal %(code)s", code="1.2.9")).rows
    assert [a[0] for a in acts] == [world.activity.reference]
    assert sv("Nothing was reported on this goal in the period.") not in text
    assert "1.2.1" not in text  # nowhere the old code, the changes chapter included
    changes = table(doc, sv("Changes since %(previous)s", previous=world.round.name)).rows
    assert ["Socialnämnden", f"1.2.9 {world.result_goal.title}", sv("Assessment"), sv("partly met"), sv("met")] in (
        changes
    )
    assert [world.result_goal.pk, "1.2.9"] in sources["goals"]

    summary, _sources = council_document(council(world, [world.round, later], detail="sammanfattning"))
    header = [sv("met"), sv("partly met"), sv("not met"), sv("not assessed")]
    caption = sv("Number of committees per assessment in %(round)s, and activities", round=later.name)
    counts = table(summary, caption)
    row = next(r for r in counts.rows if r[0].startswith("1.2.9 "))
    assert counts.header[1:5] == header and row[1:5] == ["1", "0", "0", "0"]
    changed = table(summary, sv("Changes since %(previous)s, per committee", previous=world.round.name)).rows
    assert changed == [["Socialnämnden", "1", "0", "0", "0", "0", "0"]]  # assessed better, by code


def test_a_report_approved_in_english_counts_the_same_in_the_swedish_report(world):
    approve(world, world.report_a, assessment="uppfyllt", language="en")
    approve(world, world.round.reports.get(unit=world.unit_b), assessment="delvis", language="sv")
    stored = json.dumps(world.report_a.snapshot)
    assert world.report_a.snapshot["schema"] == 2 and "label" not in stored and '"met"' not in stored

    doc, _sources = council_document(council(world, [world.round], detail="sammanfattning"))
    caption = sv("Number of committees per assessment in %(round)s, and activities", round=world.round.name)
    row = next(r for r in table(doc, caption).rows if r[0].startswith("1.2.1 "))
    assert row[1:] == ["1", "1", "0", "0", "1"]  # met, partly met, not met, not assessed; one activity

    full, _sources = council_document(council(world, [world.round]))
    rows = table(full, sv("Assessment of goal %(code)s", code="1.2.1")).rows
    assert ["Socialnämnden", sv("met")] in rows


def test_the_funding_table_shows_the_activity_as_approved_like_the_goal_chapters(world):
    activity = world.activity
    activity_update(
        activity=activity, by=None, fields={"funding": Funding.STATE_GRANT, "funding_ends": date(2027, 6, 30)}
    )
    approve(world, world.report_a, assessment="delvis")
    done = world.plan.activity_statuses.get(summary="genomford")
    activity_update(
        activity=activity, by=None,
        fields={"title": "Nytt namn efter godkännandet", "status": done, "funding_ends": date(2028, 12, 31)},
    )  # fmt: skip

    doc, sources = council_document(council(world, [world.round]))
    assert "Nytt namn efter godkännandet" not in doc.text()
    approved_status = world.plan.activity_statuses.first().name
    funded = table(doc, sv("Activities on temporary funding")).rows
    assert funded == [
        [activity.reference, "Brobyggare i socialtjänsten", "Socialnämnden", sv("state grant"), "2027-06-30",
         approved_status],
    ]  # fmt: skip
    in_goal = table(doc, sv("Activities for goal %(code)s", code="1.2.1")).rows
    assert in_goal == [[activity.reference, "Brobyggare i socialtjänsten", "Socialnämnden", approved_status]]
    assert sources["activities_funding_read_live"] == []


def consultation_on(world, day: date, organisers, *, decision: date, title: str):
    c = make_consultation(
        world.municipality, organisers[0], title=title,
        starts_at=datetime(day.year, day.month, day.day, 17, tzinfo=STOCKHOLM),
        ends_at=datetime(day.year, day.month, day.day, 19, tzinfo=STOCKHOLM),
    )  # fmt: skip
    c.organisers.set(organisers)
    AgendaItem.objects.filter(consultation=c).update(decision_date=decision)
    return c


def test_consultations_are_counted_once_and_as_of_the_period_end(world):
    world.round.period_start = date(2026, 1, 1)
    world.round.save()
    fd = world.municipality.feedback_days
    both = consultation_on(
        world, date(2026, 6, 10), [world.unit_a, world.unit_b], decision=date(2026, 6, 20), title="Gemensamt samråd"
    )
    consultation_on(world, date(2026, 10, 1), [world.unit_a], decision=date(2026, 10, 20), title="Efter perioden")
    # Feedback given after the period's end: at the period's end the view was still waiting.
    view = View.objects.get(item__consultation=both)
    Feedback.objects.create(
        view=view, status=Feedback.Status.TAKEN, reasoning="Beaktad.", unit=world.unit_a, given_on=date(2026, 11, 1)
    )

    doc, sources = council_document(council(world, [world.round]))
    figures = table(doc, sv("Consultations per committee and form, %(year)d", year=2026))
    held = {r[0]: r[1] for r in figures.rows}
    # The world's consultation (12 March, Socialnämnden) and the joint one; the October one is after the period.
    assert held == {"Hägersten-Älvsjö stadsdelsnämnd": "1", "Socialnämnden": "2", sv("Total"): "2"}
    total = table(doc, sv("Views and feedback per committee, %(year)d", year=2026)).rows[-1]
    assert total[-2] == "2" and total[-1] == "0 %"  # both views overdue at the period's end, none answered

    waiting = table(
        doc,
        sv(
            "Views without final feedback more than %(days)d days after the decision, on %(date)s",
            days=fd, date=long_date(PERIOD_END),
        ),
    )  # fmt: skip
    days = {r[0]: r[4] for r in waiting.rows}
    assert days == {
        "Öppet samråd om brobyggare": str((PERIOD_END - date(2026, 4, 23)).days - fd),
        "Gemensamt samråd": str((PERIOD_END - date(2026, 6, 20)).days - fd),
    }
    assert "Efter perioden" not in doc.text()
    assert sorted(sources["consultations"]) == sorted([[world.consultation.pk, 1], [both.pk, both.version]])
    assert sources["consultations_as_of"] == "2026-08-31"
    assert sorted(sources["waiting_views"]) == sorted([world.view.pk, view.pk])


def test_every_chapter_says_which_moment_it_shows_and_the_build_lists_what_it_read(
    data, django_capture_on_commit_callbacks
):
    from reports.tests.test_reports import build, create_report

    b = build(data, create_report(data), django_capture_on_commit_callbacks)
    assert b.status == Build.Status.DONE, b.error
    doc = council_document(b.report)[0]
    text = doc.text()
    with translation.override("sv"):
        label = pgettext("the time a report covers", "Period")
    assert label == "Period"  # not the plan's "Giltighetstid"
    assert tuple(doc.facts[1]) == (label, f"{long_date(data.round.period_start)} – {long_date(PERIOD_END)}")
    approved_on = long_date(data.report_a.approved_at)
    for expected in [
        # goals (and funding): the approved snapshots and when
        sv(
            "As in the committees' approved follow-up reports, each as it was when approved (the latest approved on "
            "%(date)s).",
            date=approved_on,
        ),
        # indicators and consultations: the period's end
        sv(
            "As of the end of the period (%(date)s): measurements of later periods are not included. The values "
            "are as registered in Inkludera on %(read)s.",
            date=long_date(PERIOD_END), read=long_date(NOW),
        ),
        sv(
            "As of the end of the period (%(date)s): consultations held in the period; feedback counts as "
            "given on its date, so feedback given after %(date)s counts as not yet given.",
            date=long_date(PERIOD_END),
        ),
    ]:  # fmt: skip
        assert expected in text, expected

    s = b.sources
    assert s["manifest"] == 4 and s["period"] == ["2026-05-01", "2026-08-31"]
    assert s["reports"] == [
        {
            "id": data.report_a.pk, "round": data.round.pk, "unit": data.unit_a.pk, "version": data.report_a.version,
            "approved_at": data.report_a.approved_at.isoformat(), "schema": 2,
        }
    ]  # fmt: skip
    indicator = Indicator.objects.get()
    assert s["indicators"] == [[indicator.pk, indicator.version]]
    assert s["measurements"] == [[m.pk, m.version] for m in Measurement.objects.all()]
    assert s["inventories"] and all(len(i) == 2 for i in s["inventories"])
    assert "consultations" in s and "views" in s and s["read_at"]
    page = data.client("coordinator").get(reverse("reports:detail", args=[b.report.pk])).content.decode()
    assert 'class="build-sources"' in page and "2026-05-01 – 2026-08-31" in page  # the manifest, on the build's page
    assert f"#{data.report_a.pk} v{data.report_a.version}" in page


def test_a_text_indicator_shows_its_baseline_note_and_a_split_chart_its_legend_and_numbers(data):
    from reports.tests.test_reports import create_report

    text_indicator = Indicator.objects.create(
        municipality=data.municipality,
        name="Förtroende för skolan",
        kind=Indicator.Kind.TEXT,
        responsible_unit=data.unit_a,
    )
    text_indicator.goals.set([data.result_goal])
    Baseline.objects.create(
        indicator=text_indicator, date=date(2024, 1, 1), note="Lågt förtroende enligt dialogmöten 2023."
    )
    split = Indicator.objects.create(
        municipality=data.municipality,
        name="Deltagare i läxhjälp",
        unit="personer",
        gender_split=True,
        responsible_unit=data.unit_a,
    )
    split.goals.set([data.result_goal])
    Measurement.objects.create(indicator=split, period_end=date(2026, 3, 31), value=30, women=18, men=12)
    Measurement.objects.create(indicator=split, period_end=date(2026, 6, 30), value=40, women=25, men=15)
    Measurement.objects.create(indicator=split, period_end=date(2026, 12, 31), value=99, women=50, men=49)  # later

    doc, _sources = council_document(create_report(data))
    overview = table(doc, sv("Indicators with baseline, target and latest value"))
    row = next(r for r in overview.rows if r[0] == "Förtroende för skolan")
    assert row[2] == "Lågt förtroende enligt dialogmöten 2023. (2024-01-01)"
    chart = next(b for b in doc.blocks if b.kind == "chart" and b.title == "Deltagare i läxhjälp")
    assert chart.table.header[-2:] == [sv("Women"), sv("Men")]
    assert ["2026-06-30", sv("Measured"), "40", "25", "15"] in chart.table.rows
    assert not any(r[0] == "2026-12-31" for r in chart.table.rows)  # after the period's end
    assert 'class="chart-legend"' in chart.svg
    for label in (sv("Women"), sv("Men")):
        assert f">{label}</text>" in chart.svg


def test_focus_areas_and_effect_goals_show_their_goals_state_instead_of_nothing_reported(world):
    from django.utils.translation import ngettext

    approve(world, world.report_a, assessment="uppfyllt")
    doc, _sources = council_document(council(world, [world.round]))
    text = doc.text()
    assert sv("Nothing was reported on this goal in the period.") not in text
    with translation.override("sv"):
        state = _(
            "The committees' assessments of them in %(round)s: %(met)d met, %(partly)d partly met, %(not_met)d "
            "not met, %(not_assessed)d not assessed; %(activities)d activities."
        ) % {"round": world.round.name, "met": 1, "partly": 0, "not_met": 0, "not_assessed": 0, "activities": 1}
        focus = ngettext(
            "Followed up through the goal under it.", "Followed up through the %(n)d goals under it.", 2
        ) % {"n": 2}
        effect = ngettext(
            "Followed up through the goal under it.", "Followed up through the %(n)d goals under it.", 1
        ) % {"n": 1}
    notes = [b.text for b in doc.blocks if b.kind == "paragraph" and b.style == "note"]
    assert f"{focus} {state}" in notes and f"{effect} {state}" in notes


def test_a_goal_new_in_a_committees_report_is_not_counted_as_a_new_activity(world):
    """The summary's tally per committee: a goal the committee did not report on
    before (new in its report) is a changed assessment, not a new activity."""
    later = later_round(world)
    approve(world, world.report_a, assessment="delvis")
    approve(world, later.reports.get(unit=world.unit_a), assessment="delvis")
    # The committee became responsible for the goal after the first round: no entry then.
    UnitReport.objects.filter(pk=world.report_a.pk).update(snapshot={**world.report_a.snapshot, "entries": []})

    full, _sources = council_document(council(world, [world.round, later]))
    rows = table(full, sv("Changes since %(previous)s", previous=world.round.name)).rows
    assert [r[2:] for r in rows] == [[sv("Goal"), "", sv("new in this report")]]
    summary, _sources = council_document(council(world, [world.round, later], detail="sammanfattning"))
    changed = table(summary, sv("Changes since %(previous)s, per committee", previous=world.round.name)).rows
    # better, worse, other changed assessments, new status, new activities, activities gone
    assert changed == [["Socialnämnden", "0", "0", "1", "0", "0", "0"]]


@pytest.mark.parametrize(
    "change",
    ["goal title", "goal moved", "unit renamed", "feedback days", "responsible", "decision date", "round renamed",
     "overall goal"],
)  # fmt: skip
def test_two_builds_that_differ_have_manifests_that_differ(world, change):
    """Whatever live datum changes the document between two builds shows in
    the manifest (Build.sources): goals' titles and places in the tree, the
    committees' names, the feedback days, who answers for a goal."""
    approve(world, world.report_a, assessment="delvis")
    goal = world.result_goal
    other = Goal.objects.create(
        plan=world.plan, depth=goal.depth - 1, parent=goal.parent.parent, code="1.3", title="Ett annat effektmål",
        position=9,
    )  # fmt: skip
    report = council(world, [world.round])
    doc_before, before = council_document(report)
    if change == "goal title":
        Goal.objects.filter(pk=goal.pk).update(title="Ett nytt namn på målet")
    elif change == "goal moved":
        Goal.objects.filter(pk=goal.pk).update(parent=other)
    elif change == "unit renamed":
        type(world.unit_a).objects.filter(pk=world.unit_a.pk).update(name="Social- och arbetsmarknadsnämnden")
    elif change == "feedback days":
        type(world.municipality).objects.filter(pk=world.municipality.pk).update(
            feedback_days=world.municipality.feedback_days + 7
        )
    elif change == "responsible":
        goal.responsibilities.filter(unit=world.unit_a).delete()
    elif change == "decision date":  # the view is overdue by five more days at the period's end
        item = AgendaItem.objects.get(pk=world.view.item_id)
        AgendaItem.objects.filter(pk=item.pk).update(decision_date=item.decision_date - timedelta(days=5))
    elif change == "round renamed":
        type(world.round).objects.filter(pk=world.round.pk).update(name="Andra tertialen 2026")
    elif change == "overall goal":
        type(world.plan).objects.filter(pk=world.plan.pk).update(overall_goal="Ett nytt övergripande mål.")
    doc_after, after = council_document(report)
    assert doc_after.text() != doc_before.text()  # the document differs ...
    for manifest in (before, after):
        manifest.pop("read_at")
    assert after != before  # ... and so does what the build says it read


def test_a_coordinators_assessment_of_an_indicator_shows_in_the_manifest(data):
    """The coordinator's own assessment of an indicator (not versioned) changes
    the report's indicator table: the manifest says which assessment it printed."""
    from indicators.models import Track
    from indicators.services import indicator_assess
    from reports.tests.test_reports import create_report

    report = create_report(data)
    indicator = Indicator.objects.get()
    doc_before, before = council_document(report)
    track = Track.REACHED if indicator.track_override != Track.REACHED else Track.OFF_TRACK
    indicator_assess(indicator=indicator, by=data.users["coordinator"], track=track, reason="Bedömt på mötet.")
    doc_after, after = council_document(report)
    assert doc_after.text() != doc_before.text()
    for manifest in (before, after):
        manifest.pop("read_at")
    assert after != before


def test_a_goal_code_changed_while_the_report_is_built_is_printed_one_way(data):
    """The plan's goals are read once per build: a code changed by someone else
    while the chapters are assembled never gives one goal two codes in one document."""
    from reports.tests.test_reports import create_report

    report = create_report(data)
    goal = data.result_goal

    def step(percent, _text):
        if percent == 25:  # after the approved reports were read, before the goal chapters
            Goal.objects.filter(pk=goal.pk).update(code="1.2.9")

    doc, sources = council_document(report, progress=step)
    text = doc.text()
    assert "1.2.1" in text and "1.2.9" not in text  # as read when the build began, everywhere
    assert [goal.pk, "1.2.1"] in sources["goals"]


def test_a_needs_inventorys_gaps_say_when_they_were_read_and_the_manifest_lists_them(data):
    """An inventory's results are frozen, but which needs lack a goal or an
    activity is read from the plan as it is: the page says as of when, and the
    manifest lists the gaps it printed."""
    from activities.models import Activity
    from reports.tests.test_reports import create_report

    report = create_report(data)
    doc_before, before = council_document(report)
    built = long_date(NOW)
    note = sv(
        "The needs without a goal or an activity, and the quotes, are as registered in Inkludera on %(date)s.",
        date=built,
    )
    assert note in doc_before.text()
    assert ["Bostad"] in [b.items for b in doc_before.blocks if b.kind == "list"]
    theme = data.plan.inventories.get().themes.get()
    theme.goals.add(data.result_goal)  # a goal with a public activity: no longer a gap
    Activity.objects.filter(pk=data.activity.pk).update(visibility=Activity.Visibility.PUBLIC)
    doc_after, after = council_document(report)
    assert doc_after.text() != doc_before.text()
    for manifest in (before, after):
        manifest.pop("read_at")
    assert after != before
    assert before["inventory_gaps"] == [[data.plan.inventories.get().pk, [theme.pk]]]
    assert after["inventory_gaps"] == [[data.plan.inventories.get().pk, []]]


def test_a_copy_of_the_report_for_the_same_period_is_not_the_previous_report_to_the_council(world):
    """ "What changed" compares with the previous report to the council only if
    it covered an earlier period: a summary made beside the complete report (same
    rounds) is no previous report, whichever was made or built first."""
    later = later_round(world)
    approve(world, world.report_a, assessment="delvis")
    approve(world, later.reports.get(unit=world.unit_a), assessment="uppfyllt")
    full = council(world, [world.round, later])
    summary = council(world, [world.round, later], detail="sammanfattning")
    summary.title = "Uppföljning 2026, sammanfattning"
    summary.save()
    Build.objects.create(report=summary, status=Build.Status.DONE)

    doc, sources = council_document(full)
    assert sources["compared_with_label"] == world.round.name
    table(doc, sv("Changes since %(previous)s", previous=world.round.name))

    earlier = council(world, [world.round])  # a report on the first round only: a previous report
    earlier.title = "Uppföljning tertial 2"
    earlier.save()
    Build.objects.create(report=earlier, status=Build.Status.DONE)
    _doc, sources = council_document(full)
    assert sources["compared_with_label"] == sv(
        "the previous report to the council (%(title)s)", title="Uppföljning tertial 2"
    )
