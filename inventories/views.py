from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from audit.selectors import history_for
from lib.confirm import confirmation
from lib.locking import CONFLICT, StaleEdit, stale_form
from lib.result_tables import tables_csv, tables_xlsx
from organisations.access import member_required
from public.links import inventory_address
from public.site import MAX_AGE as PUBLIC_MAX_AGE

from . import services
from .access import (
    get_answer_for_user,
    get_inventory_for_user,
    get_note_for_user,
    get_recommendation_for_user,
    get_theme_for_user,
    may_change,
    may_read_free_text,
)
from .forms import (
    DraftActivityForm,
    InventoryForm,
    NoteForm,
    RecommendationForm,
    RedactForm,
    ThemeForm,
    quote_formset,
)
from .models import Coding, DialogueNote, Inventory
from .selectors import add_suggestions, coding_items, coding_target, inventory_results
from .tables import result_charts, result_tables

CODING_PAGE_SIZE = 25


def _status(form) -> int:
    return 400 if form.errors else 200


# --- The inventory -------------------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def inventory_create(request):
    membership = request.membership
    if not membership.may_register_activities:
        raise PermissionDenied
    form = InventoryForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            inventory = services.inventory_create(
                municipality=membership.municipality, by=request.user, fields=form.inventory_fields()
            )
            if (coders := form.chosen_coders()) is not None:
                services.inventory_set_coders(inventory=inventory, by=request.user, coders=coders)
        messages.success(request, _("The inventory was created with the default codebook of themes."))
        return redirect("inventories:detail", pk=inventory.pk)
    return render(request, "inventories/inventory_form.html", {"form": form}, status=_status(form))


@member_required
@require_http_methods(["GET", "POST"])
def inventory_edit(request, pk):
    inventory = get_inventory_for_user(request.user, pk, write=True)

    def build(data):
        return InventoryForm(data, instance=inventory, membership=request.membership)

    form = build(request.POST or None)
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.inventory_update(
                    inventory=inventory,
                    by=request.user,
                    fields=form.inventory_fields(),
                    version=form.cleaned_data["version"],
                )
                if (coders := form.chosen_coders()) is not None:
                    services.inventory_set_coders(inventory=inventory, by=request.user, coders=coders)
        except StaleEdit:
            current = Inventory.objects.get(pk=inventory.pk)
            inventory = current
            form, status = stale_form(build, request.POST, current.version), CONFLICT
        else:
            messages.success(request, _("The inventory was saved."))
            return redirect("inventories:detail", pk=inventory.pk)
    context = {"form": form, "inventory": inventory}
    return render(request, "inventories/inventory_form.html", context, status=status or _status(form))


@member_required
@require_http_methods(["GET", "POST"])
def inventory_delete(request, pk):
    inventory = get_inventory_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.inventory_delete(inventory=inventory, by=request.user)
        except services.InventoryRefused as exc:
            messages.error(request, str(exc))
            return redirect("inventories:detail", pk=inventory.pk)
        messages.success(request, _("The inventory was deleted."))
        return redirect("surveys:list")
    return render(request, "inventories/inventory_confirm_delete.html", {"inventory": inventory})


@member_required
def inventory_detail(request, pk):
    inventory = get_inventory_for_user(request.user, pk)
    surveys = inventory.surveys.annotate(answers=Count("responses")).order_by("-opens_on", "pk")
    notes = inventory.notes.annotate(quote_count=Count("quotes")).order_by("-held_on", "-pk")
    context = {
        "inventory": inventory,
        "surveys": surveys,
        "notes": notes,
        "themes": inventory.themes.prefetch_related("goals").order_by("position", "pk"),
        "recommendations": inventory.recommendations.select_related("activity").prefetch_related("themes"),
        "can_change": may_change(request.membership, inventory),
        "can_read_free_text": may_read_free_text(request.membership, inventory),
        "coders": sorted(inventory.coders.all(), key=lambda u: u.get_full_name() or u.get_username()),
        "public_url": request.build_absolute_uri(reverse("inventory_public:results", args=[inventory.pk])),
        "history": history_for(inventory),
    }
    return render(request, "inventories/inventory_detail.html", context)


# --- Results ----------------------------------------------------------------------------------


def _results_context(inventory, *, public: bool) -> dict:
    results = inventory_results(inventory, public=public)
    theme_chart, age_chart = result_charts(results)
    return {
        "inventory": inventory,
        "results": results,
        "tables": result_tables(results),
        "theme_chart": theme_chart,
        "age_chart": age_chart,
    }


