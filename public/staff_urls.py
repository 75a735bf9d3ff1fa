"""Staff pages of the public site (under /publikt/): what coordinators write
for the public pages."""

from django.urls import path, re_path

from .views import rights_staff, staff
from .views import translations as translation_views

app_name = "public_staff"

urlpatterns = [
    path("", staff.site, name="site"),
    path("texter/", staff.site_texts, name="site_texts"),
    path("publicera/", staff.site_publish, name="publish"),
    path("avpublicera/", staff.site_unpublish, name="unpublish"),
    path("rattigheter/", rights_staff.rights_list, name="rights"),
    path("rattigheter/ny/", rights_staff.rights_create, name="rights_create"),
    path("rattigheter/<int:pk>/redigera/", rights_staff.rights_edit, name="rights_edit"),
    path("rattigheter/<int:pk>/flytta/", rights_staff.rights_move, name="rights_move"),
    path("rattigheter/<int:pk>/ta-bort/", rights_staff.rights_delete, name="rights_delete"),
]

# Översättningar: per language, the texts to translate, one text, the translator's file.
urlpatterns += [
    path("oversattningar/", translation_views.translation_overview, name="translations"),
    path("oversattningar/<slug:lang>/export.xlsx", translation_views.translation_export, name="translations_export"),
    path("oversattningar/<slug:lang>/import/", translation_views.translation_import, name="translations_import"),
    re_path(
        r"^oversattningar/(?P<lang>[a-z]+)/(?P<key>[a-z]+:[0-9]+:[a-z_]+)/$",
        translation_views.translation_edit,
        name="translation",
    ),
]
