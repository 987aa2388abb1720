from django.apps import AppConfig


class CryostoreConfig(AppConfig):
    name = "celltrace.cryostore"
    label = "cryostore"
