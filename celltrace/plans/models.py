"""Personal treatment plans: products and doses, stay dates, therapies and the quote."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from celltrace.catalog.models import CellProduct, Route, Therapy
from celltrace.clinical import dosing
from celltrace.patients.models import Patient
from celltrace.screening.models import Screening


class TreatmentPlan(models.Model):
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["-admission_date", "-pk"]

    def __str__(self):
        return f"Plan #{self.pk} for {self.patient}, admission {self.admission_date}"

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.pk])

    @property
    def stay_days(self) -> int:
        return dosing.stay_days(self.admission_date, self.discharge_date)

    @property
    def quote_total(self) -> Decimal:
        return sum((line.amount for line in self.quote_lines.all()), Decimal("0"))


class PlannedProduct(models.Model):
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="products")
    product = models.ForeignKey(CellProduct, on_delete=models.PROTECT)
    route = models.CharField(max_length=20, choices=Route.choices)
    dose_cells_per_kg = models.FloatField()
    day_of_stay = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["day_of_stay", "pk"]

    def __str__(self):
        dose = self.product.dose_per_kg(self.dose_cells_per_kg)
        return f"{self.product} {self.get_route_display()} {dose}"

    @property
    def total_cells(self) -> float:
        return self.dose_cells_per_kg * self.plan.weight_kg


class PlannedTherapy(models.Model):
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="therapies")
    therapy = models.ForeignKey(Therapy, on_delete=models.PROTECT)
    sessions = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    def __str__(self):
        return f"{self.therapy} x{self.sessions}"


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
