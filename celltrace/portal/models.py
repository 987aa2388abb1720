"""What patients and their care team exchange in the portal: messages and medical reports."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from celltrace.patients.models import Patient

REPORT_FOLDER = "portal"  # PatientReport.file's upload_to begins with it


class CareTeamMessage(models.Model):
    """One message of the conversation between a patient and the care team of their site.

    `read_at` is set when the other side first opens the conversation: the patient reads the
    team's answers, any member of the team reads the patient's messages.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="care_messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_patient = models.BooleanField(help_text="Written by the patient, not by the care team")
    body = models.TextField()
    sent_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["sent_at", "pk"]
        # The care team's inbox: patients' messages nobody has read, oldest first.
        indexes = [
            models.Index(
                fields=["sent_at"],
                condition=models.Q(from_patient=True, read_at__isnull=True),
                name="message_unread_sent",
            )
        ]

    def __str__(self):
        side = "patient" if self.from_patient else "care team"
        return f"Message from the {side} of {self.patient.code} at {self.sent_at:%Y-%m-%d %H:%M}"


class PatientReport(models.Model):
    """A medical report the patient sent through the portal, kept only after the upload checks."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="sent_reports")
    file = models.FileField(upload_to=f"{REPORT_FOLDER}/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    note = models.CharField(
        max_length=200, blank=True, help_text="What the report is, in the patient's words"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.original_name
