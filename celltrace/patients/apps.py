from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "celltrace.patients"
    label = "patients"
