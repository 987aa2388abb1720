from django.apps import AppConfig


class HomecareConfig(AppConfig):
    name = "celltrace.homecare"
    label = "homecare"
