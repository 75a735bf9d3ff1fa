from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list_view, name="list"),
    path("indikatorer.xlsx", views.indicator_xlsx, name="xlsx"),
    path("ny/", views.indicator_create, name="create"),
    path("<int:pk>/", views.indicator_detail, name="detail"),
    path("<int:pk>/redigera/", views.indicator_edit, name="edit"),
    path("<int:pk>/ta-bort/", views.indicator_delete, name="delete"),
    path("<int:pk>/bedomning/", views.indicator_assess, name="assess"),
    path("<int:pk>/matvarden/ny/", views.measurement_create, name="measurement_create"),
    path("matvarden/<int:pk>/redigera/", views.measurement_edit, name="measurement_edit"),
    path("matvarden/<int:pk>/ta-bort/", views.measurement_delete, name="measurement_delete"),
]
