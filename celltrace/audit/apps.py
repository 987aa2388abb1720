from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "celltrace.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self):
        from celltrace.audit import bulk, chain, events, protection

        chain.connect()
        bulk.audit_bulk_paths()
        events.connect()
        protection.connect()
