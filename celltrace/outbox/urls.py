from django.urls import path

from celltrace.outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<int:pk>/", views.message_detail, name="message"),
    path("patients/<int:patient_pk>/reminders/", views.reminders, name="reminders"),
]
