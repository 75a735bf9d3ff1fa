from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Decisions")

    def ready(self):
        from documents.registry import from_access_function, register

        from .access import get_decision_for_user
        from .models import Decision

        # Files attached to a decision (the protocol extract, the underlag): read by the
        # municipality's staff, attached and removed by the coordinator.
        may_view, may_change = from_access_function(get_decision_for_user, staff_only=True)
        register(Decision, may_view=may_view, may_change=may_change)
