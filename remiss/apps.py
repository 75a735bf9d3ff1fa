from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemissConfig(AppConfig):
    name = "remiss"
    verbose_name = _("Remisses")

    def ready(self):
        from django.urls import reverse

        from documents.registry import from_access_function, register

        from .access import get_body_for_user, get_remiss_for_user
        from .models import Body, Remiss, underlag_locked

        # Files attached to a remiss (documents/): the remissunderlag, seen by the staff who
        # see the remiss, changed by the coordinator.
        may_view, may_change = from_access_function(get_remiss_for_user, staff_only=True)
        register(
            Remiss,
            may_view=may_view,
            may_change=may_change,
            page_url=lambda obj: reverse("remiss:detail", args=[obj.pk]),
            locked=underlag_locked,
        )
        # Files attached to a body's answer (its signed decision): seen by the staff who see
        # the answer, changed by the coordinator and the body's own unit while it may answer.
        may_view, may_change = from_access_function(get_body_for_user, staff_only=True)
        register(
            Body,
            may_view=may_view,
            may_change=may_change,
            page_url=lambda obj: reverse("remiss:answer", args=[obj.pk]),
            municipality_of=lambda obj: obj.remiss.municipality,
        )
