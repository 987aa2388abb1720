from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "celltrace.portal"
    verbose_name = "Patient portal"
