from django.apps import AppConfig


class SignaturesConfig(AppConfig):
    name = "celltrace.signatures"
    label = "signatures"
    verbose_name = "Electronic signatures"
