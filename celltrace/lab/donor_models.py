"""Allogeneic donors, their communicable disease tests and eligibility (21 CFR 1271.45-85),
and lot recalls. Imported by lab.models; kept apart so the lot's file stays small.

A donor record holds what the determination needs and no more: a site-local code, the
recovery date, sex and age. No name, birth date or address: the donor's identity stays in
the collecting facility's own records.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from celltrace.accounts.models import Site
from celltrace.catalog.models import DonorTest
from celltrace.clinical import donor_eligibility


class Donor(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        UNKNOWN = "unknown", "Not recorded"

    class Determination(models.TextChoices):
        PENDING = donor_eligibility.PENDING, "Pending"
        ELIGIBLE = donor_eligibility.ELIGIBLE, "Eligible"
        INELIGIBLE = donor_eligibility.INELIGIBLE, "Ineligible"

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="donors")
    code = models.CharField(max_length=40, help_text="The donor's code at the collecting site")
    recovered_on = models.DateField(help_text="Date of collection or recovery of the tissue")
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    age_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Age at collection"
    )
    # The determination in force, set only by the determine_donor action; each decision is
    # kept as a DonorDetermination and in the history.
    determination = models.CharField(
        max_length=12, choices=Determination.choices, default=Determination.PENDING
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-recovered_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="one_donor_code_per_site")
        ]

    def __str__(self):
        return f"Donor {self.code}"

    def get_absolute_url(self):
        return reverse("lab:donor_detail", args=[self.pk])


class DonorTestResult(models.Model):
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="test_results")
    test = models.ForeignKey(DonorTest, on_delete=models.PROTECT, related_name="+")
    reactive = models.BooleanField()
    specimen_date = models.DateField()
    laboratory = models.CharField(max_length=120, help_text="The testing laboratory")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["specimen_date", "pk"]

    def __str__(self):
        verdict = "reactive" if self.reactive else "non-reactive"
        return f"{self.test} of donor {self.donor.code}: {verdict}"

    def to_domain(self) -> donor_eligibility.TestResult:
        return donor_eligibility.TestResult(self.test.code, self.reactive, self.specimen_date)


class DonorDetermination(models.Model):
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="determinations")
    decision = models.CharField(
        max_length=12,
        choices=[
            (donor_eligibility.ELIGIBLE, "Eligible"),
            (donor_eligibility.INELIGIBLE, "Ineligible"),
        ],
    )
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self):
        return f"Donor {self.donor.code}: {self.decision}"


class LotRecall(models.Model):
    """A released lot called back: no remaining dose is given, its recipients are followed."""

    lot = models.OneToOneField("lab.ProductLot", on_delete=models.PROTECT, related_name="recall")
    reason = models.TextField()
    previous_status = models.CharField(max_length=20)
    recalled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recalled_at = models.DateTimeField()

    history = HistoricalRecords()

    def __str__(self):
        return f"Recall of lot {self.lot.code}"
