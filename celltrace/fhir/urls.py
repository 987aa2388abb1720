from django.urls import path

from celltrace.fhir import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("CodeSystem/<code_system_id>", views.code_system, name="code_system"),
    path("Patient/<patient_id>/$everything", views.everything, name="everything"),
    path("<resource_type>", views.search, name="search"),
    path("<resource_type>/<resource_id>", views.read, name="read"),
]
