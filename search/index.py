"""What is searchable, and keeping the index current (docs/search.md).

One builder per kind turns a queryset of objects into unsaved entries. What is
indexed is what every person who may open the object's page sees there; the
things some of them may not see are never indexed: a consultation's internal
notes and attendance, who gave a view, survey answers (anonymous, small counts
suppressed), dialogue-note summaries and inventories' free text.

``reindex(kind, ids)`` replaces the entries of some objects in the caller's
transaction (the signals in ``search.signals`` call it on every save and
delete, and the services that write in bulk call it themselves);
``rebuild()`` makes the whole index again (``manage.py rebuild_search_index``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import transaction
from django.db.models import Prefetch

from . import text
from .models import SearchEntry

Kind = SearchEntry.Kind
BATCH = 500


def _entry(obj_id: int, municipality_id: int, title: str, parts: Iterable[str], *, context: str = "", audience=None):
    body = "\n".join(p.strip() for p in parts if p and p.strip())
    return SearchEntry(
        municipality_id=municipality_id,
        object_id=obj_id,
        audience=audience or SearchEntry.Audience.STAFF,
        title=title,
        context=context[:300],
        body=body,
        title_keys=text.document(title),
        body_keys=text.document(body),
    )


def _goals(ids=None, municipality_ids=None) -> Iterator[SearchEntry]:
    from plans.models import Goal

    qs = Goal.objects.select_related("plan").only(
        "pk", "code", "title", "description", "guidance", "plan__title", "plan__municipality_id"
    )
    qs = _filter(qs, ids, municipality_ids, "plan__municipality_id")
    for goal in qs.iterator(chunk_size=BATCH):
        title = f"{goal.code} {goal.title}".strip()
        yield _entry(
            goal.pk, goal.plan.municipality_id, title, [goal.description, goal.guidance], context=goal.plan.title
        )


def _activities(ids=None, municipality_ids=None) -> Iterator[SearchEntry]:
    from activities.models import Activity, format_reference

    qs = Activity.objects.select_related("municipality", "owner").only(
        "pk",
        "number",
        "title",
        "description",
        "mandate",
        "partners",
        "municipality__code",
        "municipality__reference_prefix",
        "owner__name",
    )
    qs = _filter(qs, ids, municipality_ids, "municipality_id")
    for activity in qs.iterator(chunk_size=BATCH):
        reference = format_reference(activity.municipality.prefix, activity.number)
        yield _entry(
            activity.pk,
            activity.municipality_id,
            activity.title,
            [reference, activity.description, activity.mandate, activity.partners],
            context=f"{reference} · {activity.owner.name}",
        )


def _consultations(ids=None, municipality_ids=None) -> Iterator[SearchEntry]:
    from consultations.models import AgendaItem, Consultation

    qs = Consultation.objects.only(
        "pk", "municipality_id", "title", "place", "invited_organisations", "influence_note"
    ).prefetch_related(
        Prefetch("items", AgendaItem.objects.only("pk", "consultation_id", "question", "decision_body", "position"))
    )
    qs = _filter(qs, ids, municipality_ids, "municipality_id")
    for consultation in qs.iterator(chunk_size=BATCH):
        items = [f"{item.question} {item.decision_body}" for item in consultation.items.all()]
        yield _entry(
            consultation.pk,
            consultation.municipality_id,
            consultation.title,
            [consultation.place, consultation.invited_organisations, consultation.influence_note, *items],
        )


def _views(ids=None, municipality_ids=None) -> Iterator[SearchEntry]:
    from consultations.models import View

    # The view as staff wrote it down; never who gave it (a representative is named only with consent).
    qs = View.objects.select_related("item__consultation").only(
        "pk", "text", "item__consultation__title", "item__consultation__municipality_id"
    )
    qs = _filter(qs, ids, municipality_ids, "item__consultation__municipality_id")
    for view in qs.iterator(chunk_size=BATCH):
        consultation = view.item.consultation
        title = " ".join(view.text.split())
        title = title if len(title) <= 90 else title[:90].rsplit(" ", 1)[0] + " …"
        yield _entry(view.pk, consultation.municipality_id, title, [view.text], context=consultation.title)


def _reports(ids=None, municipality_ids=None) -> Iterator[SearchEntry]:
    from reports.models import CouncilReport

    qs = CouncilReport.objects.select_related("plan").only(
        "pk", "municipality_id", "title", "summary", "analysis", "conclusions", "plan__title"
    )
    qs = _filter(qs, ids, municipality_ids, "municipality_id")
    for report in qs.iterator(chunk_size=BATCH):
        yield _entry(
            report.pk,
            report.municipality_id,
            report.title,
            [report.summary, report.analysis, report.conclusions],
            context=report.plan.title,
        )


def _inventories(ids=None, municipality_ids=None) -> Iterator[SearchEntry]:
    from inventories.models import Inventory

    # Name and purpose only: respondents' answers and dialogue notes stay out (docs/search.md).
    qs = Inventory.objects.select_related("unit").only("pk", "municipality_id", "name", "purpose", "unit__name")
    qs = _filter(qs, ids, municipality_ids, "municipality_id")
    for inventory in qs.iterator(chunk_size=BATCH):
        context = inventory.unit.name if inventory.unit_id else ""
        yield _entry(inventory.pk, inventory.municipality_id, inventory.name, [inventory.purpose], context=context)


def _decisions(ids=None, municipality_ids=None) -> Iterator[SearchEntry]:
    # The decision log is read by the municipality's staff (decisions.access.get_decision_for_user).
    from decisions.models import ConsequenceAnalysis, Decision

    qs = Decision.objects.select_related("body").only(
        "pk", "municipality_id", "title", "text", "dnr", "paragraph", "decided_on", "body__name"
    )
    qs = _filter(qs, ids, municipality_ids, "municipality_id")
    # The consequence analysis is read on the decision's page by the same staff: its texts are found too.
    analyses = ConsequenceAnalysis.objects.filter(decision__in=qs.values("pk")).values_list(
        "decision_id", "effects", "minority_rights", "children_rights", "no_consultation_reason", "conclusion"
    )
    analysis_texts = {row[0]: row[1:] for row in analyses}
    for decision in qs.iterator(chunk_size=BATCH):
        reference = decision.reference  # "Styrgruppen 12 mars 2026 § 4"
        yield _entry(
            decision.pk,
            decision.municipality_id,
            decision.title,
            [decision.text, decision.dnr, decision.paragraph, decision.body.name, *analysis_texts.get(decision.pk, ())],
            context=" · ".join(p for p in (reference, decision.dnr) if p),
        )


def _trainings(ids=None, municipality_ids=None) -> Iterator[SearchEntry]:
    from competence.models import Training

    # Read by the municipality's staff (competence.access.get_training_for_user); occasions hold counts only.
    qs = Training.objects.only("pk", "municipality_id", "title", "provider", "material", "description")
    qs = _filter(qs, ids, municipality_ids, "municipality_id")
    for training in qs.iterator(chunk_size=BATCH):
        yield _entry(
            training.pk,
            training.municipality_id,
            training.title,
            [training.provider, training.material, training.description],
            context=training.provider,
        )


def _examples(ids=None, municipality_ids=None) -> Iterator[SearchEntry]:
    from practice.models import PracticeExample

    # One row per example, in the municipality that entered it. A shared one is for the staff of
    # every municipality (Audience.SHARED, search.query); stopping sharing turns the same row back
    # to the own municipality's staff, so it is gone from every other municipality at once.
    qs = PracticeExample.objects.only(
        "pk", "municipality_id", "title", "organisation", "summary", "prerequisites", "tips", "results", "is_published"
    )
    qs = _filter(qs, ids, municipality_ids, "municipality_id")
    for example in qs.iterator(chunk_size=BATCH):
        yield _entry(
            example.pk,
            example.municipality_id,
            example.title,
            [example.organisation, example.summary, example.prerequisites, example.tips, example.results],
            context=example.organisation,
            audience=SearchEntry.Audience.SHARED if example.is_published else SearchEntry.Audience.STAFF,
        )


def _people(ids=None, municipality_ids=None) -> Iterator[SearchEntry]:
    from organisations.models import Membership

    # The register of people is the coordinators' (organisations.access.get_member_for_user).
    qs = Membership.objects.select_related("user").only(
        "pk",
        "municipality_id",
        "title",
        "organisation",
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
    )
    qs = _filter(qs, ids, municipality_ids, "municipality_id")
    for member in qs.iterator(chunk_size=BATCH):
        user = member.user
        name = user.get_full_name() or user.get_username()
        context = ", ".join(p for p in (member.title, member.organisation) if p)
        yield _entry(
            member.pk,
            member.municipality_id,
            name,
            [user.email, member.title, member.organisation],
            context=context,
            audience=SearchEntry.Audience.COORDINATORS,
        )


BUILDERS = {
    Kind.GOAL: _goals,
    Kind.ACTIVITY: _activities,
    Kind.CONSULTATION: _consultations,
    Kind.VIEW: _views,
    Kind.REPORT: _reports,
    Kind.INVENTORY: _inventories,
    Kind.DECISION: _decisions,
    Kind.TRAINING: _trainings,
    Kind.EXAMPLE: _examples,
    Kind.PERSON: _people,
}


def _filter(qs, ids, municipality_ids, municipality_field):
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    if municipality_ids is not None:
        qs = qs.filter(**{f"{municipality_field}__in": municipality_ids})
    return qs.order_by("pk")


def _store(kind: str, entries: Iterable[SearchEntry]) -> int:
    made, batch = 0, []
    for entry in entries:
        entry.kind = kind
        batch.append(entry)
        if len(batch) >= BATCH:
            SearchEntry.objects.bulk_create(batch)
            made, batch = made + len(batch), []
    if batch:
        SearchEntry.objects.bulk_create(batch)
        made += len(batch)
    return made


def reindex(kind: str, ids: Iterable[int]) -> None:
    """Replace the entries of these objects of one kind by what they say now
    (none for an object that no longer exists), in the caller's transaction."""
    ids = list(ids)
    if not ids:
        return
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind, object_id__in=ids).delete()
        _store(kind, BUILDERS[kind](ids=ids))