@member_required
def results(request, pk):
    """The finalised results; until then how far the inventory has come."""
    inventory = get_inventory_for_user(request.user, pk)
    if inventory.is_finalised:
        context = _results_context(inventory, public=False)
    else:
        surveys = inventory.surveys.annotate(answers=Count("responses")).order_by("-opens_on", "pk")
        context = {"inventory": inventory, "results": None, "surveys": surveys, "notes": inventory.notes.count()}
    context["can_change"] = may_change(request.membership, inventory)
    return render(request, "inventories/results.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def finalise(request, pk):
    inventory = get_inventory_for_user(request.user, pk, write=True)
    if request.method == "GET":
        if inventory.is_finalised:
            messages.error(request, _("The results are already finalised."))
            return redirect("inventories:results", pk=inventory.pk)
        notes = inventory.notes.count()
        return confirmation(
            request,
            title=_("Finalise the results?"),
            subject=inventory.name,
            what=_(
                "The results are fixed as they stand now: the themes, age groups and quotes of its surveys "
                "and dialogue meetings are counted and frozen."
            ),
            consequences=[
                ngettext("%(count)d dialogue meeting is counted.", "%(count)d dialogue meetings are counted.", notes)
                % {"count": notes},
                _("Codings and notes changed later are not counted in them."),
                _("The results page, the downloads, the open data and the council report show these results."),
                _("They are shown on the public site, with small counts hidden, because the results are published.")
                if inventory.published
                else _("They are not on the public site until the inventory's results are published."),
            ],
            button=_("Yes, finalise the results"),
            cancel_url=reverse("inventories:results", args=[inventory.pk]),
        )
    try:
        services.inventory_finalise(inventory=inventory, by=request.user)
    except services.InventoryRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The results are finalised."))
    return redirect("inventories:results", pk=inventory.pk)


@member_required
def results_export(request, pk, fmt):
    inventory = get_inventory_for_user(request.user, pk)
    return _download(inventory, fmt, public=False)


def _download(inventory, fmt: str, *, public: bool):
    """The result tables as XLSX or CSV: the same suppressed cells as the page."""
    if not inventory.is_finalised:
        raise Http404
    tables = result_tables(inventory_results(inventory, public=public))
    name = f"behovsinventering-{slugify(inventory.name) or inventory.pk}"
    return tables_xlsx(tables, f"{name}.xlsx") if fmt == "xlsx" else tables_csv(tables, f"{name}.csv")


def _published(pk) -> Inventory:
    """An inventory whose results are public (Inventory.results_are_public)."""
    inventory = get_object_or_404(Inventory.objects.select_related("municipality", "plan"), pk=pk)
    if not inventory.results_are_public():
        raise Http404
    return inventory


def public_results(request, pk):
    """A published inventory's results for anyone: suppressed counts, publishable quotes only.
    Once the municipality's public site is published, the page lives there: a
    permanent redirect, cached no longer than a public page, so unpublishing
    the site brings this page back within a minute."""
    inventory = _published(pk)
    if (address := inventory_address(inventory)) is not None:
        response = HttpResponsePermanentRedirect(address)
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return response
    context = _results_context(inventory, public=True)
    context["recommendations"] = inventory.recommendations.all()
    return render(request, "inventories/public_results.html", context)


def public_results_export(request, pk, fmt):
    return _download(_published(pk), fmt, public=True)


# --- The codebook ------------------------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def theme_create(request, pk):
    inventory = get_inventory_for_user(request.user, pk, write=True)
    return _theme_form(request, inventory, None)


@member_required
@require_http_methods(["GET", "POST"])
def theme_edit(request, pk):
    theme = get_theme_for_user(request.user, pk, write=True)
    return _theme_form(request, theme.inventory, theme)


def _theme_form(request, inventory, theme):
    form = ThemeForm(request.POST or None, instance=theme, inventory=inventory)
    if request.method == "POST" and form.is_valid():
        services.theme_save(
            inventory=inventory,
            by=request.user,
            theme=theme,
            fields=form.theme_fields(),
            goals=form.chosen_goals(),
        )
        messages.success(request, _("The theme was saved."))
        return redirect(reverse("inventories:detail", args=[inventory.pk]) + "#teman")
    codings = theme.codings.filter(decision=Coding.Decision.CONFIRMED).count() if theme else 0
    context = {"form": form, "inventory": inventory, "theme": theme, "codings": codings}
    return render(request, "inventories/theme_form.html", context, status=_status(form))


@member_required
@require_http_methods(["GET", "POST"])
def theme_delete(request, pk):
    theme = get_theme_for_user(request.user, pk, write=True)
    if request.method == "GET":
        codings = theme.codings.filter(decision=Coding.Decision.CONFIRMED).count()
        return confirmation(
            request,
            title=_("Remove the theme?"),
            subject=theme.name,
            what=_("The theme is removed from the codebook of “%(name)s”.") % {"name": theme.inventory.name},
            consequences=[
                ngettext(
                    "%(count)d answer, note or quote is coded to it: that coding is removed.",
                    "%(count)d answers, notes and quotes are coded to it: that coding is removed.",
                    codings,
                )
                % {"count": codings},
                _("The answers, notes and quotes themselves stay."),
            ],
            button=_("Yes, remove the theme"),
            cancel_url=reverse("inventories:theme_edit", args=[theme.pk]),
            danger=True,
        )
    services.theme_delete(theme=theme, by=request.user)
    messages.success(request, _("The theme was removed from the codebook."))
    return redirect(reverse("inventories:detail", args=[theme.inventory.pk]) + "#teman")


# --- Dialogue meetings ---------------------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def note_create(request, pk):
    inventory = get_inventory_for_user(request.user, pk, write=True)
    return _note_form(request, inventory, None)


@member_required
@require_http_methods(["GET", "POST"])
def note_edit(request, pk):
    note = get_note_for_user(request.user, pk, write=True)
    return _note_form(request, note.inventory, note)


def _note_form(request, inventory, note):
    def build(data):
        return NoteForm(data, instance=note, inventory=inventory)

    form = build(request.POST or None)
    quotes = quote_formset(request.POST or None, note)
    status = 200
    if request.method == "POST":
        form_ok, quotes_ok = form.is_valid(), quotes.is_valid()
        if form_ok and quotes_ok:
            try:
                saved = services.note_save(
                    inventory=inventory,
                    by=request.user,
                    note=note,
                    fields=form.note_fields(),
                    quotes=quotes.quotes(),
                    version=form.cleaned_data.get("version"),
                )
            except StaleEdit:
                note = DialogueNote.objects.get(pk=note.pk)
                form, status = stale_form(build, request.POST, note.version), CONFLICT
            else:
                messages.success(request, _("The dialogue meeting was saved."))
                return redirect(reverse("inventories:detail", args=[inventory.pk]) + f"#mote-{saved.pk}")
        else:
            status = 400
    context = {"form": form, "quotes": quotes, "inventory": inventory, "note": note}
    return render(request, "inventories/note_form.html", context, status=status)


@member_required
@require_http_methods(["GET", "POST"])
def note_delete(request, pk):
    note = get_note_for_user(request.user, pk, write=True)
    if request.method == "POST":
        services.note_delete(note=note, by=request.user)
        messages.success(request, _("The dialogue meeting was deleted."))
        return redirect("inventories:detail", pk=note.inventory.pk)
    return render(request, "inventories/note_confirm_delete.html", {"note": note, "inventory": note.inventory})


# --- Coding ---------------------------------------------------------------------------------------


@never_cache
@member_required
def coding(request, pk):
    """Free-text answers, notes and quotes with their themes and suggestions, a
    page at a time: for those who may read free text (access.may_read_free_text)."""
    inventory = get_inventory_for_user(request.user, pk, free_text=True)
    show_all = request.GET.get("visa") == "alla"
    items = coding_items(inventory, uncoded_only=not show_all)
    page = Paginator(items, CODING_PAGE_SIZE).get_page(request.GET.get("sida"))
    themes = list(inventory.themes.order_by("position", "pk"))
    add_suggestions(page.object_list, themes)
    context = {
        "inventory": inventory,
        "page": page,
        "themes": themes,
        "show_all": show_all,
        "decisions": Coding.Decision,
    }
    return render(request, "inventories/coding.html", context)


@member_required
@require_POST
def code(request, pk):
    """Confirm, reject or undo one theme for one item; back to the same place in the list."""
    inventory = get_inventory_for_user(request.user, pk, free_text=True)
    kind = request.POST.get("kind", "")
    target = coding_target(inventory.pk, kind, request.POST.get("target", ""))
    if target is None:
        raise Http404
    theme_id = request.POST.get("theme", "")
    theme = get_object_or_404(inventory.themes, pk=int(theme_id) if theme_id.isascii() and theme_id.isdigit() else 0)
    action = request.POST.get("action", "")
    if action == "undo":
        services.coding_undo(theme=theme, target=kind, target_id=target.pk)
    elif action in Coding.Decision.values:
        services.coding_decide(
            theme=theme,
            target=kind,
            target_id=target.pk,
            decision=action,
            matched_words=request.POST.get("words", ""),
            by=request.user,
        )
    else:
        raise Http404
    query = urlencode({k: request.POST[k] for k in ("visa", "sida") if request.POST.get(k, "").isalnum()})
    url = reverse("inventories:coding", args=[inventory.pk])
    return redirect(f"{url}{'?' if query else ''}{query}#{kind}-{target.pk}")


@never_cache
@member_required
@require_http_methods(["GET", "POST"])
def answer_redact(request, pk):
    """Remove a passage (a name, an address, a detail that points someone out)
    from a free-text answer. The coding page posts here; a passage that is not
    in the answer is shown again with the error."""
    answer = get_answer_for_user(request.user, pk)
    inventory = answer.inventory
    text = answer.value.get(services.answer_free_text_key(answer)) or ""
    back = {k: request.GET[k] for k in ("visa", "sida") if k in request.GET}
    form = RedactForm(request.POST or None, text=text, initial=back)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_redact(answer=answer, passage=form.cleaned_data["passage"], by=request.user)
        except services.InventoryRefused as exc:
            form.add_error("passage", str(exc))
        else:
            messages.success(
                request, _("The text was removed from the answer. The history records that, not what it said.")
            )
            query = urlencode(form.back_query())
            url = reverse("inventories:coding", args=[inventory.pk])
            return redirect(f"{url}{'?' if query else ''}{query}#answer-{answer.pk}")
    context = {
        "inventory": inventory,
        "answer": answer,
        "text": text,
        "source": services.answer_source(answer),
        "form": form,
    }
    return render(request, "inventories/answer_redact.html", context, status=_status(form))


# --- Ways forward ---------------------------------------------------------------------------------


@member_required
@require_http_methods(["GET", "POST"])
def recommendation_create(request, pk):
    inventory = get_inventory_for_user(request.user, pk, write=True)
    return _recommendation_form(request, inventory, None)


@member_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request, pk):
    recommendation = get_recommendation_for_user(request.user, pk, write=True)
    return _recommendation_form(request, recommendation.inventory, recommendation)


