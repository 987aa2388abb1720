"""After discharge: home-care items and check-ups, each with a due date."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from celltrace.clinical import appointments
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
    # A check-up's window from the analysis plan's time point (empty for home care): a visit
    # counts for the outcome report only from the first to the last day, both included.
    window_opens = models.DateField(null=True, blank=True)
    window_closes = models.DateField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        # The overdue and upcoming lists: open items by due date; done ones are most rows.
        indexes = [
            models.Index(
                fields=["due_date"],
                condition=models.Q(completed_at__isnull=True),
                name="followup_open_due",
            )
        ]

    def __str__(self):
        return f"{self.title} due {self.due_date}"

    @property
    def has_window(self) -> bool:
        return self.window_opens is not None and self.window_closes is not None


class Appointment(models.Model):
    """A check-up booked for a day and time, at the clinic or remote, and how it went."""

    class Place(models.TextChoices):
        CLINIC = appointments.CLINIC, _("At the clinic")
        VIDEO = appointments.VIDEO, _("Video call")
        PHONE = appointments.PHONE, _("Phone call")

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        ATTENDED = "attended", _("Attended")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("Did not come")

    item = models.ForeignKey(FollowUpItem, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField(help_text="Entered in the site's time zone")
    place = models.CharField(max_length=10, choices=Place.choices)
    link = models.URLField(blank=True, help_text="The video call's address")
    phone = models.CharField(max_length=40, blank=True, help_text="The number the clinic calls")
    # Booked on a day outside the check-up's window: allowed with a reason, and flagged.
    outside_window = models.BooleanField(default=False)
    outside_window_reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    status_note = models.CharField(max_length=300, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"], name="appointment_starts")]

    def __str__(self):
        return f"{self.item.title}: {self.get_place_display()} {self.starts_at:%Y-%m-%d %H:%M}"


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
