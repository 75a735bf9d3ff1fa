"""What waits for a person ("Väntar på dig"), computed from the data on every
read: nothing is stored that could go stale. Each kind is one small function
taking a fixed number of queries whatever the number of items
(inbox/tests/test_selectors.py); the inbox is their union.

Who gets what (the same people the object's access rules let do the work):

- reports to write / returned: the contacts of the report's unit;
- reports to approve: coordinators;
- feedback overdue: coordinators and the contacts of the item's responsible unit
  (the rule of consultations.selectors.overdue_views);
- minutes to review: the people they were sent to, until they comment or the
  minutes are approved;
- remiss answers due: the contacts of a unit that is a body of a sent remiss
  without an answer;
- translations to check: texts marked done, in the person's scope
  (public.translations.Scope), written by someone else (a review is never the
  author's own);
- surveys and inventories to finalise: the coordinator and the contacts of the
  survey's or inventory's unit, once it has closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from organisations.models import Membership

from .models import Kind


@dataclass(frozen=True)
class Item:
    kind: str
    title: str
    url: str
    due: date | None = None
    detail: str = ""
    overdue: bool = False

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)


def _item(kind, title, url, *, due=None, detail="", today: date) -> Item:
    return Item(kind=kind, title=title, url=url, due=due, detail=detail, overdue=due is not None and due < today)


# What a report's item shows: not the report's texts nor an approved report's snapshot.
REPORT_ITEM_FIELDS = ("status", "return_comment", "round__name", "round__deadline", "unit__name")


def reports_to_write(membership: Membership, today: date) -> list[Item]:
    """Draft and returned reports of the contact's units (two kinds, one query)."""
    from followups.models import UnitReport

    if not membership.is_contact or not membership.unit_ids:
        return []
    reports = (
        UnitReport.objects.filter(
            unit_id__in=membership.unit_ids,
            status__in=UnitReport.OPEN_STATUSES,
            round__municipality_id=membership.municipality_id,
        )
        .select_related("round", "unit")
        .only(*REPORT_ITEM_FIELDS)
        .order_by("round__deadline", "unit__name", "pk")
    )
    out = []
    for report in reports:
        returned = report.status == UnitReport.Status.RETURNED
        out.append(
            _item(
                Kind.REPORT_RETURNED if returned else Kind.REPORT_TO_WRITE,
                _("%(round)s: the report of %(unit)s") % {"round": report.round.name, "unit": report.unit.name},
                reverse("followups:report_edit", args=[report.pk]),
                due=report.round.deadline,
                detail=Truncator(report.return_comment).chars(160) if returned else "",
                today=today,
            )
        )
    return out


def reports_to_approve(membership: Membership, today: date) -> list[Item]:
    from followups.models import UnitReport

    if not membership.is_coordinator:
        return []
    reports = (
        UnitReport.objects.filter(round__municipality_id=membership.municipality_id, status=UnitReport.Status.SUBMITTED)
        .select_related("round", "unit")
        .only(*REPORT_ITEM_FIELDS)
        .order_by("round__deadline", "unit__name", "pk")
    )
    return [
        _item(
            Kind.REPORT_TO_APPROVE,
            _("%(round)s: the report of %(unit)s") % {"round": r.round.name, "unit": r.unit.name},
            reverse("followups:report", args=[r.pk]),
            today=today,
        )
        for r in reports
    ]


def feedback_overdue(membership: Membership, today: date) -> list[Item]:
    from consultations.selectors import overdue_views

    if membership.is_coordinator:
        units = None
    elif membership.is_contact and membership.unit_ids:
        units = list(membership.unit_ids)
    else:
        return []
    municipality = membership.municipality
    days = municipality.feedback_days
    return [
        _item(
            Kind.FEEDBACK_OVERDUE,
            _("%(consultation)s: %(view)s")
            % {"consultation": view.item.consultation.title, "view": Truncator(view.text).chars(80)},
            reverse("consultations:feedback", args=[view.pk]),
            due=view.item.decision_date + timedelta(days=days),
            detail=view.item.responsible_unit.name,
            today=today,
        )
        for view in overdue_views(municipality, today=today, units=units)
    ]


