from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("enheter/", views.unit_list, name="units"),
    path("enheter/ny/", views.unit_create, name="unit_create"),
    path("enheter/<int:pk>/", views.unit_detail, name="unit"),
    path("enheter/<int:pk>/redigera/", views.unit_edit, name="unit_edit"),
    path("enheter/grupper/ny/", views.group_create, name="group_create"),
    path("enheter/grupper/<int:pk>/", views.group_detail, name="group"),
    path("enheter/grupper/<int:pk>/redigera/", views.group_edit, name="group_edit"),
    path("installningar/", views.municipality_settings, name="settings"),
    path("personer/", views.member_list, name="members"),
    path("personer/ny/", views.member_create, name="member_create"),
    path("personer/<int:pk>/redigera/", views.member_edit, name="member_edit"),
]
