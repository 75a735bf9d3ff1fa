from django.urls import path

from . import views

app_name = "practice"
urlpatterns = [
    path("", views.example_list, name="list"),
    path("nytt/", views.example_create, name="create"),
    path("<int:pk>/", views.example_detail, name="detail"),
    path("<int:pk>/redigera/", views.example_edit, name="edit"),
    path("<int:pk>/dela/", views.example_publish, name="publish"),
    path("<int:pk>/offentlig/", views.example_public_site, name="public_site"),
    path("<int:pk>/ta-upp/", views.example_adopt, name="adopt"),
    path("<int:pk>/ta-bort/", views.example_delete, name="delete"),
]