def minutes_to_review(membership: Membership, today: date) -> list[Item]:
    from consultations.models import MinutesComment, MinutesVersion

    commented = MinutesComment.objects.filter(minutes=OuterRef("pk"), author=membership)
    minutes = (
        MinutesVersion.objects.filter(
            status=MinutesVersion.Status.REVIEW,
            reviewers=membership,
            consultation__municipality_id=membership.municipality_id,
        )
        .exclude(Exists(commented))
        .select_related("consultation")
        .order_by("sent_at", "pk")
    )
    return [
        _item(
            Kind.MINUTES_TO_REVIEW,
            _("Minutes of %(title)s, version %(number)s") % {"title": m.consultation.title, "number": m.number},
            reverse("consultations:minutes", args=[m.pk]),
            today=today,
        )
        for m in minutes
    ]


def remiss_answers_due(membership: Membership, today: date) -> list[Item]:
    from remiss.models import Body, Remiss

    if not membership.is_contact or not membership.unit_ids:
        return []
    bodies = (
        Body.objects.filter(
            unit_id__in=membership.unit_ids,
            remiss__status=Remiss.Status.SENT,
            remiss__municipality_id=membership.municipality_id,
            answer__isnull=True,
        )
        .select_related("remiss", "unit")
        .order_by("remiss__deadline", "pk")
    )
    return [
        _item(
            Kind.REMISS_ANSWER,
            _("%(title)s: the answer of %(unit)s") % {"title": b.remiss.title, "unit": b.unit.name},
            reverse("remiss:answer", args=[b.pk]),
            due=b.remiss.deadline,
            today=today,
        )
        for b in bodies
    ]


def translations_to_check(membership: Membership, today: date) -> list[Item]:
    """Texts marked done and not yet reviewed, one item per object and language,
    in one query per kind of public object (and one for the site's languages)."""
    from lib.languages import BY_TAG, SWEDISH
    from public.models import PublicSite
    from public.services import translation_model
    from public.texts import swedish_digest
    from public.translation import TextStatus
    from public.translations import EVERYTHING, Scope, _label, _querysets

    if not (membership.is_coordinator or (membership.is_contact and membership.unit_ids)):
        return []
    site = PublicSite.objects.filter(municipality_id=membership.municipality_id).only("languages").first()
    languages = [tag for tag in (site.languages if site else []) if tag in BY_TAG]
    if not languages:
        return []
    scope = EVERYTHING if membership.is_coordinator else Scope.of(membership)
    out = []
    for kind, qs in _querysets(membership.municipality, scope).items():
        model = translation_model(qs.model)
        rows = (
            model.objects.filter(master__in=qs.values("pk"), language_code__in=languages, text_status=TextStatus.DONE)
            .exclude(text_author_id=membership.user_id)
            .select_related(*RELATED.get(kind, ("master",)))
            .order_by("master_id", "language_code")
        )
        rows = list(rows)
        if not rows:
            continue
        # A translation made from an older Swedish text is being translated again, not to check.
        swedish = {
            r.master_id: r
            for r in model.objects.filter(master_id__in={r.master_id for r in rows}, language_code=SWEDISH)
        }
        for row in rows:
            obj = row.master
            key = _first_key(kind, obj, row)
            if key is None or row.text_digest != swedish_digest(obj, {SWEDISH: swedish.get(obj.pk)}):
                continue
            language = BY_TAG[row.language_code]
            where = _label(kind, obj, row)
            out.append(
                _item(
                    Kind.TRANSLATION_TO_CHECK,
                    where,
                    reverse("public_staff:translation", kwargs={"lang": language.slug, "key": key}),
                    detail=str(language.name),
                    today=today,
                )
            )
    return out


# What each kind's label reads beyond the object (public.translations._label).
RELATED = {
    "goal": ("master__plan",),
    "activity": ("master__municipality",),
    "view": ("master__item__consultation",),
}


def _first_key(kind: str, obj, row) -> str | None:
    """The key of the object's first translated text: its translation page."""
    from public.texts import text_fields

    fields = [name for name in text_fields(obj) if (getattr(row, name, "") or "").strip()]
    return f"{kind}:{obj.pk}:{fields[0]}" if fields else None


