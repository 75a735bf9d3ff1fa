"""Writes for needs inventories, audited in the same transaction. Codings are
not audited one by one: each records who decided it and on which day."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import Activity
from activities.services import activity_create
from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created, snapshot_deleted
from lib.locking import claim_version
from lib.personal_data import REMOVED, marker
from organisations.models import Municipality, OrgUnit
from plans.models import Goal
from surveys.models import Answer, Question, Survey

from .access import coder_candidates
from .coding import words
from .models import DEFAULT_AGE_GROUPS, DEFAULT_THEMES, Coding, DialogueNote, Inventory, Quote, Recommendation, Theme
from .selectors import TARGET_LOOKUPS, coding_target, release_tables, target_text


class InventoryRefused(Exception):
    """A change the inventory's state does not allow; the message says why, in Swedish."""


def _audit(inventory: Inventory, by, action: str, changes: dict[str, Any], obj=None) -> None:
    audit_record(municipality=inventory.municipality, actor=by, action=action, obj=obj or inventory, changes=changes)


def _snapshot(inventory: Inventory) -> dict[str, Any]:
    return {
        "name": inventory.name,
        "unit": inventory.unit.short_name if inventory.unit_id else None,
        "purpose": inventory.purpose,
        "plan": inventory.plan.title if inventory.plan_id else None,
        "starts_on": inventory.starts_on,
        "ends_on": inventory.ends_on,
        "age_groups": ", ".join(inventory.age_groups),
        "published": inventory.published,
    }


@transaction.atomic
def inventory_create(*, municipality: Municipality, by, fields: dict[str, Any]) -> Inventory:
    """A new inventory with the default codebook (seed 000's themes, bostad and hälsa)."""
    fields = {"age_groups": list(DEFAULT_AGE_GROUPS), **fields}
    inventory = Inventory.objects.create(municipality=municipality, **fields)
    Theme.objects.bulk_create(
        Theme(inventory=inventory, name=name, keywords=keywords, position=i)
        for i, (name, keywords) in enumerate(DEFAULT_THEMES, start=1)
    )
    _audit(inventory, by, AuditEvent.Action.CREATE, snapshot_created(_snapshot(inventory)))
    return inventory


@transaction.atomic
def inventory_update(*, inventory: Inventory, by, fields: dict[str, Any], version: int | None = None) -> Inventory:
    before = _snapshot(Inventory.objects.select_related("unit", "plan").get(pk=inventory.pk))
    claim_version(inventory, version)
    for name, value in fields.items():
        setattr(inventory, name, value)
    inventory.save()
    _audit(inventory, by, AuditEvent.Action.UPDATE, diff(before, _snapshot(inventory)))
    return inventory


@transaction.atomic
def inventory_delete(*, inventory: Inventory, by) -> None:
    if inventory.surveys.exists() or inventory.notes.exists():
        raise InventoryRefused(_("An inventory with surveys or dialogue meetings is kept."))
    _audit(inventory, by, AuditEvent.Action.DELETE, snapshot_deleted(_snapshot(inventory)))
    inventory.delete()


@transaction.atomic
def inventory_finalise(*, inventory: Inventory, by) -> Inventory:
    """Fix the results (fastställa) once every survey of the inventory has its
    results finalised: the protected tables are frozen in ``inventory.release``,
    and the results page, the downloads, the public page, the API and the
    council report show them and nothing else from then on. Coding or notes
    changed later do not move them: two releases of nearly the same data could
    be compared. Audited."""
    inventory = Inventory.objects.select_for_update().select_related("municipality").get(pk=inventory.pk)
    if inventory.is_finalised:
        raise InventoryRefused(_("The results are already finalised."))
    waiting = [s.name for s in inventory.surveys.exclude(status=Survey.Status.FINALISED).order_by("name")]
    if waiting:
        raise InventoryRefused(
            _("Finalise the results of its surveys first: %(surveys)s.") % {"surveys": ", ".join(waiting)}
        )
    inventory.release = release_tables(inventory)
    inventory.finalised_on = timezone.localdate()
    inventory.save(update_fields=["release", "finalised_on"])
    _audit(inventory, by, AuditEvent.Action.UPDATE, {"results finalised": [None, inventory.finalised_on]})
    return inventory


