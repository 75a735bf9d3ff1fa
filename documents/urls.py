from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("ny/<int:content_type_id>/<int:object_id>/", views.upload, name="upload"),
    path("<int:pk>/ta-bort/", views.delete, name="delete"),
    path("<int:pk>/<str:name>", views.download, name="download"),
]
