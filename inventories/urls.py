from django.urls import path

from . import views

app_name = "inventories"
urlpatterns = [
    path("ny/", views.inventory_create, name="create"),
    path("<int:pk>/", views.inventory_detail, name="detail"),
    path("<int:pk>/redigera/", views.inventory_edit, name="edit"),
    path("<int:pk>/ta-bort/", views.inventory_delete, name="delete"),
    path("<int:pk>/resultat/", views.results, name="results"),
    path("<int:pk>/faststall/", views.finalise, name="finalise"),
    path("<int:pk>/resultat.xlsx", views.results_export, {"fmt": "xlsx"}, name="results_xlsx"),
    path("<int:pk>/resultat.csv", views.results_export, {"fmt": "csv"}, name="results_csv"),
    path("<int:pk>/tema/nytt/", views.theme_create, name="theme_create"),
    path("tema/<int:pk>/redigera/", views.theme_edit, name="theme_edit"),
    path("tema/<int:pk>/ta-bort/", views.theme_delete, name="theme_delete"),
    path("<int:pk>/dialogmote/nytt/", views.note_create, name="note_create"),
    path("dialogmote/<int:pk>/redigera/", views.note_edit, name="note_edit"),
    path("dialogmote/<int:pk>/ta-bort/", views.note_delete, name="note_delete"),
    path("<int:pk>/kodning/", views.coding, name="coding"),
    path("<int:pk>/koda/", views.code, name="code"),
    path("svar/<uuid:pk>/ta-bort-text/", views.answer_redact, name="answer_redact"),
    path("<int:pk>/vag-framat/ny/", views.recommendation_create, name="recommendation_create"),
    path("vag-framat/<int:pk>/redigera/", views.recommendation_edit, name="recommendation_edit"),
    path("vag-framat/<int:pk>/ta-bort/", views.recommendation_delete, name="recommendation_delete"),
    path("vag-framat/<int:pk>/aktivitet/", views.recommendation_activity, name="recommendation_activity"),
]

# A published inventory's results, for anyone.
public_urlpatterns = [
    path("behovsinventering/<int:pk>/", views.public_results, name="results"),
    path("behovsinventering/<int:pk>/resultat.xlsx", views.public_results_export, {"fmt": "xlsx"}, name="results_xlsx"),
    path("behovsinventering/<int:pk>/resultat.csv", views.public_results_export, {"fmt": "csv"}, name="results_csv"),
]
