from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from django.urls import reverse

        from documents.registry import from_access_function, register

        from .access import get_council_report_for_user
        from .models import CouncilReport

        # Files attached to a council report (documents/): the council's decision on it
        # (protokollsutdrag), seen by the staff who see the report (every staff member of
        # the municipality, not representatives), attached and removed by the coordinator.
        may_view, may_change = from_access_function(get_council_report_for_user, staff_only=True)
        register(
            CouncilReport,
            may_view=may_view,
            may_change=may_change,
            page_url=lambda obj: reverse("reports:detail", args=[obj.pk]),
        )