# --- The codebook ----------------------------------------------------------------------


def _theme_snapshot(theme: Theme) -> dict[str, Any]:
    return {
        "name": theme.name,
        "description": theme.description,
        "keywords": theme.keywords,
        "goals": ", ".join(sorted(g.code for g in theme.goals.all())) if theme.pk else "",
    }


@transaction.atomic
def theme_save(
    *, inventory: Inventory, by, theme: Theme | None, fields: dict[str, Any], goals: Iterable[Goal]
) -> Theme:
    creating = theme is None
    if creating:
        top = inventory.themes.aggregate(m=Max("position"))["m"] or 0
        theme = Theme(inventory=inventory, position=top + 1)
    before = {} if creating else _theme_snapshot(theme)
    for name, value in fields.items():
        setattr(theme, name, value)
    theme.save()
    theme.goals.set(list(goals))
    after = _theme_snapshot(theme)
    changes = snapshot_created(after) if creating else diff(before, after)
    label = _("theme") + f" {theme.name}"
    _audit(inventory, by, AuditEvent.Action.UPDATE, {f"{label}: {k}": v for k, v in changes.items()})
    return theme


@transaction.atomic
def theme_delete(*, theme: Theme, by) -> None:
    """Remove a theme and its codings (the answers and notes themselves stay)."""
    _audit(theme.inventory, by, AuditEvent.Action.UPDATE, {_("theme"): [theme.name, None]})
    theme.delete()


# --- Dialogue meetings -------------------------------------------------------------------


def _note_snapshot(note: DialogueNote, quotes: list[tuple[str, bool]]) -> dict[str, Any]:
    return {
        "held_on": note.held_on,
        "place": note.get_place_display(),
        "participants": note.participants,
        "age_counts": ", ".join(f"{k}: {v}" for k, v in note.age_counts.items()),
        # The length only: a summary that named someone by mistake is not kept in the history.
        "summary (characters)": len(note.summary),
        "quotes": len(quotes),
        "publishable quotes": sum(1 for _t, p in quotes if p),
    }


@transaction.atomic
def note_save(
    *,
    inventory: Inventory,
    by,
    note: DialogueNote | None,
    fields: dict[str, Any],
    quotes: list[dict[str, Any]],
    version: int | None = None,
) -> DialogueNote:
    """Save a dialogue note and its quotes. ``quotes`` are dicts with ``text``,
    ``publishable`` and, for a kept quote, ``pk``; quotes left out are removed
    (with their codings)."""
    creating = note is None
    if creating:
        note = DialogueNote(inventory=inventory)
        before = {}
    else:
        before = _note_snapshot(note, list(note.quotes.values_list("text", "publishable")))
        claim_version(note, version)
    for name, value in fields.items():
        setattr(note, name, value)
    note.save()
    kept = {q.pk: q for q in note.quotes.all()} if not creating else {}
    keep_ids = set()
    for position, data in enumerate(quotes, start=1):
        quote = kept.get(data.get("pk")) or Quote(note=note)
        quote.text, quote.publishable, quote.position = data["text"], data["publishable"], position
        quote.save()
        keep_ids.add(quote.pk)
    note.quotes.exclude(pk__in=keep_ids).delete()
    after = _note_snapshot(note, [(d["text"], d["publishable"]) for d in quotes])
    changes = snapshot_created(after) if creating else diff(before, after)
    _audit(inventory, by, AuditEvent.Action.CREATE if creating else AuditEvent.Action.UPDATE, changes, obj=note)
    return note


