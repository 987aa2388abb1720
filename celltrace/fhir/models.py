"""Bulk Data exports asked for through `$export`, computed on the task queue."""

from django.conf import settings
from django.db import models

from celltrace.accounts.models import Site


class BulkExport(models.Model):
    """One `$export` request: who asked, which site's records, and its files once written."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Empty: every site (an administrator's export).
    site = models.ForeignKey(
        Site, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateTimeField(null=True, blank=True)
    request_url = models.CharField(max_length=500)
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"FHIR export #{self.pk} ({self.get_status_display()})"


class BulkExportFile(models.Model):
    """One NDJSON file of an export: the resources of one type, one a line."""

    export = models.ForeignKey(BulkExport, on_delete=models.CASCADE, related_name="files")
    resource_type = models.CharField(max_length=40)
    count = models.PositiveIntegerField()
    content = models.TextField()

    class Meta:
        ordering = ["resource_type"]
        constraints = [
            models.UniqueConstraint(fields=["export", "resource_type"], name="one_file_per_type")
        ]

    def __str__(self):
        return f"{self.resource_type}.ndjson of export #{self.export_id}"
