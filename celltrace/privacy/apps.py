from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "celltrace.privacy"
    label = "privacy"
    verbose_name = "Privacy"
