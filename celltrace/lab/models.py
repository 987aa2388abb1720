"""Product lots from harvest or donor tissue to QC release, with their chain of identity."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from celltrace.accounts.models import Site
from celltrace.catalog.models import CellProduct, ProcessStepKind, QCSpecification
from celltrace.clinical import numbers
from celltrace.patients.models import Patient
from celltrace.plans.models import TreatmentPlan


class ProductLot(models.Model):
    class Status(models.TextChoices):
        IN_PROCESS = "in_process", "In process"
        RELEASED = "released", "Released"
        REJECTED = "rejected", "Rejected"

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="lots")
    code = models.CharField(max_length=30, unique=True, help_text="The ID on the lot's label")
    product = models.ForeignKey(CellProduct, on_delete=models.PROTECT)
    plan = models.ForeignKey(
        TreatmentPlan,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lots",
        help_text="The plan this lot is made or allocated for; empty for donor stock",
    )
    source_patient = models.ForeignKey(
        Patient,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="harvested_lots",
        help_text="Autologous lots: the patient the cells were harvested from",
    )
    donor_code = models.CharField(max_length=40, blank=True, help_text="Allogeneic lots")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROCESS)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    # Recorded at formulation, when the final bag or syringe is filled: the bedside gate
    # compares the content with the dose for the patient's weight. A count of cells alone
    # would overstate it by the dead cells, so the lab records viable content directly.
    viable_content = models.FloatField(
        null=True,
        blank=True,
        help_text="What the lot holds in the product's dose unit (viable cells, particles, "
        "µg protein), recorded at formulation",
    )
    volume_ml = models.FloatField(
        null=True, blank=True, help_text="Volume of the bag or syringe, recorded at formulation"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-made_at", "-pk"]

    def __str__(self):
        return f"Lot {self.code} ({self.product})"

    def get_absolute_url(self):
        return reverse("lab:lot_detail", args=[self.pk])

    @property
    def content_label(self) -> str:
        """The lot's viable content in the product's unit, or a dash when not recorded."""
        if self.viable_content is None:
            return "—"
        return numbers.amount(self.viable_content, self.product.dose_unit)

    @property
    def order_cancelled(self) -> bool:
        """The plan this lot was made for was cancelled, or amended without its product."""
        return self.plan_id is not None and not self.plan.in_force


class ProcessStep(models.Model):
    # The steps come from the product's process in the catalog (ProcessStepDefinition).
    Step = ProcessStepKind

    lot = models.ForeignKey(ProductLot, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=20, choices=Step.choices)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    performed_at = models.DateTimeField()
    notes = models.TextField(blank=True)
    passage = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Cultivation: the passage this step records (1, 2, ...)"
    )
    equipment = models.CharField(
        max_length=60, blank=True, help_text="The ID of the centrifuge, incubator, hood used"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["performed_at", "pk"]

    def __str__(self):
        return f"{self.get_step_display()} of {self.lot.code}"

    @property
    def title(self) -> str:
        label = self.get_step_display()
        return f"{label}, passage {self.passage}" if self.passage else label


class StepReagent(models.Model):
    """A reagent lot used in a process step: a recall of that reagent lot finds the step."""

    step = models.ForeignKey(ProcessStep, on_delete=models.CASCADE, related_name="reagents")
    name = models.CharField(max_length=120)
    lot_number = models.CharField(max_length=60)
    expires_on = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.name} lot {self.lot_number} (expires {self.expires_on})"


class QCResult(models.Model):
    lot = models.ForeignKey(ProductLot, on_delete=models.CASCADE, related_name="qc_results")
    specification = models.ForeignKey(QCSpecification, on_delete=models.PROTECT)
    value = models.FloatField(null=True, blank=True, help_text="Measured value, for numeric tests")
    passed = models.BooleanField(help_text="Whether the result meets the specification")
    tested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    tested_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["tested_at", "pk"]

    def __str__(self):
        verdict = "pass" if self.passed else "FAIL"
        return f"{self.specification.get_test_display()} of {self.lot.code}: {verdict}"