def _recommendation_form(request, inventory, recommendation):
    form = RecommendationForm(request.POST or None, instance=recommendation, inventory=inventory)
    if request.method == "POST" and form.is_valid():
        services.recommendation_save(
            inventory=inventory,
            by=request.user,
            recommendation=recommendation,
            fields=form.recommendation_fields(),
            themes=form.cleaned_data["themes"],
            goals=form.chosen_goals(),
        )
        messages.success(request, _("The way forward was saved."))
        return redirect(reverse("inventories:detail", args=[inventory.pk]) + "#vagar-framat")
    context = {"form": form, "inventory": inventory, "recommendation": recommendation}
    return render(request, "inventories/recommendation_form.html", context, status=_status(form))


@member_required
@require_http_methods(["GET", "POST"])
def recommendation_delete(request, pk):
    recommendation = get_recommendation_for_user(request.user, pk, write=True)
    if request.method == "GET":
        return confirmation(
            request,
            title=_("Remove the way forward?"),
            subject=recommendation.title,
            what=_("The way forward is removed from “%(name)s”.") % {"name": recommendation.inventory.name},
            consequences=[
                _("The activity made from it stays: %(activity)s.") % {"activity": recommendation.activity}
                if recommendation.activity_id
                else "",
                _("The inventory's history keeps its title."),
            ],
            button=_("Yes, remove the way forward"),
            cancel_url=reverse("inventories:detail", args=[recommendation.inventory.pk]) + "#vagar-framat",
            danger=True,
        )
    services.recommendation_delete(recommendation=recommendation, by=request.user)
    messages.success(request, _("The way forward was removed."))
    return redirect(reverse("inventories:detail", args=[recommendation.inventory.pk]) + "#vagar-framat")


@member_required
@require_http_methods(["GET", "POST"])
def recommendation_activity(request, pk):
    """Turn a way forward into a draft activity (internal, the plan's first status) and open it for editing."""
    recommendation = get_recommendation_for_user(request.user, pk, write=True)
    membership = request.membership
    if not membership.may_register_activities:
        raise PermissionDenied
    form = DraftActivityForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.recommendation_to_activity(
                recommendation=recommendation, by=request.user, owner=form.cleaned_data["owner"]
            )
        except services.InventoryRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("A draft activity was made. Complete it and make it public when it is ready."))
            return redirect("activities:edit", pk=activity.pk)
    context = {"form": form, "recommendation": recommendation, "inventory": recommendation.inventory}
    return render(request, "inventories/recommendation_activity.html", context, status=_status(form))
