from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Plans")

    def ready(self):
        from django.urls import reverse

        from documents.registry import from_access_function, register

        from .access import get_plan_for_user
        from .models import Plan

        # Files attached to a plan (documents/): staff see them, coordinators change them.
        may_view, may_change = from_access_function(get_plan_for_user, staff_only=True)
        register(
            Plan, may_view=may_view, may_change=may_change, page_url=lambda obj: reverse("plans:detail", args=[obj.pk])
        )
