"""The patient record every stage of the program hangs on."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from celltrace.accounts.models import Language, Site
from celltrace.catalog.models import Condition


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class Patient(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="patients")
    code = models.CharField(
        max_length=20, unique=True, help_text="The ID on the wristband, scanned at the bedside"
    )
    full_name = models.CharField(max_length=160)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    email = models.EmailField()
    phone = models.CharField(max_length=40)
    country = models.CharField(max_length=60)
    # The language as the patient named it: what the interpreter is booked for.
    language = models.CharField(max_length=40)
    # The clinic's language the patient reads: the portal and every e-mail to them.
    preferred_language = models.CharField(
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text="The language of the portal and of the e-mails to the patient",
    )
    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="patients")
    weight_kg = models.FloatField(null=True, blank=True)
    portal_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patient_record",
    )
    # The patient's choice: reminders (admission, home care, check-ups, questionnaires) may be
    # declined; decisions, quotes and answers to their own requests are always sent.
    declines_reminders = models.BooleanField(
        "No reminders by e-mail",
        default=False,
        help_text="Reminders are not e-mailed; decisions and quotes still are",
    )
    synthetic = models.BooleanField(default=False, help_text="Generated demo data, not a person")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["full_name"]
        # The patient list: a site's patients by name.
        indexes = [models.Index(fields=["site", "full_name"], name="patient_site_name")]

    def __str__(self):
        return f"{self.full_name} ({self.code})"

    def get_absolute_url(self):
        return reverse("patient_detail", args=[self.pk])


# The identity and contact fields an erasure replaces, per audited record. Their past values
# stay in the audit history (docs/privacy.md); the patient page's history writes "erased"
# in their place once the patient is erased.
ERASED_FIELDS = {
    "patients.Patient": frozenset({"full_name", "email", "phone", "date_of_birth"}),
    "intake.ConsultationRequest": frozenset({"full_name", "email", "phone", "client_address"}),
    "intake.Consultation": frozenset({"phone"}),
    "followup.Appointment": frozenset({"phone"}),
}


class Erasure(models.Model):
    """A patient's erasure: who decided it, why, and why the clinical record is still kept.

    The identity and contact data of the live records were replaced by pseudonyms
    (`celltrace.privacy.actions.erase_identity`); the clinical record stays, under the legal
    basis and until the date written here (docs/privacy.md).
    """

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="erasure")
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    erased_at = models.DateTimeField()
    reason = models.TextField(help_text="Why the identity was erased: the person's request, ...")
    legal_basis = models.TextField(help_text="Why the clinical record is kept after erasure")
    retain_until = models.DateField(help_text="The clinical record is kept until this date")

    history = HistoricalRecords()

    def __str__(self):
        return f"Erasure of {self.patient.code} on {self.erased_at:%Y-%m-%d}"
