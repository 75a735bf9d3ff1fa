from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("nytt/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/kalender.ics", views.event_ics, name="ics"),
    path("<int:pk>/redigera/", views.event_edit, name="edit"),
    path("<int:pk>/ta-bort/", views.event_delete, name="delete"),
    path("<int:pk>/nasta-ar/", views.event_copy, name="copy"),
]
