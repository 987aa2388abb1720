"""The clinic's policy as data: conditions, cell products, dose limits, therapies, fees, QC.

Nothing here is a constant in code: the starting catalog is a fixture
(`celltrace manage loaddata starting_catalog`) and staff edit it in the admin.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from celltrace.clinical import donor_eligibility, dosing, isbt128, numbers, process, qc


class Route(models.TextChoices):
    INTRAVENOUS = "intravenous", "Intravenous infusion"
    INTRATHECAL = "intrathecal", "Intrathecal injection"
    LOCAL = "local", "Local injection"
    # Taken at home after the stay (clinical/home_care.py HOME_ROUTES).
    NASAL = "nasal", "Nasal spray"
    SUBCUTANEOUS = "subcutaneous", "Subcutaneous injection"
    ORAL = "oral", "By mouth"


class DoseUnit(models.TextChoices):
    """What a dose of the product counts, per kg of body weight (LAB.md: never "cells" for
    products that hold none)."""

    VIABLE_CELLS = numbers.VIABLE_CELLS, "viable cells/kg"
    PARTICLES = numbers.PARTICLES, "particles/kg"
    UG_PROTEIN = numbers.UG_PROTEIN, "µg protein/kg"


class Source(models.TextChoices):
    AUTOLOGOUS = "autologous", "Autologous (the patient's own cells)"
    ALLOGENEIC = "allogeneic", "Allogeneic (donor cells)"


class Condition(models.Model):
    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=120)
    icd10 = models.CharField(max_length=20, blank=True)
    accepts_requests = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("outcomes:condition", args=[self.code])


def validate_product_description(value: str) -> None:
    try:
        isbt128.validate_product_description(value)
    except isbt128.InvalidIdentifier as error:
        raise ValidationError(str(error)) from None


class CellProduct(models.Model):
    class Kind(models.TextChoices):
        MSC = "msc", "Mesenchymal stem/stromal cells"
        NEURAL = "neural", "Neural stem cells"
        MACROPHAGE = "macrophage", "Macrophages"
        EXOSOME = "exosome", "Exosomes"
        SECRETOME = "secretome", "Secretome"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=160)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    tissue = models.CharField(max_length=60, help_text="e.g. bone marrow, adipose, umbilical cord")
    shelf_life_days = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    price = models.DecimalField(max_digits=10, decimal_places=2, help_text="Per administration")
    active = models.BooleanField(default=True)
    dose_unit = models.CharField(
        max_length=20,
        choices=DoseUnit.choices,
        help_text="What doses, limits and lot contents of this product count",
    )
    isbt_product_code = models.CharField(
        "ISBT 128 product code",
        max_length=5,
        validators=[validate_product_description],
        help_text="The product description code on the label: a local code (A-D and 4 digits) "
        "unless the facility imports ICCBBA's licensed product code table.",
    )
    # 21 CFR 1271.85(b): donors of viable leukocyte-rich cells are also tested for HTLV-I/II
    # and CMV.
    leukocyte_rich = models.BooleanField(
        default=False,
        help_text="Viable leukocyte-rich cells: the donor needs the HTLV-I/II and CMV tests too",
    )
    post_thaw_hours = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Hours a thawed lot may be used in (never past its original expiry); "
        "empty: the product is not thawed for use",
    )
    storage_temperature = models.CharField(
        max_length=60,
        help_text="Printed on the container label, e.g. 2-8 °C for a fresh product, "
        "≤ -150 °C (LN2 vapour) for a cryopreserved one, -80 °C for exosomes",
    )
    # The lab works to the admission date: a lot must be started this many days before the
    # product's first planned dose (processing, QC and release included).
    process_days = models.PositiveIntegerField(
        default=14,
        validators=[MinValueValidator(1)],
        help_text="Days from harvest or donor tissue to a released lot, QC included",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["isbt_product_code"], name="one_product_per_isbt_code")
        ]

    def __str__(self):
        return self.name

    def process_definition(self) -> list[process.StepDefinition]:
        """The product's manufacturing steps in order, as the lab's rules read them.

        Reads through `.all()`, so a list that prefetched `process_steps` asks nothing more.
        """
        return [d.to_domain() for d in self.process_steps.all()]

    def dose_per_kg(self, value: float) -> str:
        """Write a dose of this product in its unit."""
        return numbers.dose_per_kg(value, self.dose_unit)


class ProcessStepKind(models.TextChoices):
    """The manufacturing steps a product's process is made of (DOMAIN section 4)."""

    HARVEST = "harvest", "Harvest"
    DONOR_TISSUE = "donor_tissue", "Donor tissue received"
    SEPARATION = "separation", "Separation (centrifuge)"
    CULTIVATION = "cultivation", "Cultivation"
    ACTIVATION = "activation", "Activation"
    FORMULATION = "formulation", "Formulation"
    FILL = "fill", "Fill"
    CRYOPRESERVATION = "cryopreservation", "Cryopreservation"
    # Recorded when a formulated lot is split into ISBT 128 divisions; never a planned step.
    DIVISION = "division", "Division (split into parts)"


