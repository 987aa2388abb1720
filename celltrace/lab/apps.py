from django.apps import AppConfig


class LabConfig(AppConfig):
    name = "celltrace.lab"
    label = "lab"
