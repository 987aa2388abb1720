from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "celltrace.accounts"
    label = "accounts"
