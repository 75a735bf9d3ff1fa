from django.urls import path

from . import views, views_calendar

app_name = "consultations"
urlpatterns = [
    path("", views.consultation_list_view, name="list"),
    path("nytt/", views.consultation_create, name="create"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/kalender.ics", views.consultation_ics, name="ics"),
    path("<int:pk>/redigera/", views.consultation_edit, name="edit"),
    path("<int:pk>/ta-bort/", views.consultation_delete, name="delete"),
    path("<int:pk>/punkt/ny/", views.item_create, name="item_create"),
    path("punkt/<int:pk>/redigera/", views.item_edit, name="item_edit"),
    path("punkt/<int:pk>/ta-bort/", views.item_delete, name="item_delete"),
    path("punkt/<int:pk>/synpunkt/ny/", views.view_create, name="view_create"),
    path("synpunkt/<int:pk>/ta-bort/", views.view_delete, name="view_delete"),
    path("synpunkt/<int:pk>/aterkoppling/", views.feedback_edit, name="feedback"),
    path("synpunkt/<int:pk>/", views.trace_view, name="trace"),
    path("synpunkt/<int:pk>/publicera/", views.view_publish, name="view_publish"),
    path("synpunkt/<int:pk>/avpublicera/", views.view_unpublish, name="view_unpublish"),
    path("kalender/", views_calendar.calendar_month, name="calendar"),
    path("kalender/lista/", views_calendar.calendar_list_view, name="calendar_list"),
    path("forsenade/", views.overdue_list, name="overdue"),
    path("nyckeltal/", views.figures_view, name="figures"),
    path("nyckeltal.xlsx", views.figures_xlsx, name="figures_xlsx"),
    path("<int:pk>/minnesanteckningar/", views.minutes_edit, name="minutes_edit"),
    path("minnesanteckningar/<int:pk>/", views.minutes_detail, name="minutes"),
    path("minnesanteckningar/<int:pk>/skicka/", views.minutes_send, name="minutes_send"),
    path("minnesanteckningar/<int:pk>/kommentera/", views.minutes_comment, name="minutes_comment"),
    path("minnesanteckningar/<int:pk>/justera/", views.minutes_approve, name="minutes_approve"),
    path("minnesanteckningar/<int:pk>/publicera/", views.minutes_publish, name="minutes_publish"),
    path("minnesanteckningar/<int:pk>/ersatt/", views.minutes_supersede, name="minutes_supersede"),
    # A representative's own data (GDPR art. 15): readable, and as a JSON file.
    path("mina-uppgifter/", views.my_data_page, name="my_data"),
    path("mina-uppgifter.json", views.my_data_json, name="my_data_json"),
    path("rad/", views.council_list, name="councils"),
    path("rad/nytt/", views.council_create, name="council_create"),
    path("rad/<int:pk>/", views.council_detail, name="council"),
    path("rad/<int:pk>/redigera/", views.council_edit, name="council_edit"),
]
