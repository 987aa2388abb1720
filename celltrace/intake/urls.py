from django.urls import path

from celltrace.intake import views

app_name = "intake"
urlpatterns = [
    path("request/", views.public_request, name="public_request"),
    path("request/received/", views.request_received, name="request_received"),
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/notes/", views.add_note, name="add_note"),
    path("<int:pk>/attachments/", views.add_attachment, name="add_attachment"),
    path("<int:pk>/convert/", views.convert, name="convert"),
    path("<int:pk>/close/", views.close, name="close"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/consultations/", views.book, name="book"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/record/", views.record_consultation, name="record"),
    path("consultations/<int:pk>/cancel/", views.cancel_consultation, name="cancel"),
    path("consultations/<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("consultations/<int:pk>/no-show/", views.no_show, name="no_show"),
]
