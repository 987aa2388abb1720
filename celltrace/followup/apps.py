from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "celltrace.followup"
    label = "followup"