class ProcessStepDefinition(models.Model):
    """One step of a product's manufacturing process, in its place in the order."""

    product = models.ForeignKey(CellProduct, on_delete=models.CASCADE, related_name="process_steps")
    position = models.PositiveSmallIntegerField()
    step = models.CharField(max_length=20, choices=ProcessStepKind.choices)
    required = models.BooleanField(default=True)
    passages_expected = models.PositiveSmallIntegerField(
        default=0, help_text="Cultivation only: the passages normally made"
    )
    passages_allowed = models.PositiveSmallIntegerField(
        default=0, help_text="Cultivation only: the most passages the product allows"
    )
    typical_hours = models.FloatField(
        default=1, validators=[MinValueValidator(0)], help_text="For cultivation: per passage"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["product", "position"]
        constraints = [
            models.UniqueConstraint(fields=["product", "position"], name="one_step_per_position"),
            models.UniqueConstraint(fields=["product", "step"], name="each_step_once_per_product"),
        ]

    def __str__(self):
        return f"{self.product}: {self.position}. {self.get_step_display()}"

    def to_domain(self) -> process.StepDefinition:
        return process.StepDefinition(
            self.step,
            str(self.get_step_display()),
            required=self.required,
            passages_expected=self.passages_expected,
            passages_allowed=self.passages_allowed,
            typical_hours=self.typical_hours,
        )


class DoseLimit(models.Model):
    """The maximum safe dose of one product by one route: per dose, per day, per course.

    All three are per kg of body weight in the product's dose unit. The starting catalog
    sets the per-day maximum to the single-dose maximum (one full dose a day) and the
    per-course maximum to three times it (a stay of 5 to 9 days gives a product at most
    three times at full dose); see docs/clinical/dosing.md.
    """

    product = models.ForeignKey(CellProduct, on_delete=models.CASCADE, related_name="dose_limits")
    route = models.CharField(max_length=20, choices=Route.choices)
    max_dose_per_kg = models.FloatField(validators=[MinValueValidator(0)])
    max_per_day_per_kg = models.FloatField(
        validators=[MinValueValidator(0)], help_text="What all doses on one day may add up to"
    )
    max_per_course_per_kg = models.FloatField(
        validators=[MinValueValidator(0)], help_text="What all doses of the stay may add up to"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "route"], name="one_limit_per_route")
        ]

    def __str__(self):
        maximum = self.product.dose_per_kg(self.max_dose_per_kg)
        return f"{self.product} {self.get_route_display()}: max {maximum}"

    def to_domain(self) -> dosing.DoseLimit:
        return dosing.DoseLimit(
            self.product.code,
            self.route,
            self.max_dose_per_kg,
            max_per_day_per_kg=self.max_per_day_per_kg,
            max_per_course_per_kg=self.max_per_course_per_kg,
            unit=self.product.dose_unit,
        )


