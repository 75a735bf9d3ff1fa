"""The demo remisses (demo/stockholm-remisses.yaml), loaded by home's load_demo.
Safe to run again: a remiss already there (by title) is left as it is; the version
adopted after a remiss (``adopted_version``) is made once, and the links of comments
to its changes (``changes``) are added when missing."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from django.db import transaction

from organisations.models import Municipality, OrgUnit
from plans.models import Goal, Plan

from .models import PLAN_TEXTS, Answer, Body, Comment, CommentChange, Remiss, change_key

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _aware(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=STOCKHOLM)


@transaction.atomic
def load_demo_remisses(*, municipality: Municipality, path: Path, underlag: bool = False) -> int:
    """Write the remisses as they stand after their history (dates in the past, so
    written directly rather than through the services, which date things today).
    ``underlag``: ask the worker for each new sent remiss's generated remissunderlag
    (PDF and Word of the version sent), as sending it does (``load_demo --remissunderlag``,
    which scripts/demo uses; tests leave it off, as rendering takes a second or two)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    units = {u.short_name: u for u in OrgUnit.objects.filter(municipality=municipality)}
    made = 0
    for entry in data.get("remisses", []):
        # The version sent: the first of its chain unless the file says another.
        plan = Plan.objects.get(municipality=municipality, title=entry["plan"], version=entry.get("plan_version", 1))
        remiss = Remiss.objects.filter(municipality=municipality, title=entry["title"]).first()
        if remiss is None:
            remiss = _create_remiss(entry, plan, municipality, units)
            made += 1
            if underlag and not remiss.is_draft:
                from .services import underlag_request

                underlag_request(remiss=remiss, by=None)
        if entry.get("adopted_version"):
            remiss = Remiss.objects.select_related("plan", "municipality").get(
                municipality=municipality, title=entry["title"]
            )
            later = _adopted_version(municipality, plan, entry["adopted_version"])
            _link_changes(remiss, later, entry)
    return made


def _create_remiss(entry: dict, plan: Plan, municipality: Municipality, units: dict[str, OrgUnit]) -> Remiss:
    remiss = Remiss.objects.create(
        municipality=municipality,
        plan=plan,
        title=entry["title"],
        dnr=entry.get("dnr", ""),
        letter=entry.get("letter", ""),
        sent_on=entry["sent_on"],
        deadline=entry["deadline"],
        status=entry.get("status", Remiss.Status.SENT),
        closed_at=_aware(entry["deadline"]) if entry.get("status") == Remiss.Status.CLOSED else None,
        created_at=_aware(entry["sent_on"]),
        # On the public site (public/views/remiss.py), as the coordinator publishes it after closing.
        published_at=_aware(entry["deadline"]) if entry.get("published") else None,
    )
    bodies = {s: Body.objects.create(remiss=remiss, unit=units[s]) for s in entry.get("units", [])}
    for org in entry.get("organisations", []):
        bodies[org["name"]] = Body.objects.create(remiss=remiss, name=org["name"], email=org["email"])
    goals = {g.code: g for g in plan.goals.all()}
    for a in entry.get("answers", []):
        answered_on = a.get("answered_on") or entry["deadline"]
        answer = Answer.objects.create(
            body=bodies[a.get("unit") or a["organisation"]],
            dnr=a.get("dnr", ""),
            answered_on=answered_on,
            officer=a.get("officer", ""),
            decided_by=a.get("decided_by", ""),
            decided_on=a.get("decided_on"),
            stance=a["stance"],
            summary=a.get("summary", "").strip(),
            general_comments=a.get("general_comments", "").strip(),
            is_late=answered_on > entry["deadline"],
            received_via=a.get("via", Answer.Via.APP),
            submitted_at=_aware(answered_on),
            publish_consent=bool(a.get("publish_consent", False)),
        )
        for c in a.get("comments", []):
            goal = goals[str(c["goal"])] if c.get("goal") else None
            Comment.objects.create(
                answer=answer,
                section=Comment.Section.GOAL if goal else c["section"],
                goal=goal,
                text=c["text"].strip(),
                handling=c.get("handling", ""),
                handling_text=c.get("handling_text", ""),
                handled_at=_aware(entry["deadline"]) if c.get("handling") else None,
            )
    return remiss


