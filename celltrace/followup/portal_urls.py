"""The patient's own follow-up pages in the portal (mounted under /portal/appointments/)."""

from django.urls import path

from celltrace.followup import views

app_name = "my_appointments"
urlpatterns = [
    path("", views.my_appointments, name="list"),
]
