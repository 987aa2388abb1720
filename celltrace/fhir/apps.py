from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "celltrace.fhir"
    label = "fhir"