def surveys_to_finalise(membership: Membership, today: date) -> list[Item]:
    from inventories.models import Inventory
    from surveys.models import Survey

    if membership.is_coordinator:
        mine = Q()
    elif membership.is_contact and membership.unit_ids:
        mine = Q(unit_id__in=membership.unit_ids)
    else:
        return []
    surveys = (
        Survey.objects.filter(mine, municipality_id=membership.municipality_id)
        .filter(Q(status=Survey.Status.CLOSED) | Q(status=Survey.Status.OPEN, closes_on__lt=today))
        .order_by("closes_on", "pk")
    )
    inventories = Inventory.objects.filter(
        mine, municipality_id=membership.municipality_id, finalised_on__isnull=True, ends_on__lt=today
    ).order_by("ends_on", "pk")
    return [
        _item(
            Kind.SURVEY_TO_FINALISE,
            s.name,
            reverse("surveys:detail", args=[s.pk]),
            detail=_("closed %(date)s") % {"date": s.closes_on.isoformat()},
            today=today,
        )
        for s in surveys
    ] + [
        _item(
            Kind.SURVEY_TO_FINALISE,
            i.name,
            reverse("inventories:detail", args=[i.pk]),
            detail=_("ended %(date)s") % {"date": i.ends_on.isoformat()},
            today=today,
        )
        for i in inventories
    ]


# Kind → the function that finds its items (one function may find two kinds).
SOURCES = [
    ((Kind.REPORT_TO_WRITE, Kind.REPORT_RETURNED), reports_to_write),
    ((Kind.REPORT_TO_APPROVE,), reports_to_approve),
    ((Kind.FEEDBACK_OVERDUE,), feedback_overdue),
    ((Kind.MINUTES_TO_REVIEW,), minutes_to_review),
    ((Kind.REMISS_ANSWER,), remiss_answers_due),
    ((Kind.TRANSLATION_TO_CHECK,), translations_to_check),
    ((Kind.SURVEY_TO_FINALISE,), surveys_to_finalise),
]
STAFF_ONLY = {
    Kind.REPORT_TO_WRITE,
    Kind.REPORT_RETURNED,
    Kind.REPORT_TO_APPROVE,
    Kind.FEEDBACK_OVERDUE,
    Kind.REMISS_ANSWER,
    Kind.TRANSLATION_TO_CHECK,
    Kind.SURVEY_TO_FINALISE,
}


def kinds_for(membership: Membership) -> list[str]:
    """The kinds that can ever wait for this person (their preferences page lists these)."""
    if membership.is_representative:
        return [Kind.MINUTES_TO_REVIEW.value]
    kinds = [Kind.FEEDBACK_OVERDUE, Kind.MINUTES_TO_REVIEW, Kind.TRANSLATION_TO_CHECK, Kind.SURVEY_TO_FINALISE]
    if membership.is_coordinator:
        kinds.append(Kind.REPORT_TO_APPROVE)
    elif membership.is_contact:
        kinds += [Kind.REPORT_TO_WRITE, Kind.REPORT_RETURNED, Kind.REMISS_ANSWER]
    else:  # a reader writes, approves and translates nothing
        kinds = [Kind.MINUTES_TO_REVIEW]
    return [k.value for k in Kind if k in kinds]


def inbox_items(membership: Membership, *, today: date | None = None, kinds: Iterable[str] | None = None) -> list[Item]:
    """Everything waiting for the person, or only ``kinds``: overdue first, then by
    due date (items without one last), in the order of the kinds."""
    today = today or timezone.localdate()
    wanted = set(kinds_for(membership) if kinds is None else kinds) & set(kinds_for(membership))
    items: list[Item] = []
    for source_kinds, source in SOURCES:
        if wanted & set(source_kinds):
            items += [item for item in source(membership, today) if item.kind in wanted]
    order = {kind.value: n for n, kind in enumerate(Kind)}
    items.sort(key=lambda i: (not i.overdue, i.due is None, i.due or today, order[i.kind]))
    return items


def grouped(items: list[Item]) -> list[tuple[str, list[Item]]]:
    """(kind label, items) in the order of the kinds, kinds without items left out."""
    out = []
    for kind in Kind:
        of_kind = [i for i in items if i.kind == kind]
        if of_kind:
            out.append((str(kind.label), of_kind))
    return out
