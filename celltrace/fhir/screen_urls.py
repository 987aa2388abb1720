from django.urls import path

from celltrace.fhir import screens

app_name = "fhir_import"

urlpatterns = [
    path("", screens.import_file, name="form"),
]
