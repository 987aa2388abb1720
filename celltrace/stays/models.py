"""The stay: admission, bedside administration, adverse events, discharge."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from celltrace.accounts.models import Site
from celltrace.catalog.models import AdverseEventTerm, Route
from celltrace.lab.models import ProductLot
from celltrace.patients.models import Patient
from celltrace.plans.models import PlannedProduct, TreatmentPlan
from celltrace.ward.models import Bed


class Stay(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="stays")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="stays")
    plan = models.OneToOneField(TreatmentPlan, on_delete=models.PROTECT, related_name="stay")
    # Both empty only on stays opened before the ward kept beds and attending doctors.
    bed = models.ForeignKey(Bed, null=True, on_delete=models.PROTECT, related_name="stays")
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="attended_stays",
        help_text="The attending doctor.",
    )
    # Weighed at admission: the bedside gate computes what a lot must hold from it. Stays
    # admitted before it was recorded have none and use the plan's weight.
    weight_kg = models.FloatField(null=True, blank=True, help_text="Body weight at admission")
    admitted_at = models.DateTimeField()
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    discharged_at = models.DateTimeField(null=True, blank=True)
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Why the doctor discharged although the discharge rules (clinical/discharge.py) asked
    # for a reason: kept on the stay so the follow-up team reads it.
    early_discharge_reason = models.TextField(blank=True)
    open_events_reason = models.TextField(blank=True)
    missed_doses_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-admitted_at"]
        constraints = [
            # Two concurrent admissions must not put one patient in two beds.
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(discharged_at__isnull=True),
                name="one_open_stay_per_patient",
            ),
            # ... nor two patients in one bed.
            models.UniqueConstraint(
                fields=["bed"],
                condition=models.Q(discharged_at__isnull=True),
                name="one_open_stay_per_bed",
            ),
        ]

    def __str__(self):
        return f"Stay of {self.patient} from {self.admitted_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("stays:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.discharged_at is None

    @property
    def dosing_weight_kg(self) -> float:
        """The weight doses are given at: the admission weight, else the plan's."""
        return self.weight_kg if self.weight_kg is not None else self.plan.weight_kg


class Administration(models.Model):
    """A product given at the bedside, after the patient's and the lot's IDs were matched."""

    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="administrations")
    lot = models.ForeignKey(ProductLot, on_delete=models.PROTECT, related_name="administrations")
    planned_product = models.ForeignKey(PlannedProduct, on_delete=models.PROTECT)
    route = models.CharField(max_length=20, choices=Route.choices)
    dose_per_kg = models.FloatField()
    given_at = models.DateTimeField()
    nurse = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    temperature_c = models.FloatField()
    heart_rate = models.PositiveSmallIntegerField()
    systolic_bp = models.PositiveSmallIntegerField()
    diastolic_bp = models.PositiveSmallIntegerField()
    spo2 = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["given_at"]
        # A lot is one bag or syringe, given once; a planned product row is one planned dose
        # (product, route, day), given once. The bedside gate refuses both before saving;
        # these are the backstop when two nurses record at the same moment.
        constraints = [
            models.UniqueConstraint(fields=["lot"], name="lot_given_once"),
            models.UniqueConstraint(fields=["planned_product"], name="planned_dose_given_once"),
        ]

    def __str__(self):
        return f"{self.lot.code} to {self.stay.patient} at {self.given_at:%Y-%m-%d %H:%M}"


class DoseDayChange(models.Model):
    """A doctor's decision that a planned dose may be given on another day of the stay.

    Kept as history: the latest change of a planned dose replaces its day; earlier ones
    stay on record with who decided and why.
    """

    planned_product = models.ForeignKey(
        PlannedProduct, on_delete=models.PROTECT, related_name="day_changes"
    )
    day_of_stay = models.PositiveSmallIntegerField()
    reason = models.TextField()
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self):
        return f"{self.planned_product} moved to day {self.day_of_stay}"


class AdverseEvent(models.Model):
    """A side effect seen during the stay, coded (CTCAE v5.0 / MedDRA) and followed to its end.

    Related events name the administration (and so the lot) they may come from; a serious
    related event puts that lot on hold (LotHold). Resolved events are final.
    """

    class Relatedness(models.TextChoices):
        UNRELATED = "unrelated", "Unrelated"
        UNLIKELY = "unlikely", "Unlikely"
        POSSIBLE = "possible", "Possible"
        PROBABLE = "probable", "Probable"
        DEFINITE = "definite", "Definite"

    class Outcome(models.TextChoices):
        RECOVERED = "recovered", "Recovered"
        RECOVERING = "recovering", "Recovering"
        NOT_RECOVERED = "not_recovered", "Not recovered"
        SEQUELAE = "sequelae", "Recovered with sequelae"
        FATAL = "fatal", "Fatal"
        UNKNOWN = "unknown", "Unknown"

    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="adverse_events")
    term = models.ForeignKey(AdverseEventTerm, on_delete=models.PROTECT, related_name="+")
    term_detail = models.CharField(
        max_length=120, blank=True, help_text='The event in words, required for "Other, specify"'
    )
    administration = models.ForeignKey(
        Administration,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adverse_events",
    )
    # Always the administration's lot: stored so events can be found by lot in one query.
    lot = models.ForeignKey(
        ProductLot, null=True, blank=True, on_delete=models.PROTECT, related_name="adverse_events"
    )
    onset_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    ctcae_grade = models.PositiveSmallIntegerField(help_text="CTCAE grade 1 (mild) to 5 (death)")
    serious = models.BooleanField()
    relatedness = models.CharField(max_length=20, choices=Relatedness.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    description = models.TextField(blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["onset_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ctcae_grade__gte=1, ctcae_grade__lte=5),
                name="ctcae_grade_1_to_5",
            )
        ]

    def __str__(self):
        return f"{self.label} (grade {self.ctcae_grade})"

    @property
    def label(self) -> str:
        """The term as a reader needs it: "Other, specify" shows what was specified."""
        if self.term.is_other:
            return self.term_detail or self.term.term
        return f"{self.term.term}: {self.term_detail}" if self.term_detail else self.term.term


class LotHold(models.Model):
    """A lot put on hold by a serious related adverse event, until a doctor's review clears it.

    The hold also stops the other lots of the same product from the same donor or the same
    harvest at the bedside (stays/facts.py), since they share whatever caused the event.
    """

    lot = models.ForeignKey(ProductLot, on_delete=models.PROTECT, related_name="holds")
    event = models.ForeignKey(AdverseEvent, on_delete=models.PROTECT, related_name="lot_holds")
    # The event's grade when the hold was raised: a worse grade after a review raises another.
    ctcae_grade = models.PositiveSmallIntegerField()
    raised_at = models.DateTimeField()
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cleared_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            # An event may hold several lots (re-linked to another administration) and hold a
            # lot again after a review, but never twice at once.
            models.UniqueConstraint(
                fields=["event", "lot"],
                condition=models.Q(cleared_at__isnull=True),
                name="one_open_hold_per_event_and_lot",
            )
        ]

    def __str__(self):
        return f"Hold on lot {self.lot.code} after {self.event}"

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None
