from django.urls import path

from celltrace.fhir import views

app_name = "fhir"

urlpatterns = [
    path("", views.import_results, name="import"),
    path("metadata", views.metadata, name="metadata"),
    path("CodeSystem/<code_system_id>", views.code_system, name="code_system"),
    path("$export", views.export_kickoff, name="export"),
    path("$export-status/<export_id>", views.export_status, name="export_status"),
    path("$export-file/<export_id>/<resource_type>", views.export_file, name="export_file"),
    path("Patient/<patient_id>/$everything", views.everything, name="everything"),
    path("<resource_type>", views.search, name="search"),
    path("<resource_type>/<resource_id>", views.read, name="read"),
]
