"""Access to council reports and their builds: 404 when missing or another
municipality's; only the coordinator writes reports and starts builds.

Who downloads which build: the coordinator every finished build (they made
them and answer for them); everyone else only the newest finished build of a
report, and only if it was made under the current rules (finalised results
only). Older builds stay with the coordinator: handing out several builds
would let a reader compare numbers across them, and a build made before
results were frozen may hold numbers that moved with single answers."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.access import membership_of
from organisations.models import Membership

from .models import Build, CouncilReport


def get_council_report_for_user(user, pk, *, write: bool = False) -> CouncilReport:
    membership = membership_of(user)
    report = get_object_or_404(
        CouncilReport.objects.select_related("plan", "municipality"), pk=pk, municipality_id=membership.municipality_id
    )
    if write and not membership.is_coordinator:
        raise PermissionDenied
    return report


def get_build_for_user(user, pk) -> Build:
    membership = membership_of(user)
    return get_object_or_404(
        Build.objects.select_related("report"), pk=pk, report__municipality_id=membership.municipality_id
    )


def newest_done_build(report: CouncilReport) -> Build | None:
    return report.builds.filter(status=Build.Status.DONE).order_by("-requested_at", "-pk").first()


def may_download(membership: Membership, build: Build, newest: Build | None) -> bool:
    """Whether the person may download the build's files; ``newest`` is the
    report's newest finished build (``newest_done_build``)."""
    if build.status != Build.Status.DONE or not build.pdf:  # no files: removed after the retention period
        return False
    if membership.is_coordinator:
        return True
    return not build.before_frozen_results and newest is not None and build.pk == newest.pk


def get_build_file_for_user(user, pk) -> Build:
    """A finished build whose files the user may download: 404 when missing,
    not finished or another municipality's, 403 when it is not theirs to download."""
    build = get_build_for_user(user, pk)
    if build.status != Build.Status.DONE or not build.pdf:
        raise Http404
    if not may_download(membership_of(user), build, newest_done_build(build.report)):
        raise PermissionDenied
    return build
