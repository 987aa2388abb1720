"""Product lots from harvest or donor tissue to QC release, with their chain of identity."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from celltrace.accounts.models import Site
from celltrace.catalog.models import CellProduct, QCSpecification
from celltrace.clinical import isbt128, numbers
from celltrace.patients.models import Patient
from celltrace.plans.models import TreatmentPlan


class ChainOfIdentity(models.Model):
    """One patient's therapy event (ICCBBA ST-028): every collection and product of it.

    An event is a treatment plan with all its amended versions: `plan` is the first version.
    """

    identifier = models.CharField(
        max_length=15,
        unique=True,
        help_text="CH, the issuing site's FIN, the year and a 6-character sequence",
    )
    plan = models.OneToOneField(
        TreatmentPlan,
        on_delete=models.PROTECT,
        related_name="chain_of_identity",
        help_text="The first version of the plan: the event's versions all share it",
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="chains")
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="chains")
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "Chain of Identity"
        verbose_name_plural = "Chains of Identity"
        ordering = ["-allocated_at", "-pk"]

    def __str__(self):
        return self.with_check

    @property
    def check_character(self) -> str:
        return isbt128.check_character(self.identifier)

    @property
    def with_check(self) -> str:
        """As printed and typed: the identifier, then its check character K apart."""
        return f"{self.identifier} {self.check_character}"


class ProductLot(models.Model):
    class Status(models.TextChoices):
        IN_PROCESS = "in_process", "In process"
        RELEASED = "released", "Released"
        REJECTED = "rejected", "Rejected"

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="lots")
    code = models.CharField(max_length=30, unique=True, help_text="The lab's own lot number")
    din = models.CharField(
        "DIN",
        max_length=13,
        null=True,
        blank=True,
        help_text="ISBT 128 Donation Identification Number: the site's FIN, the year and a "
        "sequence; printed on the label with its check character",
    )
    division = models.CharField(
        max_length=2,
        default=isbt128.NOT_DIVIDED,
        help_text="ISBT 128 division: 00 for a product not split, A0, B0, ... for its parts",
    )
    divided_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text="For a division (A0, B0, ...): the lot it was split from",
    )
    divided_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the lot was split into divisions: from then on only its parts are used",
    )
    product = models.ForeignKey(CellProduct, on_delete=models.PROTECT)
    chain = models.ForeignKey(
        ChainOfIdentity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lots",
        verbose_name="Chain of Identity",
        help_text="The patient's therapy event; empty for donor stock not yet allocated",
    )
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
        constraints = [
            models.UniqueConstraint(fields=["din", "division"], name="one_lot_per_din_division")
        ]

    def __str__(self):
        return f"Lot {self.code} ({self.product})"

    def get_absolute_url(self):
        return reverse("lab:lot_detail", args=[self.pk])

    @property
    def din_with_check(self) -> str:
        """The DIN as people read and type it, with its check character; empty without one."""
        return isbt128.Din(self.din).eye_readable() if self.din else ""

    @property
    def chain_with_check(self) -> str:
        """The Chain of Identity identifier with its check character; empty without one."""
        return self.chain.with_check if self.chain_id else ""

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
    class Step(models.TextChoices):
        HARVEST = "harvest", "Harvest"
        DONOR_TISSUE = "donor_tissue", "Donor tissue received"
        SEPARATION = "separation", "Separation (centrifuge)"
        CULTIVATION = "cultivation", "Cultivation"
        ACTIVATION = "activation", "Activation"
        FORMULATION = "formulation", "Formulation"
        CRYOSTORAGE = "cryostorage", "Cryostorage"
        DIVISION = "division", "Division (split into parts)"

    lot = models.ForeignKey(ProductLot, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=20, choices=Step.choices)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    performed_at = models.DateTimeField()
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["performed_at", "pk"]

    def __str__(self):
        return f"{self.get_step_display()} of {self.lot.code}"


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
