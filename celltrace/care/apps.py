from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "celltrace.care"
    label = "care"
