from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from activities.models import TargetGroup
from audit.selectors import history_for
from lib.confirm import confirmation
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
    taken_up = adoptions_by_municipality(example)
    context = {
        "example": example,
        "own": own,
        "rights_areas": example.rights_areas.order_by("position"),
        "taken_up": taken_up,
        # Other municipalities made activities of it: deleting is refused (services.example_delete_refusal),
        # so the button is not offered.
        "delete_refused": any(name != example.municipality.name for name, _count in taken_up),
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
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.example_adopt(
                example=example,
                by=request.user,
                goals=form.cleaned_data["goals"],
                owner=form.cleaned_data["owner"],
                again=bool(form.cleaned_data.get("again")),
            )
        except PracticeExample.DoesNotExist:
            raise Http404 from None  # deleted meanwhile
        except services.AlreadyTakenUp:
            # Taken up meanwhile (another tab, a colleague): the form again, asking for "again".
            taken = list(own_adoptions(example, membership.municipality_id))
            form = AdoptForm(request.POST, membership=membership, initial=initial, taken_up=True)
            form.is_valid()
            status = CONFLICT
        else:
            messages.success(
                request,
                _("The draft activity %(reference)s was made from the example. Complete it: dates, budget, status.")
                % {"reference": activity.reference},
            )
            return redirect("activities:detail", pk=activity.pk)
    context = {"example": example, "form": form, "own_adoptions": taken}
    return render(request, "practice/example_adopt.html", context, status=status)


@member_required
@require_http_methods(["GET", "POST"])
def example_delete(request, pk):
    """Delete an example entered by mistake: those who may edit it (the coordinator;
    a contact while it is not shared). Refused when other municipalities took it up."""
    example = get_example_for_user(request.user, pk, write=True)
    back = reverse("practice:detail", args=[example.pk])
    if request.method == "POST":
        try:
            services.example_delete(example=example, by=request.user)
        except services.NotAllowedNow as exc:
            messages.error(request, str(exc))
            return redirect(back)
        messages.success(request, _("The example “%(title)s” was deleted.") % {"title": example.title})
        return redirect("practice:list")
    if reason := services.example_delete_refusal(example):
        messages.error(request, reason)
        return redirect(back)
    own = list(own_adoptions(example, example.municipality_id))
    return confirmation(
        request,
        title=_("Delete the example?"),
        subject=example.title,
        what=_("The example is deleted from the knowledge bank. Delete an example only if it was entered by mistake."),
        consequences=[
            _("It is shared with every municipality: it disappears from their knowledge bank too.")
            if example.is_published
            else "",
            _("It is shown on the municipality's public site: it disappears from there too.")
            if example.on_public_site
            else "",
            ngettext(
                "Your municipality made the activity %(activities)s of it: the activity stays, "
                "but no longer links to the example.",
                "Your municipality made the activities %(activities)s of it: the activities stay, "
                "but no longer link to the example.",
                len(own),
            )
            % {"activities": ", ".join(a.activity.reference for a in own)}
            if own
            else "",
            _("The history keeps what the example said."),
        ],
        button=_("Yes, delete the example"),
        danger=True,
        cancel_url=back,
        breadcrumbs=[(_("Practice examples"), reverse("practice:list")), (example.title, back)],
    )


@member_required
@require_http_methods(["GET", "POST"])
def example_public_site(request, pk):
    """Show the example on the municipality's public site (a confirmation first), or take
    it off (docs/practice.md, "On the public site"). ``show`` = 1 or 0 says which."""
    from public.models import PublicSite
    from public.selectors.practice import example_preview

    example = get_example_for_user(request.user, pk, publish=True)
    if request.method == "POST":
        show = request.POST.get("show") == "1"
        try:
            was = example.on_public_site
            services.example_show_publicly(example=example, by=request.user, show=show)
        except services.NotShared as exc:
            messages.error(request, str(exc))
        else:
            if was == show:
                pass  # already so (a second post, another tab): nothing changed, nothing to say
            elif show:
                messages.success(request, _("The example is shown on the municipality's public site."))
            else:
                messages.success(request, _("The example is no longer shown on the public site."))
        return redirect("practice:detail", pk=example.pk)
    back = reverse("practice:detail", args=[example.pk])
    if example.on_public_site:
        return confirmation(
            request,
            title=_("Take the example off the public site?"),
            subject=example.title,
            what=_("The example's page on the municipality's public site disappears within a minute."),
            consequences=[_("It stays shared with every municipality in Inkludera.")],
            button=_("Yes, take it off the public site"),
            cancel_url=back,
            irreversible=False,
            hidden=[("show", "0")],
        )
    if not example.is_published:
        messages.error(request, _("Share the example with every municipality before showing it on the public site."))
        return redirect(back)
    preview = example_preview(example)
    return confirmation(
        request,
        title=_("Show the example on the public site?"),
        subject=example.title,
        what=_(
            "Anyone can read the example on the municipality's public site: its texts, who did the work, "
            "the rights areas, the target groups, the contact and the sources."
        ),
        consequences=[
            _(
                "Personal identity numbers, phone numbers, e-mail addresses and the names of the municipality's "
                "staff are replaced by markers there."
            ),
            _("Replaced by a marker in: %(texts)s. Check the texts before going on.")
            % {"texts": ", ".join(preview.masked)}
            if preview.masked
            else "",
            _("Who entered the example, its history and the municipalities that took it up are not shown."),
            _("The municipality's public site is not published yet: the example is shown once it is.")
            if not PublicSite.objects.filter(municipality_id=example.municipality_id, published=True).exists()
            else "",
        ],
        button=_("Yes, show it on the public site"),
        cancel_url=back,
        irreversible=False,
        hidden=[("show", "1")],
    )
