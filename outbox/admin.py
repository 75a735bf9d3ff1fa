"""What the outbox holds, for operators (superusers): read-only. The body is
never shown: until the mail is sent it may hold a set-password link."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ("created", "kind", "to", "subject", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("to", "subject", "key")
    date_hierarchy = "created"
    ordering = ("-created",)
    fields = (
        "key", "kind", "to", "subject", "body_stored", "status", "attempts", "next_attempt_at", "claimed_at",
        "last_error", "created", "sent_at",
    )  # fmt: skip
    readonly_fields = fields

    @admin.display(description=_("body stored"), boolean=True)
    def body_stored(self, obj: OutgoingMail) -> bool:
        return bool(obj.body or obj.html)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
