from django.apps import AppConfig


class StaysConfig(AppConfig):
    name = "celltrace.stays"
    label = "stays"
