from django.apps import AppConfig


class WardConfig(AppConfig):
    name = "celltrace.ward"
    label = "ward"
