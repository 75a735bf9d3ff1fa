from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from audit.selectors import history_for
from followups.access import get_report_for_user
from lib.confirm import confirmation
from lib.tables import Column, Table
from organisations.access import coordinator_required, member_required

from . import jobs, services
from .access import get_build_file_for_user, get_build_for_user, get_council_report_for_user, may_download
from .assemble import unit_document
from .forms import CouncilReportForm
from .models import Build, CouncilReport
from .render import DOCX_CONTENT_TYPE, PDF_CONTENT_TYPE, render_docx, render_pdf

FORMATS = {"pdf": PDF_CONTENT_TYPE, "docx": DOCX_CONTENT_TYPE}


REPORTS_PAGE_SIZE = 50
# The list's columns (lib/tables.py): the latest written first unless ?ordning= says otherwise.
REPORT_TABLE = Table(
    Column(gettext_lazy("Report"), "titel", ("title",)),
    Column(gettext_lazy("Plan"), "plan", ("plan__title",)),
    Column(gettext_lazy("Follow-up rounds")),
    Column(gettext_lazy("Latest build")),
    default=None,
)


@member_required
def report_list(request):
    membership = request.membership
    sort = REPORT_TABLE.sort(request)
    page = Paginator(
        sort.apply(
            CouncilReport.objects.filter(municipality=membership.municipality)
            .select_related("plan")
            .prefetch_related("rounds")
        ),
        REPORTS_PAGE_SIZE,
    ).get_page(request.GET.get("sida"))
    reports = list(page)
    latest = {}
    for build in Build.objects.filter(report__in=reports, status=Build.Status.DONE).order_by("requested_at", "pk"):
        latest[build.report_id] = build
    for build in latest.values():
        build.downloadable = may_download(membership, build, build)
    rows = [(r, latest.get(r.pk)) for r in reports]
    context = {"rows": rows, "page": page, "sort": sort, "can_write": membership.is_coordinator}
    return render(request, "reports/report_list.html", context)


@coordinator_required
@require_http_methods(["GET", "POST"])
def report_create(request):
    municipality = request.membership.municipality
    form = CouncilReportForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        rounds = data.pop("rounds")
        report = services.council_report_save(
            municipality=municipality, by=request.user, report=None, fields=data, rounds=rounds
        )
        messages.success(request, _("The report was saved. Build it when the texts are ready."))
        return redirect("reports:detail", pk=report.pk)
    return render(request, "reports/report_form.html", {"form": form}, status=400 if form.errors else 200)


@member_required
@require_http_methods(["GET", "POST"])
def report_edit(request, pk):
    report = get_council_report_for_user(request.user, pk, write=True)
    form = CouncilReportForm(request.POST or None, instance=report, municipality=report.municipality)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        rounds = data.pop("rounds")
        stored = get_council_report_for_user(request.user, pk, write=True)  # the form changed its instance
        services.council_report_save(
            municipality=report.municipality, by=request.user, report=stored, fields=data, rounds=rounds
        )
        messages.success(request, _("The report was saved."))
        return redirect("reports:detail", pk=pk)
    context = {"form": form, "report": report}
    return render(request, "reports/report_form.html", context, status=400 if form.errors else 200)


@member_required
@require_http_methods(["GET", "POST"])
def report_delete(request, pk):
    report = get_council_report_for_user(request.user, pk, write=True)
    if request.method == "POST":
        services.council_report_delete(report=report, by=request.user)
        messages.success(request, _("The report “%(title)s” was deleted.") % {"title": report.title})
        return redirect("reports:list")
    builds = report.builds.count()
    return confirmation(
        request,
        title=_("Delete the council report?"),
        subject=report.title,
        what=_("The report and its texts are deleted."),
        consequences=[
            ngettext(
                "Its %(count)d built file set (PDF and Word) is deleted too.",
                "Its %(count)d built file sets (PDF and Word) are deleted too.",
                builds,
            )
            % {"count": builds}
            if builds
            else "",
            _("Copies already downloaded or sent to the council are not affected."),
            _("The history of the changes is kept."),
        ],
        button=_("Yes, delete the report"),
        cancel_url=reverse("reports:detail", args=[report.pk]),
        danger=True,
    )


@member_required
def report_detail(request, pk):
    report = get_council_report_for_user(request.user, pk)
    membership = request.membership
    builds = list(report.builds.select_related("requested_by")[:20])
    newest = next((b for b in builds if b.status == Build.Status.DONE), None)
    if newest is None:  # the newest finished build can be older than the twenty latest builds
        newest = report.builds.filter(status=Build.Status.DONE).first()
    active = next((b for b in builds if b.is_active), None)
    if not membership.is_coordinator:
        # Others see the newest finished build only: older builds are the coordinator's.
        builds = [newest] if newest else []
    for b in builds:
        b.downloadable = may_download(membership, b, newest)
    context = {
        "report": report,
        "rounds": list(report.rounds.order_by("period_end")),
        "builds": builds,
        "active": active,
        "can_write": membership.is_coordinator,
        "history": history_for(report),
    }
    return render(request, "reports/report_detail.html", context)


@member_required
@require_POST
def report_build(request, pk):
    report = get_council_report_for_user(request.user, pk, write=True)
    if report.builds.filter(status__in=[Build.Status.QUEUED, Build.Status.RUNNING]).exists():
        messages.info(request, _("The report is already being built."))
    else:
        jobs.request_build(report, by=request.user)
        messages.success(request, _("The report is being built. The files appear below when they are ready."))
    return redirect("reports:detail", pk=pk)


@member_required
def build_status(request, pk):
    """A build's progress, for the report page's progress bar."""
    build = get_build_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": build.status,
            "label": str(build.get_status_display()),
            "progress": build.progress,
            "step": build.step,
            "active": build.is_active,
        }
    )


@member_required
def build_file(request, pk, fmt):
    build = get_build_file_for_user(request.user, pk)
    f = build.pdf if fmt == "pdf" else build.docx
    if not f:
        raise Http404
    name = f"{slugify(build.report.title) or 'rapport'}-{build.finished_at:%Y-%m-%d}.{fmt}"
    # Streamed from the storage (a shared directory or a bucket), never read whole into memory.
    stored = f.storage.open(f.name, "rb")
    return FileResponse(stored, as_attachment=True, filename=name, content_type=FORMATS[fmt])


@member_required
def unit_report_file(request, pk, fmt):
    """One committee's report in a round, for its own meeting: made on request."""
    report = get_report_for_user(request.user, pk)
    document = unit_document(report)
    rendered = render_pdf(document) if fmt == "pdf" else render_docx(document)
    response = HttpResponse(rendered.data, content_type=FORMATS[fmt])
    name = f"{slugify(report.unit.short_name or report.unit.name)}-{slugify(report.round.name)}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
