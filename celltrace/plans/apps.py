from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "celltrace.plans"
    label = "plans"
