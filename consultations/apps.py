from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self):
        from django.urls import reverse

        from documents.registry import from_access_function, register

        from .access import get_consultation_for_user
        from .models import Consultation

        # Files attached to a consultation (documents/): seen by whoever sees the consultation
        # (its invited representatives too), changed by those who run it.
        may_view, may_change = from_access_function(get_consultation_for_user)
        register(
            Consultation,
            may_view=may_view,
            may_change=may_change,
            page_url=lambda obj: reverse("consultations:detail", args=[obj.pk]),
        )
