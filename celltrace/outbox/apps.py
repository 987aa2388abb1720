from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "celltrace.outbox"
    label = "outbox"  # not "messages": django.contrib.messages holds that label
    verbose_name = "Outbox"
