from django.urls import path

from . import views

app_name = "followups"
urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("ny/", views.round_create, name="round_create"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/redigera/", views.round_edit, name="round_edit"),
    path("<int:pk>/svar.xlsx", views.round_xlsx, name="round_xlsx"),
    path("rapport/<int:pk>/", views.report_detail, name="report"),
    path("rapport/<int:pk>/redigera/", views.report_edit, name="report_edit"),
    path("rapport/<int:pk>/lamna-in/", views.report_submit, name="report_submit"),
    path("rapport/<int:pk>/atersand/", views.report_return, name="report_return"),
    path("rapport/<int:pk>/godkann/", views.report_approve, name="report_approve"),
    path("tackning/", views.coverage_view, name="coverage"),
    path("tackning.xlsx", views.coverage_export, name="coverage_export"),
]