class Therapy(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    category = models.CharField(max_length=60, help_text="e.g. rehabilitation, consultation")
    price_per_session = models.DecimalField(max_digits=10, decimal_places=2)
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "therapies"

    def __str__(self):
        return self.name


class ServiceFee(models.Model):
    """What every stay includes in the quote: room and care, interpreter, transfers, meals."""

    class Unit(models.TextChoices):
        PER_DAY = "per_day", "per day of stay"
        PER_STAY = "per_stay", "per stay"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    price = models.DecimalField(max_digits=10, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class QCSpecification(models.Model):
    """One release test a lot of a product must pass, with its acceptance criterion.

    See docs/clinical/qc-release.md: the ISCT minimal criteria for MSCs are one marker a
    test; sterility names its method (Ph. Eur. 2.6.1 or the rapid 2.6.27); an endotoxin
    limit may be computed for each lot from its patient's route, weight and the lot's volume.
    """

    class Test(models.TextChoices):
        STERILITY_BACTERIAL = "sterility_bacterial", "Sterility (bacterial)"
        STERILITY_FUNGAL = "sterility_fungal", "Sterility (fungal)"
        MYCOPLASMA = "mycoplasma", "Mycoplasma"
        VIRAL = "viral", "Viral contamination"
        PURITY = "purity", "Purity"
        VIABILITY = "viability", "Viability"
        CELL_COUNT = "cell_count", "Cell count"
        IDENTITY_GENETIC = "identity_genetic", "Genetic identity"
        IDENTITY_PHENOTYPE = "identity_phenotype", "Phenotype identity"
        ENDOTOXIN = "endotoxin", "Endotoxin"
        # ISCT minimal criteria for MSCs (Dominici 2006): positive and negative markers.
        CD105 = "cd105", "CD105-positive cells"
        CD73 = "cd73", "CD73-positive cells"
        CD90 = "cd90", "CD90-positive cells"
        CD45 = "cd45", "CD45-positive cells"
        CD34 = "cd34", "CD34-positive cells"
        CD14_CD11B = "cd14_cd11b", "CD14- or CD11b-positive cells"
        CD79A_CD19 = "cd79a_cd19", "CD79a- or CD19-positive cells"
        HLA_DR = "hla_dr", "HLA-DR-positive cells"

    STERILITY_TESTS = frozenset({Test.STERILITY_BACTERIAL, Test.STERILITY_FUNGAL})

    product = models.ForeignKey(CellProduct, on_delete=models.CASCADE, related_name="qc_specs")
    test = models.CharField(max_length=30, choices=Test.choices)
    minimum = models.FloatField(null=True, blank=True)
    maximum = models.FloatField(
        null=True,
        blank=True,
        help_text="For a dose-based endotoxin limit: a fixed ceiling, also used for a lot "
        "with no patient yet (donor stock)",
    )
    unit = models.CharField(
        max_length=30, blank=True, help_text="A unit starting with % is a percentage (0-100)"
    )
    method = models.CharField(
        max_length=120, blank=True, help_text="e.g. Ph. Eur. 2.6.27, Ph. Eur. 2.6.7 (NAT)"
    )
    release_before_result = models.BooleanField(
        default=False,
        help_text="Sterility of short shelf-life products: the lot may be released while the "
        "culture runs (released pending sterility)",
    )
    limit_from_dose = models.BooleanField(
        default=False,
        help_text="Endotoxin: the limit is K/M for the lot's patient (route, weight, volume)",
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "test"], name="one_spec_per_test")
        ]

    def __str__(self):
        return f"{self.product}: {self.get_test_display()}"

    def clean(self):
        errors = {}
        if self.release_before_result and self.test not in self.STERILITY_TESTS:
            errors["release_before_result"] = "Only a sterility result may follow the release."
        if self.limit_from_dose and self.test != self.Test.ENDOTOXIN:
            errors["limit_from_dose"] = "Only the endotoxin limit is computed from the dose."
        domain = self.to_domain()
        for field in ("minimum", "maximum"):
            value = getattr(self, field)
            if value is not None and (problem := qc.implausibility(domain, value)):
                errors[field] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def is_pass_fail(self) -> bool:
        return self.minimum is None and self.maximum is None and not self.limit_from_dose

    def to_domain(self) -> qc.Spec:
        return qc.Spec(
            self.test,
            self.get_test_display(),
            self.minimum,
            self.maximum,
            self.unit,
            method=self.method,
            release_before_result=self.release_before_result,
            limit_from_dose=self.limit_from_dose,
        )


class AdverseEventTerm(models.Model):
    """One coded adverse event term: CTCAE v5.0 with its MedDRA code.

    See docs/clinical/adverse-events.md for the standard, its version and the sources.

    Coding the term lets the clinic count "fever" as one thing across sites and years, and
    lets a report be read by anyone who knows CTCAE. The list is data
    (catalog/adverse_event_terms.json), loaded by a migration; an inactive term is no longer
    offered but stays on the events that used it.
    """

    # The catch-all whose report names the event in its own words (term_detail).
    OTHER = "other"

    code = models.SlugField(max_length=40, unique=True)
    term = models.CharField(max_length=120, help_text="The CTCAE v5.0 term, e.g. Fever")
    meddra_code = models.CharField(
        max_length=8, blank=True, help_text="MedDRA v20.1 LLT code CTCAE v5.0 gives the term"
    )
    soc = models.CharField("System organ class", max_length=120)
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term

    @property
    def is_other(self) -> bool:
        return self.code == self.OTHER


class DonorTest(models.Model):
    """A communicable disease test an allogeneic donor needs (21 CFR 1271.85)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    leukocyte_rich_only = models.BooleanField(
        default=False, help_text="Required only for products of viable leukocyte-rich cells"
    )
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name

    def to_domain(self) -> donor_eligibility.DonorTest:
        return donor_eligibility.DonorTest(self.code, self.name, self.leukocyte_rich_only)
