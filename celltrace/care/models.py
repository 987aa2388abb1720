"""Care on the ward and around it: daily rounds, therapy sessions and the program's services."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from celltrace.plans.models import PlannedTherapy, TreatmentPlan
from celltrace.stays.models import Stay


class DailyRound(models.Model):
    """A doctor's daily check-up of a patient on the ward."""

    class NeuroStatus(models.TextChoices):
        STABLE = "stable", "Stable"
        IMPROVED = "improved", "Improved"
        WORSE = "worse", "Worse"
        NEW_SYMPTOM = "new_symptom", "New symptom"
        NOT_ASSESSED = "not_assessed", "Not assessed"

    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="rounds")
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField()
    temperature_c = models.FloatField()
    heart_rate = models.PositiveSmallIntegerField()
    systolic_bp = models.PositiveSmallIntegerField()
    diastolic_bp = models.PositiveSmallIntegerField()
    spo2 = models.PositiveSmallIntegerField()
    pain_nrs = models.PositiveSmallIntegerField(help_text="Numeric rating scale, 0 to 10")
    neuro_status = models.CharField(max_length=20, choices=NeuroStatus.choices)
    neuro_notes = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    plan_for_day = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-taken_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(pain_nrs__lte=10), name="pain_nrs_0_to_10")
        ]

    def __str__(self):
        return f"Round of {self.stay.patient} at {self.taken_at:%Y-%m-%d %H:%M}"


class TherapySession(models.Model):
    """One session of a planned complementary therapy during the stay."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        GIVEN = "given", "Given"
        MISSED = "missed", "Missed"

    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="therapy_sessions")
    planned_therapy = models.ForeignKey(
        PlannedTherapy, on_delete=models.PROTECT, related_name="sessions_given"
    )
    scheduled_for = models.DateTimeField()
    therapist = models.CharField(max_length=120, blank=True)
    room = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    missed_reason = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheduled_for", "pk"]

    def __str__(self):
        return f"{self.planned_therapy.therapy} at {self.scheduled_for:%Y-%m-%d %H:%M}"

    @property
    def is_final(self) -> bool:
        return self.status != self.Status.SCHEDULED


class ServiceBooking(models.Model):
    """A service of the all-inclusive program, booked on the plan before the patient arrives."""

    class Kind(models.TextChoices):
        INTERPRETER = "interpreter", "Interpreter"
        TRANSFER = "transfer", "Airport transfer"
        MEALS = "meals", "Meals"

    class Direction(models.TextChoices):
        ARRIVAL = "arrival", "Arrival (airport to clinic)"
        DEPARTURE = "departure", "Departure (clinic to airport)"

    class Diet(models.TextChoices):
        STANDARD = "standard", "Standard"
        VEGETARIAN = "vegetarian", "Vegetarian"
        VEGAN = "vegan", "Vegan"
        HALAL = "halal", "Halal"
        KOSHER = "kosher", "Kosher"
        GLUTEN_FREE = "gluten_free", "Gluten-free"
        DIABETIC = "diabetic", "Diabetic"
        OTHER = "other", "Other (see notes)"

    class Status(models.TextChoices):
        ACTIVE = "active", "Booked"
        CANCELLED = "cancelled", "Cancelled"

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="bookings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    language = models.CharField(max_length=40, blank=True)
    direction = models.CharField(max_length=20, choices=Direction.choices, blank=True)
    flight_number = models.CharField(max_length=10, blank=True)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    pickup_place = models.CharField(max_length=160, blank=True)
    diet = models.CharField(max_length=20, choices=Diet.choices, blank=True)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    cancel_reason = models.TextField(blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "kind", "direction", "pk"]
        constraints = [
            # The action refuses a second booking first; this is the backstop for two clicks.
            models.UniqueConstraint(
                fields=["plan", "kind", "direction"],
                condition=models.Q(status="active"),
                name="one_active_booking_per_kind",
            )
        ]

    def __str__(self):
        return f"{self.describe()} for {self.plan.patient}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def describe(self) -> str:
        """Say what is booked in a few words, for lists."""
        if self.kind == self.Kind.INTERPRETER:
            return f"Interpreter ({self.language})"
        if self.kind == self.Kind.MEALS:
            return f"Meals: {self.get_diet_display().lower()}"
        return (
            f"{self.get_direction_display().split(' (')[0]} transfer, flight {self.flight_number}"
        )
