"""The doctors' eligibility decision on a patient, with its reasons."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from celltrace.patients.models import Patient


class Contraindication(models.Model):
    """One question of the screening checklist (DOMAIN section 2); clinic policy, kept as data."""

    class Kind(models.TextChoices):
        EXCLUDES = "excludes", "Excludes treatment"
        EXCLUDES_HARVEST = "excludes_harvest", "Excludes harvesting the patient's own cells"
        CAUTION = "caution", "Caution: needs careful assessment"

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]

    def __str__(self):
        return self.label


class Screening(models.Model):
    class Decision(models.TextChoices):
        ELIGIBLE = "eligible", "Eligible"
        NOT_ELIGIBLE = "not_eligible", "Not eligible"
        NEEDS_REVIEW = "needs_review", "Needs review"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="screenings")
    doctor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    donor_products_only = models.BooleanField(
        default=False, help_text="A contraindication excludes harvesting the patient's own cells"
    )
    reasons = models.TextField()
    decided_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        get_latest_by = ["decided_at", "pk"]

    def __str__(self):
        return f"{self.get_decision_display()} for {self.patient} on {self.decided_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("screening:detail", args=[self.pk])


class ScreeningAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNKNOWN = "unknown", "Not known yet"

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="answers")
    contraindication = models.ForeignKey(Contraindication, on_delete=models.PROTECT)
    answer = models.CharField(max_length=10, choices=Answer.choices)
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "contraindication"], name="one_answer_per_question"
            )
        ]

    def __str__(self):
        return f"{self.contraindication}: {self.answer}"
