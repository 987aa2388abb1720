from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "celltrace.outcomes"
    label = "outcomes"
