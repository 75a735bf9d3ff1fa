from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lib.tables import Column, Table
from organisations.access import member_required

from .access import get_job_for_user, jobs_for_user
from .models import ImportJob

JOBS_PAGE_SIZE = 50
JOB_TABLE = Table(
    Column(gettext_lazy("Requested"), "begard", ("requested_at",), descending_first=True),
    Column(gettext_lazy("What"), "typ", ("kind",)),
    Column(gettext_lazy("The file"), "fil", ("file_name",)),
    Column(gettext_lazy("Status"), "status", ("status",)),
    Column(gettext_lazy("Result")),
    Column(gettext_lazy("Requested by"), "av", ("requested_by__last_name", "requested_by__first_name"), nullable=True),
    default="-begard",
)


@member_required
def job_list(request):
    """The imports the person may see, newest first: a coordinator every import of the
    municipality, anyone else the imports they started (as each import's own page)."""
    sort = JOB_TABLE.sort(request)
    jobs = jobs_for_user(request.user).select_related("plan", "result_plan", "requested_by")
    page = Paginator(sort.apply(jobs), JOBS_PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = [(job, _summary(job)) for job in page]
    context = {"rows": rows, "page": page, "sort": sort, "everyone": request.membership.is_coordinator}
    return render(request, "imports/job_list.html", context)


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
