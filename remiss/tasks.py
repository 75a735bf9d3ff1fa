"""The remiss reminders, daily in the worker (worker/schedule.py)."""

from django.conf import settings
from django.utils.translation import override
from django_tasks import task


@task()
def send_remiss_reminders() -> int:
    """E-mail the bodies without an answer before the deadline and once after it (remiss.services)."""
    from .services import send_remiss_reminders as send

    with override(settings.LANGUAGE_CODE):
        return send()


@task(queue_name="reports")
def build_compilation_pdf(pdf_id: int) -> bool:
    """Render the compilation as PDF into storage; a PDF already made is left alone."""
    from .services import compilation_pdf_build

    with override(settings.LANGUAGE_CODE):
        return compilation_pdf_build(pdf_id=pdf_id)


@task(queue_name="reports")
def build_underlag(underlag_id: int) -> bool:
    """Render the plan version sent as PDF and Word and attach both to the remiss."""
    from .services import underlag_build

    with override(settings.LANGUAGE_CODE):
        return underlag_build(underlag_id=underlag_id)
