"""Admin pages for support and repair by superusers (config.admin.SuperuserAdminSite):
municipalities, their units and people's memberships. Daily work happens in the
application; a new municipality and its first coordinator are made with
``manage.py create_municipality`` (docs/operations.md).

Every change made here is written to the municipality's audit log, like a change
made in the application. Nothing is deleted here: units end by date, people are
made unable to sign in, and a municipality takes all its history with it."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.models import AuditEvent
from audit.services import audit_record, diff, snapshot_created
from plans.validators import validate_single_line

from .forms import clean_municipality_code
from .models import Membership, Municipality, OrgUnit
from .services import member_snapshot, send_welcome, unit_snapshot

MUNICIPALITY_FIELDS = (
    "name",
    "code",
    "reference_prefix",
    "suppression_k",
    "feedback_days",
    "open_consultation_figures",
)


def _audited_save(request, obj, change: bool, *, snapshot, municipality) -> None:
    """Save ``obj`` and record it in the audit log, as a service would."""
    before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
    obj.save()
    after = snapshot(obj)
    audit_record(
        municipality=municipality(obj), actor=request.user,
        action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE, obj=obj,
        changes=diff(before, after) if change else snapshot_created(after),
    )  # fmt: skip


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class MunicipalityAdminForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = MUNICIPALITY_FIELDS

    def clean_code(self):
        return clean_municipality_code(self.cleaned_data["code"], exclude_pk=self.instance.pk)

    def clean_name(self):
        name = self.cleaned_data["name"]
        validate_single_line(name)  # it heads pages, reports and e-mail subject lines
        return name

    def clean_suppression_k(self):
        k = self.cleaned_data["suppression_k"]
        if k < 3:
            raise forms.ValidationError(_("Never below 3: smaller counts could point out people."))
        return k


@admin.register(Municipality)
class MunicipalityAdmin(NoDeleteAdmin):
    form = MunicipalityAdminForm
    list_display = ("name", "code", "reference_prefix", "member_count", "unit_count")
    search_fields = ("name", "code")
    ordering = ("name",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(member_count=Count("memberships", distinct=True), unit_count=Count("units", distinct=True))
        )

    @admin.display(description=_("people"), ordering="member_count")
    def member_count(self, obj) -> int:
        return obj.member_count

    @admin.display(description=_("organisation units"), ordering="unit_count")
    def unit_count(self, obj) -> int:
        return obj.unit_count

    def save_model(self, request, obj, form, change):
        def snapshot(m):
            return {name: getattr(m, name) for name in MUNICIPALITY_FIELDS}

        _audited_save(request, obj, change, snapshot=snapshot, municipality=lambda m: m)


@admin.register(OrgUnit)
class OrgUnitAdmin(NoDeleteAdmin):
    list_display = ("name", "short_name", "kind", "municipality", "valid_from", "valid_to")
    list_filter = ("kind", "municipality")
    list_select_related = ("municipality",)
    search_fields = ("name", "short_name", "municipality__name", "municipality__code")
    fields = ("municipality", "kind", "name", "short_name", "valid_from", "valid_to")

    def get_readonly_fields(self, request, obj=None):
        return ("municipality",) if obj is not None else ()  # a unit never moves to another municipality

    def save_model(self, request, obj, form, change):
        _audited_save(request, obj, change, snapshot=unit_snapshot, municipality=lambda u: u.municipality)


class MembershipAdminForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", "municipality", "role", "units", "title", "phone", "organisation", "named_consent")

    def clean(self):
        data = super().clean()
        municipality, role, units = data.get("municipality"), data.get("role"), data.get("units")
        if municipality is not None and units:
            foreign = [u.name for u in units if u.municipality_id != municipality.pk]
            if foreign:
                self.add_error(
                    "units",
                    _("Not units of %(municipality)s: %(units)s.")
                    % {"municipality": municipality.name, "units": ", ".join(foreign)},
                )
        if role == Membership.Role.CONTACT and not units:
            self.add_error("units", _("Choose the units the contact person acts for."))
        if role == Membership.Role.REPRESENTATIVE and not data.get("organisation", "").strip():
            self.add_error("organisation", _("Say which organisation or council the representative speaks for."))
        if role and role != Membership.Role.CONTACT:
            data["units"] = OrgUnit.objects.none()  # only a unit contact acts for units
        return data


@admin.register(Membership)
class MembershipAdmin(NoDeleteAdmin):
    form = MembershipAdminForm
    list_display = ("user", "full_name", "email", "municipality", "role", "is_active")
    list_filter = ("role", "municipality", "user__is_active")
    list_select_related = ("user", "municipality")
    search_fields = (
        "user__username", "user__email", "user__first_name", "user__last_name", "municipality__name",
        "municipality__code",
    )  # fmt: skip
    autocomplete_fields = ("user",)
    filter_horizontal = ("units",)
    actions = ("send_invitation",)

    @admin.display(description=_("name"), ordering="user__last_name")
    def full_name(self, obj) -> str:
        return obj.user.get_full_name()

    @admin.display(description=_("E-mail"), ordering="user__email")
    def email(self, obj) -> str:
        return obj.user.email

    @admin.display(description=_("Can sign in"), boolean=True, ordering="user__is_active")
    def is_active(self, obj) -> bool:
        return obj.user.is_active

    def save_model(self, request, obj, form, change):
        # The units are saved after the membership (save_related); the audit event is written there.
        obj._audit_before = member_snapshot(Membership.objects.get(pk=obj.pk)) if change else None
        obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        member, before = form.instance, form.instance._audit_before
        after = member_snapshot(member)
        audit_record(
            municipality=member.municipality, actor=request.user,
            action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE, obj=member,
            changes=diff(before, after) if change else snapshot_created(after),
            object_repr=member.user.get_full_name() or member.user.username,
        )  # fmt: skip

    @admin.action(description=_("E-mail a link to choose a password"))
    def send_invitation(self, request, queryset):
        sent = 0
        for member in queryset.select_related("user", "municipality"):
            if member.user.is_active and member.user.email:
                send_welcome(member=member, request=request)  # through the outbox, after the response
                sent += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d person was e-mailed a link to choose a password.",
                "%(count)d people were e-mailed a link to choose a password.",
                sent,
            )
            % {"count": sent},
            messages.SUCCESS,
        )


User = get_user_model()
admin.site.unregister(User)  # django.contrib.auth's own page, which deletes people and writes no history


@admin.register(User)
class PersonAdmin(NoDeleteAdmin, UserAdmin):
    """The accounts (username, name, e-mail, can sign in, superuser): never deleted, since a
    person's history stays. A change to a member's name, e-mail address or ability to sign
    in is written to their municipality's history like a change made in the application."""

    def save_model(self, request, obj, form, change):
        member = Membership.objects.select_related("user").filter(user_id=obj.pk).first() if change else None
        before = member_snapshot(member) if member is not None else None
        super().save_model(request, obj, form, change)
        if member is not None:
            member.user = obj
            audit_record(
                municipality=member.municipality, actor=request.user, action=AuditEvent.Action.UPDATE, obj=member,
                changes=diff(before, member_snapshot(member)), object_repr=obj.get_full_name() or obj.username,
            )  # fmt: skip
