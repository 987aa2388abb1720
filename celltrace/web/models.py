from django.db import models

from celltrace.snapshots import Snapshot


class SiteFigures(Snapshot):
    """The clinic at a glance for one site (every site when `site` is empty) on one day.

    Computed by the worker (celltrace.web.site_figures) and served until the records it
    reads change: beds and doctors' load, requests by age, follow-up completeness, adverse
    events. A manager is only ever served the snapshot of their own site.
    """

    day = models.DateField()  # the site's today when computed: the month, the days ahead
    figures = models.JSONField(default=dict)

    def __str__(self):
        return f"Site figures {self.key} ({self.status})"
