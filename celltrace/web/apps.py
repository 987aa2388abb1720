from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "celltrace.web"
    label = "web"

    def ready(self):
        # A change to a record the site's figures read queues the refresh of today's
        # (celltrace.web.site_figures), once per transaction, after it commits.
        from django.db.models.signals import post_delete, post_save

        from celltrace.web import site_figures

        for model in site_figures.STAMPED:
            name = model.__name__
            post_save.connect(
                site_figures.record_changed, sender=model, dispatch_uid=f"figures-{name}"
            )
            post_delete.connect(
                site_figures.record_changed, sender=model, dispatch_uid=f"figures-del-{name}"
            )
