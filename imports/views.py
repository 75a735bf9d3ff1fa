from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.access import member_required

from .access import get_job_for_user
from .models import ImportJob


@member_required
def job_detail(request, pk):
    """An import's page: waiting, in progress, done (with what came of it) or failed
    (with every line error and a way to try again). Updates itself while the job runs."""
    job = get_job_for_user(request.user, pk)
    return render(request, "imports/job.html", {"job": job, "summary": _summary(job)})


def _summary(job: ImportJob) -> str:
    if job.status != ImportJob.Status.DONE:
        return ""
    if job.kind == ImportJob.Kind.PLAN:
        if job.result_plan is None:  # deleted since
            return ""
        return ngettext(
            "The plan “%(title)s” was imported with %(count)d goal.",
            "The plan “%(title)s” was imported with %(count)d goals.",
            job.created,
        ) % {
            "title": job.result_plan.title,
            "count": job.created,
        }
    return _("The spreadsheet was imported: %(created)d new activities, %(changed)d changed.") % {
        "created": job.created,
        "changed": job.changed,
    }


@member_required
def job_status(request, pk):
    """The job's status, for the page's script."""
    job = get_job_for_user(request.user, pk)
    return JsonResponse({"status": job.status, "label": str(job.get_status_display()), "active": job.is_active})
