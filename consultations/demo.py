"""Demo consultations from demo/<municipality>-consultations.yaml; safe to run
again (a council or consultation is matched by its name or title)."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from activities.models import Activity
from organisations.models import Membership, Municipality, OrgUnit
from plans.models import Plan

from .models import (
    AgendaItem,
    Consultation,
    Council,
    CouncilMember,
    Feedback,
    MinutesComment,
    MinutesVersion,
    View,
)


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# "today+21" or "today+21 17:30": a date relative to the day the demo is loaded,
# so the demo's coming samråd stays ahead of whoever tries it, whenever that is.
RELATIVE = re.compile(r"^today\+(\d+)(?: (\d{1,2}):(\d{2}))?$")


def _relative(value) -> datetime | None:
    match = RELATIVE.match(str(value).strip())
    if match is None:
        return None
    days, hour, minute = match.groups()
    day = timezone.localdate() + timedelta(days=int(days))
    return datetime.combine(day, time(int(hour or 0), int(minute or 0)))


def _dt(value) -> datetime:
    naive = _relative(value) or (value if isinstance(value, datetime) else datetime.fromisoformat(str(value)))
    return naive.replace(tzinfo=ZoneInfo(settings.TIME_ZONE)) if timezone.is_naive(naive) else naive


def _day(value) -> date:
    if (relative := _relative(value)) is not None:
        return relative.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@transaction.atomic
def load_demo_consultations(*, municipality: Municipality, data: dict) -> int:
    """The council, its roster and the consultations; representatives' accounts
    must exist already (load_demo creates them). Returns the consultations created."""
    units = {u.short_name: u for u in OrgUnit.objects.filter(municipality=municipality)}
    plan = Plan.objects.get(municipality=municipality, title=data["plan"])
    goals = {g.code: g for g in plan.goals.all()}
    activities = {a.title: a for a in Activity.objects.filter(plan=plan)}
    members = Membership.objects.filter(municipality=municipality, role=Membership.Role.REPRESENTATIVE)
    reps = {m.user.username: m for m in members.select_related("user")}

    council = None
    if c := data.get("council"):
        council, created = Council.objects.get_or_create(
            municipality=municipality,
            name=c["name"],
            defaults={
                "unit": units.get(c.get("unit")),
                "established_on": c.get("established_on"),
                "evaluate_by": c.get("evaluate_by"),
                "description": c.get("description", ""),
            },
        )
        if created:
            CouncilMember.objects.bulk_create(
                CouncilMember(
                    council=council,
                    organisation=m["organisation"],
                    position=m.get("position", CouncilMember.Position.MEMBER),
                    name=m.get("name", "") if m.get("named_consent") else "",
                    named_consent=bool(m.get("named_consent")),
                    period_from=m.get("period_from"),
                    period_to=m.get("period_to"),
                )
                for m in c.get("members", [])
            )

    created_count = 0
    for c in data.get("consultations", []):
        if Consultation.objects.filter(municipality=municipality, title=c["title"]).exists():
            continue
        consultation = Consultation.objects.create(
            municipality=municipality,
            title=c["title"],
            form=c["form"],
            council=council if c.get("council") else None,
            starts_at=_dt(c["starts_at"]),
            ends_at=_dt(c["ends_at"]),
            place=c.get("place", ""),
            accessibility=c.get("accessibility", ""),
            in_public_calendar=bool(c.get("in_public_calendar")),
            video_link=c.get("video_link", ""),
            services=c.get("services", []),
            invited_organisations=c.get("invited_organisations", ""),
            influence=c["influence"],
            influence_note=c["influence_note"],
            attendance_total=c.get("attendance_total"),
            attendance=c.get("attendance", {}),
            organisations_present=c.get("organisations_present", ""),
            compensation_paid=bool(c.get("compensation_paid")),
            compensation_total=c.get("compensation_total"),
            internal_notes=c.get("internal_notes", ""),
        )
        consultation.organisers.set([units[s] for s in c["organisers"]])
        consultation.representatives.set([reps[u] for u in c.get("representatives", []) if u in reps])
        for position, i in enumerate(c.get("items", []), start=1):
            item = AgendaItem.objects.create(
                consultation=consultation,
                position=position,
                question=i["question"],
                responsible_unit=units[i["responsible_unit"]],
                decision_body=i["decision_body"],
                decision_date=_day(i["decision_date"]),
                decision_ref=i.get("decision_ref", ""),
            )
            item.goals.set([goals[str(code)] for code in i.get("goals", [])])
            item.activities.set([activities[t] for t in i.get("activities", []) if t in activities])
            for v in i.get("views", []):
                view = View.objects.create(
                    item=item,
                    text=v["text"],
                    given_by=v.get("given_by", View.GivenBy.GROUP),
                    representative=reps.get(v["representative"]) if v.get("representative") else None,
                )
                if f := v.get("feedback"):
                    feedback = Feedback.objects.create(
                        view=view,
                        status=f["status"],
                        reasoning=f["reasoning"],
                        decision_ref=f.get("decision_ref", ""),
                        unit=units[f["unit"]],
                        given_on=_day(f["given_on"]),
                    )
                    feedback.goals.set([goals[str(code)] for code in f.get("goals", [])])
                    feedback.activities.set([activities[t] for t in f.get("activities", []) if t in activities])
        if m := c.get("minutes"):
            minutes = MinutesVersion.objects.create(
                consultation=consultation, number=1, text=m["text"].strip(), status=m.get("status", "utkast")
            )
            minutes.reviewers.set([reps[u] for u in m.get("reviewers", []) if u in reps])
            held = consultation.ends_at
            stamps = {}
            if minutes.status != MinutesVersion.Status.DRAFT:
                stamps["sent_at"] = held + timedelta(days=7)
            if minutes.status in (MinutesVersion.Status.APPROVED, MinutesVersion.Status.PUBLISHED):
                stamps["approved_at"] = held + timedelta(days=21)
            if minutes.status == MinutesVersion.Status.PUBLISHED:
                stamps["published_at"] = held + timedelta(days=22)
            if stamps:
                MinutesVersion.objects.filter(pk=minutes.pk).update(**stamps)
            for comment in m.get("comments", []):
                if comment["author"] in reps:
                    MinutesComment.objects.create(minutes=minutes, author=reps[comment["author"]], text=comment["text"])
        created_count += 1
    return created_count
