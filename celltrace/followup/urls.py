from django.urls import path

from celltrace.followup import views

app_name = "followup"
urlpatterns = [
    path("overdue/", views.overdue, name="overdue"),
    path("items/<int:pk>/complete/", views.complete, name="complete"),
    path("items/<int:pk>/book/", views.book, name="book"),
    path("appointments/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("patients/<int:patient_pk>/end/", views.end, name="end"),
]
