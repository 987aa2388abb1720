from django.urls import path

from celltrace.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("treatment/", views.treatment, name="treatment"),
    path("stay/", views.stay, name="stay"),
    path("documents/", views.documents, name="documents"),
    path("plans/<int:pk>/quote.pdf", views.quote, name="quote_pdf"),
    path("messages/", views.messages_page, name="messages"),
    path("reports/new/", views.send_report, name="send_report"),
    path("reports/<int:pk>/", views.report_file, name="report_file"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/patients/<int:patient_pk>/", views.conversation, name="conversation"),
]
