from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "celltrace.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from celltrace.accounts.signin import start_session_clocks

        user_logged_in.connect(start_session_clocks, dispatch_uid="celltrace_session_clocks")
