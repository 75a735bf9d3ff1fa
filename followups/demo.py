"""Demo follow-up: two approved yearly rounds and an open tertial with reports in
every state. Texts are composed from each unit's demo activities. Safe to run
again: a round that exists is left as it is."""

from __future__ import annotations

import zlib
from datetime import date, datetime, time

from django.utils import timezone

from organisations.models import Municipality
from plans.models import Plan

from .models import ActivityUpdate, Assessment, Round, UnitReport
from .selectors import own_activities, report_entries
from .services import EntryInput, report_approve, report_return, report_save, report_submit, round_open

CHALLENGES = [
    "Svårt att nå romska familjer utan brobyggare; förtroendet byggs långsamt.",
    "Insatsen finansieras med statsbidrag som upphör; ordinarie finansiering saknas.",
    "Personalomsättning gör att kunskapen om antiziganism behöver byggas upp igen.",
    "Få deltagare från romska organisationer i samråden; tiderna passar inte alla.",
    "Saknar underlag för att följa upp resultat över tid; nollmätning behövs.",
    "Samverkan med andra nämnder behöver formaliseras.",
]

ROUNDS = [
    # name, period start, period end, deadline
    ("Verksamhetsberättelse 2024", date(2024, 1, 1), date(2024, 12, 31), date(2025, 2, 14)),
    ("Verksamhetsberättelse 2025", date(2025, 1, 1), date(2025, 12, 31), date(2026, 2, 13)),
    ("Tertial 2 2026", date(2026, 5, 1), date(2026, 8, 31), date(2026, 10, 15)),
]

# In the open round: units whose report is approved, submitted or returned; the rest are drafts.
OPEN_ROUND_STATES = {
    "KS": UnitReport.Status.APPROVED,
    "KN": UnitReport.Status.APPROVED,
    "UN": UnitReport.Status.SUBMITTED,
    "AMN": UnitReport.Status.SUBMITTED,
    "Skärholmen": UnitReport.Status.SUBMITTED,
    "Hägersten-Älvsjö": UnitReport.Status.RETURNED,
}


def _pick(seed: str, options: list):
    return options[zlib.crc32(seed.encode()) % len(options)]


def _fill(report: UnitReport, *, complete: bool) -> None:
    activities = own_activities(report)
    by_goal: dict[int, list] = {}
    for a in activities:
        for g in a.goals.all():
            by_goal.setdefault(g.pk, []).append(a)
    entries = []
    for i, e in enumerate(report_entries(report)):
        if not complete and i % 2:
            continue  # a draft half written
        mine = by_goal.get(e.goal_id, [])
        seed = f"{report.round.name}{report.unit.short_name}{e.goal.code}"
        if mine:
            titles = "; ".join(a.title for a in mine[:3])
            result = f"Under perioden har enheten arbetat med: {titles}."
            assessment = _pick(seed, [Assessment.MET, Assessment.PARTLY, Assessment.PARTLY])
        else:
            result = "Inga särskilda insatser mot målet under perioden; målet beaktas i ordinarie verksamhet."
            assessment = _pick(seed, [Assessment.NOT_MET, Assessment.NOT_ASSESSED])
        entries.append(
            EntryInput(
                entry=e,
                result=result,
                challenges=_pick(seed + "u", CHALLENGES),
                assessment=assessment,
                extra={},
            )
        )
    report_save(report=report, by=None, summary="", version=None, entries=entries, updates=[])
    for a in activities:
        # Written directly: a past report must not move the activity's current status.
        ActivityUpdate.objects.get_or_create(report=report, activity=a, defaults={"status": a.status})


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def load_demo_rounds(*, municipality: Municipality, plan_title: str) -> int:
    plan = Plan.objects.get(municipality=municipality, title=plan_title)
    created = 0
    for name, start, end, deadline in ROUNDS:
        if Round.objects.filter(plan=plan, name=name).exists():
            continue
        rnd = round_open(
            plan=plan,
            by=None,
            fields={"name": name, "period_start": start, "period_end": end, "deadline": deadline},
        )
        created += 1
        past = deadline < timezone.localdate() and name != ROUNDS[-1][0]
        for report in rnd.reports.select_related("round", "unit"):
            state = UnitReport.Status.APPROVED if past else OPEN_ROUND_STATES.get(report.unit.short_name)
            _fill(report, complete=state is not None)
            if state is None:
                continue
            report_submit(report=report, by=None)
            if state == UnitReport.Status.RETURNED:
                report_return(
                    report=report,
                    by=None,
                    comment="Komplettera med utmaningar för målen om bostad och med status för läxhjälpen.",
                )
            elif state == UnitReport.Status.APPROVED:
                report_approve(report=report, by=None)
        # Dates as they would have been: submitted before the deadline, approved after.
        UnitReport.objects.filter(round=rnd, submitted_at__isnull=False).update(submitted_at=_at(deadline))
        UnitReport.objects.filter(round=rnd, approved_at__isnull=False).update(approved_at=_at(deadline))
    return created