def _edited(text: str, edits: list[dict] | None, where: str) -> str:
    """``text`` with each ``old`` → ``new`` replacement applied once; an ``old`` not in
    the text is an error in the demo file, not something to skip."""
    for edit in edits or []:
        if edit["old"] not in text:
            raise ValueError(f"{where}: “{edit['old'][:50]}” is not in the text")
        text = text.replace(edit["old"], edit["new"], 1)
    return text


def _adopted_version(municipality: Municipality, plan: Plan, spec: dict) -> Plan:
    """The version adopted after the remiss of ``plan``: made once, as the coordinator
    makes one (plans.services.plan_new_version: a copy with the goals' identities), then
    given the demo file's changes and the council's decision. The version sent on remiss
    is replaced by it; it is itself replaced by ``replaced_by``, when given."""
    from plans.services import plan_new_version

    later = Plan.objects.filter(previous_version=plan).order_by("version").first()
    if later is not None:
        return later
    later = plan_new_version(plan=plan, by=None)
    fields = {
        "status": Plan.Status.ADOPTED,
        "adopted_by": spec["adopted_by"],
        "adopted_on": spec["adopted_on"],
        "adopted_paragraph": spec.get("paragraph", ""),
        "description": _edited(later.description, spec.get("description"), "description"),
    }
    if spec.get("replaced_by"):
        fields["status"] = Plan.Status.REPLACED
        fields["replaced_by"] = Plan.objects.get(municipality=municipality, title=spec["replaced_by"])
    Plan.objects.filter(pk=later.pk).update(**fields)
    for code, edits in (spec.get("goals") or {}).items():
        goal = later.goals.get(code=str(code))
        Goal.objects.filter(pk=goal.pk).update(
            **{name: _edited(getattr(goal, name), edits.get(name), f"goal {code} {name}") for name in edits}
        )
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.REPLACED, replaced_by=later)
    later.refresh_from_db()
    return later


def _link_changes(remiss: Remiss, later: Plan, entry: dict) -> None:
    """Each comment's ``changes`` (goal codes in ``later``, or ``plan`` for the plan's own
    texts) as links, checked as the coordinator's are (services.check_changes); the
    comment's handling is set to the file's, which a link needs."""
    from .services import check_changes

    sent_goals = {g.code: g for g in remiss.plan.goals.all()}
    later_goals = {g.code: g for g in later.goals.all()}
    for a in entry.get("answers", []):
        body = Body.objects.get(
            remiss=remiss, **({"unit__short_name": a["unit"]} if a.get("unit") else {"name": a["organisation"]})
        )
        for c in a.get("comments", []):
            if not c.get("changes"):
                continue
            where = {"goal": sent_goals[str(c["goal"])]} if c.get("goal") else {"section": c["section"]}
            comment = Comment.objects.get(answer__body=body, **where)
            if (comment.handling, comment.handling_text) != (c["handling"], c.get("handling_text", "")):
                Comment.objects.filter(pk=comment.pk).update(
                    handling=c["handling"],
                    handling_text=c.get("handling_text", ""),
                    handled_at=_aware(entry["deadline"]),
                )
            keys = [
                PLAN_TEXTS if str(k) == PLAN_TEXTS else change_key(later_goals[str(k)].identity) for k in c["changes"]
            ]
            check_changes(remiss=remiss, handling=c["handling"], version=later, keys=keys)
            for key in keys:
                identity = None if key == PLAN_TEXTS else key.split(":", 1)[1]
                CommentChange.objects.get_or_create(
                    comment=comment,
                    version=later,
                    goal_identity=identity,
                    defaults={"created_at": _aware(later.adopted_on or entry["deadline"])},
                )
