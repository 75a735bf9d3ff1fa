from django.urls import path

from . import views

app_name = "remiss"
urlpatterns = [
    path("", views.remiss_list, name="list"),
    path("plan/<int:plan_pk>/ny/", views.remiss_create, name="create"),
    path("<int:pk>/", views.remiss_detail, name="detail"),
    path("<int:pk>/redigera/", views.remiss_edit, name="edit"),
    path("<int:pk>/skicka/", views.remiss_send, name="send"),
    path("<int:pk>/stang/", views.remiss_close, name="close"),
    path("<int:pk>/underlag/", views.underlag_request, name="underlag"),
    path("<int:pk>/publicera/", views.remiss_publish, name="publish"),
    path("<int:pk>/avpublicera/", views.remiss_unpublish, name="unpublish"),
    path("<int:pk>/sammanstallning/", views.compilation_page, name="compilation"),
    path("<int:pk>/sammanstallning.docx", views.compilation_docx, name="compilation_docx"),
    path("<int:pk>/sammanstallning/pdf/", views.compilation_pdf_request, name="compilation_pdf"),
    path("sammanstallning/pdf/<int:pk>/", views.compilation_pdf_file, name="compilation_pdf_file"),
    path("instans/<int:pk>/svar/", views.answer, name="answer"),
    path("synpunkt/<int:pk>/hantering/", views.comment_handle, name="handle"),
]

# The external organisations' personal links: no account (config/urls.py, namespace "remiss_public").
public_urlpatterns = [
    path("remissvar/<str:token>/", views.link_answer, name="answer"),
    path("remissvar/<str:token>/tack/", views.link_thanks, name="thanks"),
    path("remissvar/<str:token>/dokument/<int:pk>/<str:name>", views.link_document, name="document"),
]