@transaction.atomic
def note_delete(*, note: DialogueNote, by) -> None:
    quotes = list(note.quotes.values_list("text", "publishable"))
    _audit(note.inventory, by, AuditEvent.Action.DELETE, snapshot_deleted(_note_snapshot(note, quotes)), obj=note)
    note.delete()


# --- Coding ------------------------------------------------------------------------------

TARGETS = tuple(TARGET_LOOKUPS)


@transaction.atomic
def coding_decide(*, theme: Theme, target: str, target_id, decision: str, matched_words: str, by) -> Coding:
    """Confirm or reject ``theme`` for one answer, note or quote; a second
    decision on the same pair replaces the first."""
    if target not in TARGETS or decision not in Coding.Decision.values:
        raise ValueError(target, decision)
    found = coding_target(theme.inventory_id, target, target_id)
    if found is None:
        raise ValueError("the text is not the theme's inventory's")
    # Only words the text holds now: a form loaded before a redaction must not write a removed word back.
    present = set(words(target_text(found)))
    matched_words = ", ".join(w for w in (w.strip() for w in matched_words.split(",")) if w.lower() in present)
    coding, _created = Coding.objects.update_or_create(
        theme=theme,
        **{target + "_id": target_id},
        defaults={
            "decision": decision,
            "matched_words": matched_words[:300],
            "decided_by": by,
            "decided_on": timezone.localdate(),
        },
    )
    return coding


@transaction.atomic
def coding_undo(*, theme: Theme, target: str, target_id) -> None:
    if target not in TARGETS:
        raise ValueError(target)
    Coding.objects.filter(theme=theme, **{target + "_id": target_id}).delete()


# --- Free text: who reads it, and removing personal details -------------------------------


def _names(users) -> list[str]:
    return sorted(u.get_full_name() or u.get_username() for u in users)


@transaction.atomic
def inventory_set_coders(*, inventory: Inventory, by, coders: Iterable) -> Inventory:
    """Name the people who, besides the coordinators, read the inventory's free
    text, code it and remove personal details from it: unit contacts of the
    municipality only (inventories.access.may_be_coder). Audited: who was named
    before and after."""
    coders = list(coders)
    allowed = set(coder_candidates(inventory.municipality_id).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in coders):
        raise InventoryRefused(_("Only unit contacts of the municipality can be named to read free text."))
    before = _names(inventory.coders.all())
    inventory.coders.set(coders)
    after = _names(coders)
    _audit(inventory, by, AuditEvent.Action.UPDATE, {"coders": [before, after]} if before != after else {})
    return inventory


def answer_free_text_key(answer: Answer) -> str:
    """Where an answer keeps what the respondent wrote: a text question's answer, or a choice's "other" text."""
    return "value" if answer.question.kind == Question.Kind.TEXT else "other"


def answer_source(answer: Answer) -> str:
    """The survey and question an answer belongs to, as the coding page names them."""
    return _("%(survey)s, question %(n)d") % {"survey": answer.response.survey.name, "n": answer.question.position}


@transaction.atomic
def answer_redact(*, answer: Answer, passage: str, by) -> Answer:
    """Replace every occurrence of ``passage`` in the answer's free text by
    "[borttaget]". What it said is kept nowhere: not in the answer, not among
    the words its codings matched, not in the audit, which records only that a
    passage was removed from this answer, by whom and when. Its codings stay."""
    answer = Answer.objects.select_for_update().select_related("question", "response__survey").get(pk=answer.pk)
    inventory = Inventory.objects.select_related("municipality").get(pk=answer.response.survey.inventory_id)
    key = answer_free_text_key(answer)
    text = answer.value.get(key)
    if not passage or not isinstance(text, str) or passage not in text:
        raise InventoryRefused(_("The text to remove does not occur in the answer."))
    redacted = text.replace(passage, marker(REMOVED))
    answer.value = {**answer.value, key: redacted}
    answer.save(update_fields=["value"])
    remaining = set(words(redacted))
    for coding in answer.codings.all():
        kept = ", ".join(w for w in coding.matched_words.split(", ") if w in remaining)
        if kept != coding.matched_words:
            coding.matched_words = kept
            coding.save(update_fields=["matched_words"])
    _audit(
        inventory,
        by,
        AuditEvent.Action.UPDATE,
        {
            _("free text"): [
                None,
                _("a passage was removed from answer %(answer)s (%(source)s)")
                % {"answer": answer.pk, "source": answer_source(answer)},
            ]
        },
    )
    return answer