# The rules of the index: raised by a change that indexes more or differently (a new
# kind, a new field, new keys), so that migrate makes the index again once after the
# upgrade (rebuild_if_outdated). 1: goals to people (issue 17); 2: decisions, trainings
# and practice examples (issue 18).
INDEX_VERSION = 2


def rebuild_if_outdated(sender=None, using: str = "default", plan=None, verbosity: int = 1, **kwargs) -> None:
    """post_migrate (connected in search.apps), after ``migrate`` only (not after a
    test's flush, which sends no plan): make the whole index again when it was made by
    older rules than INDEX_VERSION, and record the version. The models are the current
    ones: every migration has run by then. Once per upgrade; a no-op afterwards."""
    from django.utils import timezone

    from .models import IndexState

    if plan is None:
        return
    state = IndexState.objects.using(using).filter(pk=1).first()
    if state is not None and state.version >= INDEX_VERSION:
        return
    started = timezone.now()
    counts = rebuild()
    IndexState.objects.using(using).update_or_create(pk=1, defaults={"version": INDEX_VERSION, "rebuilt_at": started})
    stdout = kwargs.get("stdout")
    if verbosity and stdout is not None:
        made = ", ".join(f"{kind} {n}" for kind, n in counts.items() if n) or "empty"
        stdout.write(f"  Search index made again for version {INDEX_VERSION} ({made}).\n")


def rebuild(*, municipality_ids: list[int] | None = None) -> dict[str, int]:
    """Make the index again (of some municipalities, or all): entries per kind."""
    counts = {}
    with transaction.atomic():
        old = SearchEntry.objects.all()
        if municipality_ids is not None:
            old = old.filter(municipality_id__in=municipality_ids)
        old._raw_delete(old.db)  # nothing refers to entries; the database's triggers keep its index in step
        for kind, builder in BUILDERS.items():
            counts[kind] = _store(kind, builder(municipality_ids=municipality_ids))
    return counts
