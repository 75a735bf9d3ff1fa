from django.urls import path

from . import views

app_name = "competence"
urlpatterns = [
    path("", views.training_list, name="list"),
    path("ny/", views.training_create, name="create"),
    path("<int:pk>/", views.training_detail, name="detail"),
    path("<int:pk>/redigera/", views.training_edit, name="edit"),
    path("<int:pk>/ta-bort/", views.training_delete, name="delete"),
    path("<int:pk>/tillfallen/nytt/", views.occasion_create, name="occasion_create"),
    path("tillfallen/<int:pk>/redigera/", views.occasion_edit, name="occasion_edit"),
    path("tillfallen/<int:pk>/ta-bort/", views.occasion_delete, name="occasion_delete"),
    path("andel-utbildade/", views.share_overview, name="overview"),
    path("antal-anstallda/<int:pk>/", views.headcounts_edit, name="headcounts"),
    path("personalgrupper/", views.staff_groups_edit, name="staff_groups"),
    path("indikatorer/<int:pk>/", views.share_settings_edit, name="share_settings"),
]
