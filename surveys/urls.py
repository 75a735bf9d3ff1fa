from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("ny/", views.survey_create, name="create"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/redigera/", views.survey_edit, name="edit"),
    path("<int:pk>/ta-bort/", views.survey_delete, name="delete"),
    path("<int:pk>/fraga/ny/", views.question_create, name="question_create"),
    path("fraga/<int:pk>/redigera/", views.question_edit, name="question_edit"),
    path("fraga/<int:pk>/ta-bort/", views.question_delete, name="question_delete"),
    path("<int:pk>/status/", views.survey_status, name="status"),
    path("<int:pk>/ny-version/", views.survey_new_version, name="new_version"),
    path("<int:pk>/faststall/", views.survey_finalise, name="finalise"),
    path("<int:pk>/registrera-svar/", views.staff_entry, name="entry"),
    path("<int:pk>/resultat/", views.results, name="results"),
    path("<int:pk>/resultat.xlsx", views.results_export, {"fmt": "xlsx"}, name="results_xlsx"),
    path("<int:pk>/resultat.csv", views.results_export, {"fmt": "csv"}, name="results_csv"),
]

# The public answering pages: a short link, no account.
public_urlpatterns = [
    path("e/<str:token>/", views.answer, name="answer"),
    path("e/<str:token>/tack/", views.thanks, name="thanks"),
    path("e/<str:token>/resultat/", views.public_results, name="results"),
    path("e/<str:token>/resultat.xlsx", views.public_results_export, {"fmt": "xlsx"}, name="results_xlsx"),
    path("e/<str:token>/resultat.csv", views.public_results_export, {"fmt": "csv"}, name="results_csv"),
]
