from django.urls import path

from . import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("ny/", views.activity_create, name="create"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/redigera/", views.activity_edit, name="edit"),
    path("<int:pk>/ta-bort/", views.activity_delete, name="delete"),
    path("<int:pk>/lagesrapport/", views.note_add, name="note_add"),
    path("<int:pk>/publik-text/", views.public_texts, name="public_texts"),
    path("lagesrapport/<int:pk>/ta-bort/", views.note_delete, name="note_delete"),
    path("lagesrapport/<int:pk>/publik/", views.note_public, name="note_public"),
    path("plan/<int:plan_pk>/aktiviteter.xlsx", views.activity_export, name="export"),
    path("plan/<int:plan_pk>/importera/", views.activity_import, name="import"),
]
