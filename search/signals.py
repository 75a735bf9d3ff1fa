"""The index follows every save and delete of a searchable object, in the same
transaction (docs/search.md, "Keeping the index current").

Signals rather than calls in each service: goals, activities, consultations,
views, reports, inventories, decisions, trainings, practice examples and
people are written by some forty services,
imports, plan versions, the demo loader and the admin; a receiver per model
cannot be forgotten by the next service. The index is a derived copy (no
business rule lives here). Writes that send no signal (bulk_create,
bulk_update, QuerySet.update) call ``search.index.reindex`` themselves where
they change indexed text (plans.services.plan_new_version,
activities.services' import), and ``manage.py rebuild_search_index`` remakes
everything."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from .index import Kind, reindex
from .models import SearchEntry

USER_FIELDS = {"username", "first_name", "last_name", "email"}


def _on(model, kind):
    def saved(sender, instance, raw=False, **kwargs):
        if not raw:  # fixtures: rebuild_search_index afterwards
            reindex(kind, [instance.pk])

    def deleted(sender, instance, **kwargs):
        entries = SearchEntry.objects.filter(kind=kind, object_id=instance.pk)
        entries._raw_delete(entries.db)  # one query, also for each row of a cascade

    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"search-{kind}-save")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"search-{kind}-delete")


def _plan_saved(sender, instance, raw=False, **kwargs):
    """A goal's entry names its plan."""
    if not raw:
        reindex(Kind.GOAL, instance.goals.values_list("pk", flat=True))


def _consultation_saved(sender, instance, raw=False, **kwargs):
    """A view's entry names its consultation."""
    from consultations.models import View

    if not raw:
        reindex(Kind.VIEW, View.objects.filter(item__consultation_id=instance.pk).values_list("pk", flat=True))


def _item_changed(sender, instance, raw=False, **kwargs):
    """A consultation's entry holds its items' questions."""
    if not raw:
        reindex(Kind.CONSULTATION, [instance.consultation_id])


def _body_saved(sender, instance, raw=False, **kwargs):
    """A decision's entry names its body."""
    if not raw:
        reindex(Kind.DECISION, instance.decisions.values_list("pk", flat=True))


def _analysis_changed(sender, instance, raw=False, **kwargs):
    """A decision's entry holds its consequence analysis's texts."""
    if not raw:
        reindex(Kind.DECISION, [instance.decision_id])


def _user_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """A person's entry holds their name and e-mail address (not on a sign-in's last_login)."""
    from organisations.models import Membership

    if not raw and (update_fields is None or USER_FIELDS & set(update_fields)):
        reindex(Kind.PERSON, Membership.objects.filter(user_id=instance.pk).values_list("pk", flat=True))


def connect():
    from activities.models import Activity
    from competence.models import Training
    from consultations.models import AgendaItem, Consultation, View
    from decisions.models import Body, ConsequenceAnalysis, Decision
    from inventories.models import Inventory
    from organisations.models import Membership
    from plans.models import Goal, Plan
    from practice.models import PracticeExample
    from reports.models import CouncilReport

    _on(Goal, Kind.GOAL)
    _on(Activity, Kind.ACTIVITY)
    _on(Consultation, Kind.CONSULTATION)
    _on(View, Kind.VIEW)
    _on(CouncilReport, Kind.REPORT)
    _on(Inventory, Kind.INVENTORY)
    _on(Decision, Kind.DECISION)
    _on(Training, Kind.TRAINING)
    _on(PracticeExample, Kind.EXAMPLE)  # also sharing and unsharing (practice.services.example_publish saves)
    _on(Membership, Kind.PERSON)
    post_save.connect(_plan_saved, sender=Plan, weak=False, dispatch_uid="search-plan-save")
    post_save.connect(_consultation_saved, sender=Consultation, weak=False, dispatch_uid="search-consultation-views")
    post_save.connect(_item_changed, sender=AgendaItem, weak=False, dispatch_uid="search-item-save")
    post_delete.connect(_item_changed, sender=AgendaItem, weak=False, dispatch_uid="search-item-delete")
    post_save.connect(_body_saved, sender=Body, weak=False, dispatch_uid="search-body-save")
    post_save.connect(_analysis_changed, sender=ConsequenceAnalysis, weak=False, dispatch_uid="search-analysis-save")
    post_delete.connect(
        _analysis_changed, sender=ConsequenceAnalysis, weak=False, dispatch_uid="search-analysis-delete"
    )
    post_save.connect(_user_saved, sender=get_user_model(), weak=False, dispatch_uid="search-user-save")
