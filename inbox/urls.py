from django.urls import path

from . import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox, name="list"),
    path("aviseringar/", views.preferences, name="preferences"),
    path("paminn/uppfoljning/<int:pk>/", views.remind_round, name="remind_round"),
    path("paminn/samrad/<int:pk>/", views.remind_consultation, name="remind_consultation"),
]
