"""Product lots from harvest or donor tissue to QC release, with their chain of identity."""

from django.conf import settings
from django.db import models
from django.db.models import TextChoices
from django.urls import reverse
from simple_history.models import HistoricalRecords

from celltrace.accounts.models import Site
from celltrace.catalog.models import CellProduct, ProcessStepKind, QCSpecification
from celltrace.clinical import donor_eligibility, isbt128, numbers, qc
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
        RECALLED = "recalled", "Recalled"

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
    donor = models.ForeignKey(
        "Donor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lots",
        help_text="Allogeneic lots: the donor whose eligibility releases them",
    )
    # The donor's code, kept on the lot: holds match lots of the same donor across sites.
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
    # Released while a sterility culture (Ph. Eur. 2.6.27) still runs: shown everywhere until
    # every such result passed.
    sterility_pending = models.BooleanField(default=False)
    # A failed result after release (a positive culture): no further administration.
    blocked_at = models.DateTimeField(null=True, blank=True)
    blocked_reason = models.TextField(blank=True)
    exceptional = models.BooleanField(
        default=False, help_text="Released by the medical director although a test failed"
    )
    # Recorded by the cryostore's thaw: a thawed lot is never frozen again.
    thawed_at = models.DateTimeField(null=True, blank=True)
    thawed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-made_at", "-pk"]
        # The lot list: a site's lots newest first, all or of one status.
        indexes = [
            models.Index(fields=["site", "-made_at"], name="lot_site_made"),
            models.Index(fields=["site", "status", "-made_at"], name="lot_site_status_made"),
        ]
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
    def donor_state(self) -> str:
        """ "" (free to use), "quarantine" (donor not determined) or "segregated" (ineligible)."""
        return donor_eligibility.lot_state(
            autologous=self.product.source == "autologous",
            has_donor=self.donor_id is not None,
            determination=self.donor.determination if self.donor_id else "",
        )

    @property
    def donor_state_label(self) -> str:
        return {
            "quarantine": donor_eligibility.QUARANTINE_LABEL,
            "segregated": donor_eligibility.SEGREGATED_LABEL,
        }.get(self.donor_state, "")

    @property
    def release_label(self) -> str:
        """What the release means for the patient: pending sterility, exceptional, blocked."""
        if self.status != self.Status.RELEASED:
            return ""
        labels = []
        if self.exceptional:
            labels.append("exceptional release")
        if self.sterility_pending:
            labels.append("released pending sterility")
        if self.blocked_at:
            labels.append("blocked after release")
        return ", ".join(labels)

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
    # The limit the value was judged against where it is not the specification's own (an
    # endotoxin limit computed for the lot's patient), and how it was found.
    limit = models.FloatField(null=True, blank=True)
    limit_basis = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["tested_at", "pk"]

    def __str__(self):
        verdict = "pass" if self.passed else "FAIL"
        return f"{self.specification.get_test_display()} of {self.lot.code}: {verdict}"

    def to_domain(self) -> qc.Result:
        """The result with what its investigations concluded (reads `.investigations.all()`)."""
        investigations = list(self.investigations.all())
        closed = [i for i in investigations if i.closed_at is not None]
        return qc.Result(
            self.specification.test,
            self.passed,
            self.tested_at,
            invalidated=any(i.conclusion == Investigation.Conclusion.LAB_ERROR for i in closed),
            under_investigation=any(i.closed_at is None for i in investigations),
            confirmed=any(i.conclusion == Investigation.Conclusion.CONFIRMED for i in closed),
        )

    @property
    def invalidated(self) -> bool:
        return self.to_domain().invalidated


class Investigation(models.Model):
    """An out-of-specification investigation: only it allows a retest of a failed test.

    A failed result stays on record in every state; a closed investigation either finds an
    assignable laboratory error (the result is invalidated and a retest decides) or confirms
    the failure (the lot is out of specification).
    """

    class Conclusion(TextChoices):
        LAB_ERROR = "lab_error", "Assignable laboratory error: the result is invalidated"
        CONFIRMED = "confirmed", "Confirmed: the lot is out of specification"

    lot = models.ForeignKey(ProductLot, on_delete=models.PROTECT, related_name="investigations")
    results = models.ManyToManyField(QCResult, related_name="investigations")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    description = models.TextField()
    conclusion = models.CharField(max_length=20, choices=Conclusion.choices, blank=True)
    findings = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    # The results are linked once, when it is opened, and never changed (lab/actions.py).
    history = HistoricalRecords()

    class Meta:
        ordering = ["opened_at", "pk"]

    def __str__(self):
        return f"Investigation #{self.pk} of {self.lot.code}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ExceptionalRelease(models.Model):
    """The release of a lot that failed QC (FACT D11.1.2; EU GMP Part IV 11.5).

    The treating physician accepts the risk first; the site's medical director then releases
    it with a justification. Both records stay with the lot in every state.
    """

    lot = models.ForeignKey(
        ProductLot, on_delete=models.PROTECT, related_name="exceptional_releases"
    )
    failed_results = models.ManyToManyField(QCResult, related_name="+")
    failed_tests = models.TextField(help_text="What failed when the physician accepted the risk")
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField()
    acceptance_statement = models.TextField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    justification = models.TextField(blank=True)

    # Linked once with the physician's acceptance and never changed; `failed_tests` keeps
    # the same in words.
    history = HistoricalRecords()

    class Meta:
        ordering = ["accepted_at", "pk"]

    def __str__(self):
        return f"Exceptional release of {self.lot.code}"


class LotAlert(models.Model):
    """A failed result after release (a positive culture), for one patient's doctor."""

    lot = models.ForeignKey(ProductLot, on_delete=models.PROTECT, related_name="alerts")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="lot_alerts")
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lot_alerts"
    )
    reason = models.TextField()
    created_at = models.DateTimeField()
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return f"Alert on {self.lot.code} for {self.patient}"


class LabelPrint(models.Model):
    """One printing of a lot's labels; every print after the first of its kind is a reprint."""

    class Kind(models.TextChoices):
        CONTAINER = "container", "Container label"
        PARTIAL = "partial", "Partial label (small container)"

    lot = models.ForeignKey(ProductLot, on_delete=models.PROTECT, related_name="label_prints")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    copies = models.PositiveSmallIntegerField()
    reprint = models.PositiveIntegerField(
        help_text="0 for the first print of this kind, then 1, 2, ... for each reprint"
    )
    reason = models.TextField(blank=True, help_text="Why a reprint was needed")
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    printed_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["printed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lot", "kind", "reprint"], name="one_label_print_per_number"
            )
        ]

    def __str__(self):
        what = "original" if self.reprint == 0 else f"reprint {self.reprint}"
        return f"{self.get_kind_display()} of {self.lot.code}, {what}"

    @property
    def is_reprint(self) -> bool:
        return self.reprint > 0


from celltrace.lab.donor_models import (  # noqa: E402 (the donor records, their own file)
    Donor,
    DonorDetermination,
    DonorTestResult,
    LotRecall,
)

__all__ = [
    "Donor",
    "DonorDetermination",
    "DonorTestResult",
    "ExceptionalRelease",
    "Investigation",
    "LabelPrint",
    "LotAlert",
    "LotRecall",
    "ProcessStep",
    "ProductLot",
    "QCResult",
]
