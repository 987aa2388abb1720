"""The ward's rooms and beds, and how many patients each doctor attends at once."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from celltrace.accounts.models import Site
from celltrace.clinical.ward import DEFAULT_MAX_PATIENTS, MAX_MAX_PATIENTS, MIN_MAX_PATIENTS


class Room(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="rooms")
    number = models.CharField(max_length=20)
    floor = models.SmallIntegerField(null=True, blank=True)
    accessible = models.BooleanField(
        default=False, help_text="Adapted for limited mobility (DOMAIN section 5)."
    )
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["site", "number"]
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="room_number_once_per_site")
        ]

    def __str__(self):
        return f"Room {self.number}"


class Bed(models.Model):
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="beds")
    label = models.CharField(max_length=20)
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["room__number", "label"]
        constraints = [
            models.UniqueConstraint(fields=["room", "label"], name="bed_label_once_per_room")
        ]

    def __str__(self):
        return f"Room {self.room.number}, bed {self.label}"

    @property
    def site_id(self) -> int:
        return self.room.site_id


class DoctorCapacity(models.Model):
    """The patients a doctor attends at once at a site, when not the default of 4."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="+")
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="capacities"
    )
    max_patients = models.PositiveSmallIntegerField(
        default=DEFAULT_MAX_PATIENTS,
        validators=[MinValueValidator(MIN_MAX_PATIENTS), MaxValueValidator(MAX_MAX_PATIENTS)],
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "doctor"], name="one_capacity_per_doctor_site")
        ]

    def __str__(self):
        return f"{self.doctor}: up to {self.max_patients} patients"
