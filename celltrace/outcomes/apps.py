from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "celltrace.outcomes"
    label = "outcomes"

    def ready(self):
        # A change to a record the report reads queues the refresh of today's snapshots
        # (celltrace.outcomes.snapshots), once per transaction, after it commits.
        from django.db.models.signals import post_delete, post_save

        from celltrace.outcomes import snapshots

        for model in (*snapshots.PATIENT_OF, *snapshots.STAY_OF, *snapshots.CONDITION_OF):
            post_save.connect(
                snapshots.record_changed, sender=model, dispatch_uid=f"report-{model.__name__}"
            )
            post_delete.connect(
                snapshots.record_changed, sender=model, dispatch_uid=f"report-del-{model.__name__}"
            )
