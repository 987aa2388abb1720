"""Bulk Data exports asked for through `$export`, and the lab results and documents imported."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from celltrace.accounts.models import Site
from celltrace.intake.models import Attachment
from celltrace.patients.models import Patient
from celltrace.screening.models import PatientFact


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


class Import(models.Model):
    """One Bundle or CSV file of lab results and documents taken in: from whom, by whom, when."""

    class Format(models.TextChoices):
        FHIR = "fhir", "FHIR Bundle"
        CSV = "csv", "CSV file"

    format = models.CharField(max_length=4, choices=Format.choices)
    # Who sent it: the Bundle's meta.source, or what the person importing it said.
    sender = models.CharField(max_length=200)
    bundle_identifier = models.CharField(max_length=200, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"{self.get_format_display()} from {self.sender} ({self.imported_at:%Y-%m-%d %H:%M})"


class ImportedResource(models.Model):
    """One resource an import turned into a record, by its identifier, so it is taken once."""

    source = models.ForeignKey(Import, on_delete=models.PROTECT, related_name="resources")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    resource_type = models.CharField(max_length=40)
    identifier_system = models.CharField(max_length=200)
    identifier_value = models.CharField(max_length=200)
    fact = models.OneToOneField(
        PatientFact, null=True, blank=True, on_delete=models.PROTECT, related_name="imported_from"
    )
    attachment = models.OneToOneField(
        Attachment, null=True, blank=True, on_delete=models.PROTECT, related_name="imported_from"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "resource_type", "identifier_system", "identifier_value"],
                name="one_import_per_identifier",
            )
        ]

    def __str__(self):
        return f"{self.resource_type} {self.identifier_value} of {self.patient}"
