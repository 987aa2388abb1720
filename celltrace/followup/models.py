"""After discharge: home-care items and check-ups, each with a due date."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from celltrace.patients.models import Patient


class FollowUpItem(models.Model):
    class Kind(models.TextChoices):
        HOME_CARE = "home_care", "Home care"
        CHECKUP = "checkup", "Check-up"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="follow_up")
    # By name: the stay app writes follow-up items on discharge, so followup must not import it.
    stay = models.ForeignKey("stays.Stay", on_delete=models.PROTECT, related_name="follow_up")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=160)
    due_date = models.DateField()
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self):
        return f"{self.title} due {self.due_date}"


class FollowUpEnd(models.Model):
    """Why and when a treated patient's follow-up ended: the report counts them, not as lost.

    A patient who died or withdrew is not "missed" at later time points (REPORT.md): the
    report reads this record to tell them apart from a patient who did not come back.
    """

    class Reason(models.TextChoices):
        DIED = "died", "Died"
        WITHDRAWN = "withdrawn", "Withdrew from follow-up"

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="follow_up_end")
    on = models.DateField("Date", help_text="The date of death or of the withdrawal")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self):
        return f"Follow-up ended on {self.on}: {self.get_reason_display().lower()}"
