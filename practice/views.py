from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from activities.models import TargetGroup
from audit.selectors import history_for
from lib.forms import int_param
from lib.locking import CONFLICT, StaleEdit, stale_form
from organisations.access import member_required
from plans.models import GoalKind, RightsArea

from . import services
from .access import get_example_for_user, may_adopt, may_create, may_edit, may_publish, visible_examples
from .forms import AdoptForm, ExampleForm
from .models import PracticeExample
from .selectors import Filters, adoptions_by_municipality, examples_listed, own_adoptions

PAGE_SIZE = 50


@member_required
def example_list(request):
    membership = request.membership
    filters = Filters.from_request(request)
    page = Paginator(examples_listed(visible_examples(membership), filters), PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    query = request.GET.copy()
    query.pop("sida", None)
    context = {
        "page": page,
        "examples": page.object_list,
        "filters": filters,
        "query": query.urlencode(),
        "areas": RightsArea.Code.choices,
        "kinds": GoalKind.choices,
        "groups": TargetGroup.choices,
        "can_create": may_create(membership),
    }
    return render(request, "practice/example_list.html", context)


@member_required
def example_detail(request, pk):
    membership = request.membership
    example = get_example_for_user(request.user, pk)
    own = example.municipality_id == membership.municipality_id
    context = {
        "example": example,
        "own": own,
        "rights_areas": example.rights_areas.order_by("position"),
        "taken_up": adoptions_by_municipality(example),
        "own_adoptions": list(own_adoptions(example, membership.municipality_id)),
        "can_edit": may_edit(membership, example),
        "can_publish": may_publish(membership, example),
        "can_adopt": may_adopt(membership),
        # The history is the owning municipality's record: not shown elsewhere.
        "history": history_for(example) if own else [],
    }
    return render(request, "practice/example_detail.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def example_create(request):
    membership = request.membership
    if not may_create(membership):
        raise PermissionDenied
    form = ExampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        example = services.example_create(
            municipality=membership.municipality,
            by=request.user,
            fields=form.example_fields(),
            rights_areas=form.cleaned_data["rights_areas"],
        )
        messages.success(request, _("The example was saved. Only your municipality sees it until it is shared."))
        return redirect("practice:detail", pk=example.pk)
    return render(request, "practice/example_form.html", {"form": form})


@member_required
@require_http_methods(["GET", "POST"])
def example_edit(request, pk):
    example = get_example_for_user(request.user, pk, write=True)
    form = ExampleForm(request.POST or None, instance=example)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.example_update(
                example=example,
                by=request.user,
                fields=form.example_fields(),
                rights_areas=form.cleaned_data["rights_areas"],
                version=form.cleaned_data["version"],
            )
        except StaleEdit:
            form = stale_form(
                lambda data: ExampleForm(data, instance=example),
                request.POST,
                PracticeExample.objects.get(pk=example.pk).version,
            )
            status = CONFLICT
        else:
            messages.success(request, _("The example was saved."))
            return redirect("practice:detail", pk=example.pk)
    return render(request, "practice/example_form.html", {"form": form, "example": example}, status=status)


@member_required
@require_http_methods(["GET", "POST"])
def example_publish(request, pk):
    """Share the example with every municipality (a confirmation first), or stop sharing it."""
    example = get_example_for_user(request.user, pk, publish=True)
    if request.method == "POST":
        publish = not example.is_published
        services.example_publish(example=example, by=request.user, publish=publish)
        if publish:
            messages.success(request, _("The example is shared with every municipality."))
        else:
            messages.success(request, _("The example is no longer shared. Only your municipality sees it."))
        return redirect("practice:detail", pk=example.pk)
    return render(request, "practice/example_confirm_publish.html", {"example": example})


@member_required
@require_http_methods(["GET", "POST"])
def example_adopt(request, pk):
    """Take the example up: a draft activity in one of the reader's own plans."""
    membership = request.membership
    example = get_example_for_user(request.user, pk)
    if not may_adopt(membership):
        raise PermissionDenied
    initial = {}
    if (goal_id := int_param(request, "mal")) is not None:
        initial["goals"] = [goal_id]
    # Already taken up here: say so, with the activities, and ask before a second one.
    taken = list(own_adoptions(example, membership.municipality_id))
    form = AdoptForm(request.POST or None, membership=membership, initial=initial, taken_up=bool(taken))
    if request.method == "POST" and form.is_valid():
        activity = services.example_adopt(
            example=example, by=request.user, goals=form.cleaned_data["goals"], owner=form.cleaned_data["owner"]
        )
        messages.success(
            request,
            _("The draft activity %(reference)s was made from the example. Complete it: dates, budget, status.")
            % {"reference": activity.reference},
        )
        return redirect("activities:detail", pk=activity.pk)
    return render(request, "practice/example_adopt.html", {"example": example, "form": form, "own_adoptions": taken})
