"""The home-care doses of a discharged patient: one dated row per dose the plan holds."""

import datetime as dt

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from celltrace.catalog.models import CellProduct, Route
from celltrace.clinical import home_care, numbers
from celltrace.patients.models import Patient
from celltrace.plans.models import PlannedHomeCare


class HomeCareDose(models.Model):
    """One dose to take at home on a day, copied from the plan's item as it was signed.

    What, how much and how are copied onto the dose: the patient's calendar and the letter
    keep saying what was prescribed even if the catalog's names change later.
    """

    class Status(models.TextChoices):
        PLANNED = "planned", "To take"
        TAKEN = "taken", "Taken"
        SKIPPED = "skipped", "Not taken"

    class Source(models.TextChoices):
        PORTAL = "portal", "The patient, in the portal"
        PHONE = "phone", "Reported by phone, entered by staff"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="home_care_doses")
    # By name: the stay app writes the doses on discharge, so homecare must not import it.
    stay = models.ForeignKey("stays.Stay", on_delete=models.PROTECT, related_name="home_doses")
    planned = models.ForeignKey(PlannedHomeCare, on_delete=models.PROTECT, related_name="doses")
    product = models.ForeignKey(CellProduct, null=True, blank=True, on_delete=models.PROTECT)
    what = models.CharField(max_length=160)
    route = models.CharField(max_length=20, choices=Route.choices)
    dose_per_kg = models.FloatField(null=True, blank=True)
    amount = models.FloatField(null=True, blank=True, help_text="At the plan's weight")
    dose_unit = models.CharField(max_length=20, blank=True)
    instructions = models.TextField()
    day = models.DateField()
    number = models.PositiveSmallIntegerField()
    of = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    skip_reason = models.TextField(blank=True)
    # Who entered the answer is answered_by; this says how the clinic learnt it.
    source = models.CharField(max_length=20, choices=Source.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["day", "pk"]
        # The missed doses: planned ones by day (taken and skipped ones are most rows).
        indexes = [
            models.Index(
                fields=["day"],
                condition=models.Q(status="planned"),
                name="dose_planned_day",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["planned", "stay", "number"], name="one_dose_a_number")
        ]

    def __str__(self):
        return f"{self.what} on {self.day} ({self.number} of {self.of})"

    @property
    def dose_text(self) -> str:
        """The dose in the product's unit ("7.2 × 10¹⁰ particles"); "" for guidance."""
        if self.amount is None:
            return ""
        return numbers.amount(self.amount, self.dose_unit)

    def is_missed(self, today: dt.date) -> bool:
        return home_care.is_missed(self.day, today, answered=self.status != self.Status.PLANNED)
