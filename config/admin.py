"""The admin is for superusers only: support and repair, never daily work.

Django's admin lets in every active ``is_staff`` account; this site lets in only
superusers, whatever ``is_staff`` says. Installed in place of
``django.contrib.admin`` (settings.INSTALLED_APPS)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser


class SuperuserAdminConfig(AdminConfig):
    default_site = "config.admin.SuperuserAdminSite"