# --- Ways forward ------------------------------------------------------------------------


def _recommendation_snapshot(rec: Recommendation) -> dict[str, Any]:
    return {
        "title": rec.title,
        "text": rec.text,
        "themes": ", ".join(sorted(t.name for t in rec.themes.all())),
        "goals": ", ".join(sorted(g.code for g in rec.goals.all())),
    }


@transaction.atomic
def recommendation_save(
    *,
    inventory: Inventory,
    by,
    recommendation: Recommendation | None,
    fields: dict[str, Any],
    themes: Iterable[Theme],
    goals: Iterable[Goal],
) -> Recommendation:
    creating = recommendation is None
    if creating:
        top = inventory.recommendations.aggregate(m=Max("position"))["m"] or 0
        recommendation = Recommendation(inventory=inventory, position=top + 1)
        before = {}
    else:
        before = _recommendation_snapshot(recommendation)
    for name, value in fields.items():
        setattr(recommendation, name, value)
    recommendation.save()
    recommendation.themes.set(list(themes))
    recommendation.goals.set(list(goals))
    after = _recommendation_snapshot(recommendation)
    changes = snapshot_created(after) if creating else diff(before, after)
    label = _("way forward") + f" {recommendation.title}"
    _audit(inventory, by, AuditEvent.Action.UPDATE, {f"{label}: {k}": v for k, v in changes.items()})
    return recommendation


@transaction.atomic
def recommendation_delete(*, recommendation: Recommendation, by) -> None:
    _audit(recommendation.inventory, by, AuditEvent.Action.UPDATE, {_("way forward"): [recommendation.title, None]})
    recommendation.delete()


@transaction.atomic
def recommendation_to_activity(*, recommendation: Recommendation, by, owner: OrgUnit) -> Activity:
    """A draft activity from a way forward: internal, with the plan's first
    status, the way forward's goals, and a description saying where it came from."""
    inventory = recommendation.inventory
    # Read again under a lock: two clicks at once make one activity.
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.activity_id:
        raise InventoryRefused(_("This way forward already has an activity."))
    if inventory.plan_id is None:
        raise InventoryRefused(_("Choose the plan the inventory is compared with first."))
    goals = list(recommendation.goals.filter(plan_id=inventory.plan_id))
    if not goals:
        raise InventoryRefused(_("Link the way forward to at least one goal of the plan first."))
    status = inventory.plan.activity_statuses.order_by("position", "pk").first()
    if status is None:
        raise InventoryRefused(_("The plan has no activity statuses."))
    source = _("From the needs inventory “%(name)s”, way forward: %(title)s.") % {
        "name": inventory.name,
        "title": recommendation.title,
    }
    activity = activity_create(
        plan=inventory.plan,
        by=by,
        fields={
            "title": recommendation.title[:300],
            "description": "\n\n".join(p for p in (recommendation.text, source) if p),
            "owner": owner,
            "status": status,
            "visibility": Activity.Visibility.INTERNAL,
        },
        goals=goals,
    )
    recommendation.activity = activity
    recommendation.save(update_fields=["activity"])
    label = _("way forward") + f" {recommendation.title}"
    _audit(inventory, by, AuditEvent.Action.UPDATE, {label: [None, str(activity)]})
    return activity
