from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("ny/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/redigera/", views.report_edit, name="edit"),
    path("<int:pk>/ta-bort/", views.report_delete, name="delete"),
    path("<int:pk>/bygg/", views.report_build, name="build"),
    path("byggen/<int:pk>/status/", views.build_status, name="build_status"),
    path("byggen/<int:pk>/rapport.pdf", views.build_file, {"fmt": "pdf"}, name="build_pdf"),
    path("byggen/<int:pk>/rapport.docx", views.build_file, {"fmt": "docx"}, name="build_docx"),
    path("uppfoljning/<int:pk>/rapport.pdf", views.unit_report_file, {"fmt": "pdf"}, name="unit_pdf"),
    path("uppfoljning/<int:pk>/rapport.docx", views.unit_report_file, {"fmt": "docx"}, name="unit_docx"),
]
