from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.outreach_list, name="list"),
    path("sammanstallning/", views.outreach_summary_page, name="summary"),
    path("<int:unit_pk>/<int:year>/<int:month>/", views.outreach_month, name="month"),
    path("<int:unit_pk>/<int:year>/<int:month>/ta-bort/", views.outreach_month_delete, name="month_delete"),
]
