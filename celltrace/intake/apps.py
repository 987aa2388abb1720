from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "celltrace.intake"
    label = "intake"
