from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "celltrace.screening"
    label = "screening"
