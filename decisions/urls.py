from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.decision_list, name="list"),
    path("nytt/", views.decision_create, name="create"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>/redigera/", views.decision_edit, name="edit"),
    path("<int:pk>/konsekvensanalys/", views.analysis_edit, name="analysis"),
    path("<int:pk>/ta-bort/", views.decision_delete, name="delete"),
    path("organ/", views.body_list, name="bodies"),
    path("organ/nytt/", views.body_create, name="body_create"),
    path("organ/<int:pk>/", views.body_detail, name="body"),
    path("organ/<int:pk>/redigera/", views.body_edit, name="body_edit"),
    path("organ/<int:pk>/nytt-mote/", views.meeting_create, name="meeting_create"),
    path("organ/<int:pk>/ta-bort/", views.body_delete, name="body_delete"),
    path("organ/mote/<int:pk>/ta-bort/", views.meeting_delete, name="meeting_delete"),
]
