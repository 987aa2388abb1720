"""Personal treatment plans: products and doses, stay dates, therapies and the quote.

A plan changes by versions: amending makes a new signed version that supersedes the last one,
which stays as it was for the record; cancelling ends the plan. Only an active version is
in force: admission, the lab's orders and the quote acceptance all go by it.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from celltrace.catalog.models import CellProduct, Route, Therapy
from celltrace.clinical import dosing, home_care, quote
from celltrace.clinical.numbers import money
from celltrace.patients.models import Patient
from celltrace.screening.models import Screening


class PlanQuerySet(models.QuerySet):
    def in_force(self):
        """The versions in force: not a superseded version, nor a cancelled plan."""
        return self.filter(status=TreatmentPlan.Status.ACTIVE)

    def awaiting_admission(self):
        """Plans in force whose patient has no stay yet (the stay points at its plan)."""
        return self.in_force().filter(stay__isnull=True)


class TreatmentPlan(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUPERSEDED = "superseded", "Superseded"
        CANCELLED = "cancelled", "Cancelled"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="plans")
    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="plans")
    weight_kg = models.FloatField(help_text="Body weight the doses are computed from")
    admission_date = models.DateField()
    discharge_date = models.DateField()
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Versions: the first version's number is the plan's number; later ones point back to it.
    version = models.PositiveSmallIntegerField(default=1)
    first_version = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="later_versions"
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    amendment_reason = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancellation_reason = models.TextField(blank=True)
    currency = models.CharField(
        max_length=3, default="EUR", help_text="The site's currency when the plan was quoted"
    )

    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-admission_date", "-pk"]

    def __str__(self):
        return f"Plan #{self.label} for {self.patient}, admission {self.admission_date}"

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.pk])

    @property
    def stay_days(self) -> int:
        return dosing.stay_days(self.admission_date, self.discharge_date)

    @property
    def number(self) -> int:
        """The plan's number, the same for every version: its first version's id."""
        return self.first_version_id or self.pk

    @property
    def label(self) -> str:
        """How people name this version: 12 v2 (the first version is plain 12)."""
        return f"{self.number} v{self.version}" if self.version > 1 else str(self.number)

    @property
    def in_force(self) -> bool:
        return self.status == self.Status.ACTIVE

    def versions(self):
        """Every version of this plan, oldest first."""
        number = self.number
        return TreatmentPlan.objects.filter(
            models.Q(pk=number) | models.Q(first_version_id=number)
        ).order_by("version")

    @property
    def quote_total(self) -> Decimal:
        return sum((line.amount for line in self.quote_lines.all()), Decimal("0"))

    def price(self, amount) -> str:
        """Write an amount of this plan's quote with its currency: EUR 12,400.00."""
        return money(amount, self.currency)

    @property
    def quote_fingerprint(self) -> str:
        return quote.fingerprint(self.quote_lines.all(), self.currency)

    @property
    def quote_acceptance(self) -> "QuoteAcceptance | None":
        """The patient's acceptance of exactly this version's quote, if recorded."""
        return self.acceptances.filter(quote_hash=self.quote_fingerprint).first()

    def planned_date(self, day_of_stay: int) -> dt.date:
        return self.admission_date + dt.timedelta(days=day_of_stay - 1)


class PlannedProduct(models.Model):
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="products")
    product = models.ForeignKey(CellProduct, on_delete=models.PROTECT)
    route = models.CharField(max_length=20, choices=Route.choices)
    dose_per_kg = models.FloatField()
    day_of_stay = models.PositiveSmallIntegerField()
    # The time of day the dose is given at, in the clinic's working window (dosing rules).
    planned_time = models.TimeField(default=dosing.DEFAULT_DOSE_TIME)

    history = HistoricalRecords()

    class Meta:
        ordering = ["day_of_stay", "planned_time", "pk"]

    def __str__(self):
        dose = self.product.dose_per_kg(self.dose_per_kg)
        return f"{self.product} {self.get_route_display()} {dose}"

    @property
    def total_amount(self) -> float:
        return self.dose_per_kg * self.plan.weight_kg

    @property
    def planned_date(self) -> dt.date:
        return self.plan.planned_date(self.day_of_stay)


class PlannedTherapy(models.Model):
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="therapies")
    therapy = models.ForeignKey(Therapy, on_delete=models.PROTECT)
    sessions = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    def __str__(self):
        return f"{self.therapy} x{self.sessions}"


class PlannedHomeCare(models.Model):
    """One item of the care the patient takes at home after the stay (DOMAIN.md 3 and 6).

    A catalog product at a dose per kg (checked against its limits like a dose at the
    clinic), or medication guidance named in words; every `every_days` days for `weeks`
    weeks from the discharge day. On discharge each becomes dated doses (homecare app).
    """

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="home_care")
    product = models.ForeignKey(CellProduct, null=True, blank=True, on_delete=models.PROTECT)
    medication = models.CharField(
        max_length=160, blank=True, help_text="Without a product: the medication, in words"
    )
    route = models.CharField(max_length=20, choices=Route.choices)
    dose_per_kg = models.FloatField(null=True, blank=True)
    every_days = models.PositiveSmallIntegerField()
    weeks = models.PositiveSmallIntegerField()
    longer_reason = models.TextField(
        blank=True, help_text="Why home care lasts longer than five weeks"
    )
    instructions = models.TextField(help_text="For the patient, in plain words")

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.what}, {self.get_route_display().lower()}, every {self.every_days} days"

    @property
    def what(self) -> str:
        return self.product.name if self.product_id else self.medication

    @property
    def total_amount(self) -> float | None:
        """One dose at the plan's weight, in the product's unit."""
        return None if self.dose_per_kg is None else self.dose_per_kg * self.plan.weight_kg

    @property
    def dose_count(self) -> int:
        return home_care.dose_count(self.every_days, self.weeks)

    def to_domain(self) -> home_care.HomeCareItem:
        return home_care.HomeCareItem(
            what=self.what,
            route=self.route,
            every_days=self.every_days,
            weeks=self.weeks,
            instructions=self.instructions,
            product_code=self.product.code if self.product_id else None,
            dose_per_kg=self.dose_per_kg,
        )


class QuoteLine(models.Model):
    """One line of the all-inclusive quote, priced when the plan was made and kept as given."""

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="quote_lines")
    description = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.description}: {self.amount}"


class PlanSignature(models.Model):
    """A doctor's signature of a plan version (the first, or an amendment), given with the
    password typed again; the `Signature` beside it binds it to the version's content."""

    plan = models.OneToOneField(TreatmentPlan, on_delete=models.PROTECT, related_name="signature")
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)
    meaning = models.CharField(
        max_length=200, default="I have reviewed this plan version and take responsibility for it."
    )

    history = HistoricalRecords()

    def __str__(self):
        return f"Signed by {self.doctor} on {self.signed_at:%Y-%m-%d %H:%M}"


class QuoteAcceptance(models.Model):
    """The patient's acceptance of one plan version's quote, bound to its lines by a hash."""

    class Channel(models.TextChoices):
        SIGNED_FORM = "signed_form", "Signed form"
        EMAIL = "email", "E-mail"
        PORTAL = "portal", "Patient portal"

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="acceptances")
    accepted_by_name = models.CharField(max_length=200)
    accepted_at = models.DateTimeField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    quote_total = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    quote_hash = models.CharField(max_length=64)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-accepted_at", "-pk"]

    def __str__(self):
        return (
            f"Accepted by {self.accepted_by_name} on {self.accepted_at:%Y-%m-%d} "
            f"({self.get_channel_display()}): {money(self.quote_total, self.currency)}"
        )
