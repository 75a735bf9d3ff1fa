from django.http import Http404
from django.shortcuts import get_object_or_404

from organisations.access import membership_of

from .models import ImportJob


def jobs_for_user(user):
    """The imports a person sees in the list: every import of the municipality for
    a coordinator, the person's own for anyone else (the rule of get_job_for_user)."""
    membership = membership_of(user)
    jobs = ImportJob.objects.filter(municipality_id=membership.municipality_id)
    return jobs if membership.is_coordinator else jobs.filter(requested_by=user)


def get_job_for_user(user, pk) -> ImportJob:
    """The person who started the import sees it, and so do the municipality's
    coordinators; for everyone else (another municipality's too) it does not exist."""
    membership = membership_of(user)
    job = get_object_or_404(
        ImportJob.objects.select_related("plan", "result_plan", "existing_plan", "requested_by"),
        pk=pk,
        municipality_id=membership.municipality_id,
    )
    if job.requested_by_id != user.pk and not membership.is_coordinator:
        raise Http404
    return job
