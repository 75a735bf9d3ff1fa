"""The account log for operators (superusers): read-only, like the log itself."""

from django.contrib import admin

from .models import AccountEvent


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "account_name", "municipality", "method", "path")
    list_filter = ("kind", "municipality")
    search_fields = ("account_name", "path")
    date_hierarchy = "at"
    ordering = ("-at",)
    fields = list_display
    readonly_fields = list_display

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
