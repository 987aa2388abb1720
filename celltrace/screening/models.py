"""Screening: versioned contraindication rules, dated patient facts, evaluations and sign-offs."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from celltrace.clinical import eligibility
from celltrace.clinical.eligibility.facts import describe
from celltrace.patients.models import Patient

SIGNATURE_MEANING = "I reviewed the evidence and agree with the decision."


class RuleSet(models.Model):
    """One version of the contraindication rules; a published version never changes."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    version = models.PositiveIntegerField(unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    rules = models.JSONField(help_text="The list of rules, as in rulesets/starting.json")
    notes = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-version"]
        get_latest_by = "version"

    def __str__(self):
        return f"Rule set version {self.version} ({self.get_status_display().lower()})"

    def clean(self):
        if self.pk and self.status == self.Status.PUBLISHED:
            stored = RuleSet.objects.filter(pk=self.pk).values("rules", "version").first()
            if stored and (stored["rules"] != self.rules or stored["version"] != self.version):
                raise ValidationError("A published rule set cannot change: make a new version.")
        try:
            self.to_domain()
        except eligibility.RuleSetError as error:
            raise ValidationError({"rules": str(error)}) from None

    def to_domain(self) -> eligibility.RuleSet:
        return eligibility.ruleset_from_dict({"version": self.version, "rules": self.rules})


class PatientFact(models.Model):
    """One dated fact about a patient, with where it came from, as the rules read it."""

    class Kind(models.TextChoices):
        DIAGNOSIS = "diagnosis", "Diagnosis (ICD-10)"
        LAB = "lab", "Laboratory result"
        ANSWER = "answer", "Yes/no question"
        HISTORY_REVIEW = "history_review", "Full history reviewed"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="facts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on = models.DateField(help_text="Sample, onset, answer or review date")
    provenance = models.CharField(
        max_length=200, help_text="The document or the person the fact comes from"
    )
    code = models.CharField(max_length=10, blank=True, help_text="ICD-10 code")
    label = models.CharField(max_length=200, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    analyte = models.CharField(max_length=30, blank=True)
    value = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=30, blank=True)
    question = models.CharField(max_length=40, blank=True)
    yes = models.BooleanField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self):
        return describe(self.to_domain())

    def to_domain(self) -> eligibility.Fact:
        match self.kind:
            case self.Kind.DIAGNOSIS:
                return eligibility.Diagnosis(
                    self.code, self.on, self.provenance, self.label, self.resolved_on
                )
            case self.Kind.LAB:
                return eligibility.LabResult(
                    self.analyte, self.value, self.unit, self.on, self.provenance
                )
            case self.Kind.ANSWER:
                return eligibility.Answer(self.question, bool(self.yes), self.on, self.provenance)
        return eligibility.HistoryReview(self.on, self.provenance)


class PriorTherapy(models.Model):
    """One therapy the patient had for the condition before coming to the clinic, coded.

    `therapy` is a code of prior_therapies.json for the patient's condition; "none" says the
    patient had none (the report counts "no" apart from "not recorded"), "other" needs a name.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="prior_therapies")
    therapy = models.CharField(max_length=40)
    other_name = models.CharField(max_length=120, blank=True)
    started_year = models.PositiveSmallIntegerField(null=True, blank=True)
    stopped_year = models.PositiveSmallIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["started_year", "pk"]

    def __str__(self):
        from celltrace.screening.prior_therapies import coded

        known = coded(self.patient.condition.code, self.therapy)
        name = self.other_name or (known.label if known else self.therapy)
        years = "-".join(str(y) for y in (self.started_year, self.stopped_year) if y)
        return f"{name} ({years})" if years else name


class Screening(models.Model):
    """One run of the rules for a treatment date and product source, with every rule's result.

    A decision becomes final once enough doctors sign it (CELLTRACE_SCREENING_SIGNATURES).
    """

    class Decision(models.TextChoices):
        ELIGIBLE = "eligible", "Eligible"
        ELIGIBLE_WITH_CAUTIONS = "eligible_with_cautions", "Eligible with cautions"
        DONOR_ONLY = "donor_products_only", "Donor products only"
        INCOMPLETE = "incomplete", "Incomplete"
        NOT_ELIGIBLE = "not_eligible", "Not eligible"

    class Purpose(models.TextChoices):
        PLANNING = "planning", "Before planning"
        DAY_ONE = "day_one", "Day one of the stay"

    class Source(models.TextChoices):
        AUTOLOGOUS = "autologous", "Autologous (the patient's own cells)"
        ALLOGENEIC = "allogeneic", "Allogeneic (donor cells)"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="screenings")
    doctor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="run by",
    )
    decision = models.CharField(max_length=30, choices=Decision.choices)
    donor_products_only = models.BooleanField(
        default=False, help_text="A contraindication excludes harvesting the patient's own cells"
    )
    reasons = models.TextField(blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)
    ruleset = models.ForeignKey(
        RuleSet, null=True, blank=True, on_delete=models.PROTECT, related_name="screenings"
    )
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.PLANNING)
    treatment_date = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=12, choices=Source.choices, blank=True)
    results = models.JSONField(default=list, blank=True)
    needed = models.JSONField(default=list, blank=True)
    allowed_sources = models.JSONField(default=list, blank=True)
    # Day one: the stay, the final decision re-checked, and the exclusions and cautions it did
    # not have. A new caution holds administration until the doctors sign (with justifications).
    stay = models.ForeignKey(
        "stays.Stay", null=True, blank=True, on_delete=models.PROTECT, related_name="screenings"
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="rechecks"
    )
    new_exclusions = models.JSONField(default=list, blank=True)
    new_cautions = models.JSONField(default=list, blank=True)
    finalized_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        get_latest_by = ["decided_at", "pk"]

    def __str__(self):
        text = f"{self.get_decision_display()} for {self.patient} on {self.decided_at:%Y-%m-%d}"
        return f"Day-one re-check: {text}" if self.purpose == self.Purpose.DAY_ONE else text

    def get_absolute_url(self):
        return reverse("screening:detail", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.finalized_at is not None

    def to_domain(self) -> eligibility.RecordedDecision:
        """Return the decision as the core reads it (signatures prefetched where many are read)."""
        return eligibility.RecordedDecision(
            decision=eligibility.Decision(self.decision),
            allowed_sources=frozenset(eligibility.Source(s) for s in self.allowed_sources),
            decided_on=timezone.localdate(self.decided_at),
            final=self.is_final,
            signatures=len(self.signatures.all()),
            required_signatures=settings.CELLTRACE_SCREENING_SIGNATURES,
        )

    @property
    def cautions(self) -> list[dict]:
        return [r for r in self.results if r["kind"] == "caution" and r["outcome"] == "met"]

    @property
    def exclusions(self) -> list[dict]:
        return [r for r in self.results if r["kind"] != "caution" and r["outcome"] == "met"]


class ScreeningSignature(models.Model):
    """A doctor's sign-off of a screening decision, given with the password typed again."""

    screening = models.ForeignKey(Screening, on_delete=models.PROTECT, related_name="signatures")
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)
    meaning = models.CharField(max_length=200, default=SIGNATURE_MEANING)
    # One written justification per met caution rule, keyed by the rule's id.
    justifications = models.JSONField(default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["screening", "doctor"], name="one_signature_per_doctor")
        ]

    def __str__(self):
        return f"Signed by {self.doctor} on {self.signed_at:%Y-%m-%d %H:%M}"
