from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "celltrace.catalog"
    label = "catalog"
