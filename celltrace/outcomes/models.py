"""Outcome measurements over time, the raw material of the per-condition reports."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from celltrace.catalog.models import Condition
from celltrace.patients.models import Patient
from celltrace.snapshots import Snapshot


def measure_choices() -> list[tuple[str, str]]:
    """The registered instruments' measures (outcomes/instruments/): the choices of a value."""
    from celltrace.outcomes.instruments import measure_choices as registered

    return registered()


class Timepoint(models.TextChoices):
    BASELINE = "baseline", "Baseline"
    STAY = "stay", "During the stay"
    FOLLOW_UP = "follow_up", "Follow-up"


class Source(models.TextChoices):
    """Who entered a value: staff (an exam, a lab value, a transcribed sheet) or the patient."""

    STAFF = "staff", "Recorded by staff"
    PATIENT = "patient", "Answered by the patient in the portal"


class Measurement(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="measurements")
    # A measure code of the instrument registry, e.g. "edss" or "msis29_physical".
    instrument = models.CharField(max_length=30, choices=measure_choices)
    value = models.FloatField()
    category = models.CharField(
        max_length=20, blank=True, help_text="A grade beside the value, e.g. the AIS letter"
    )
    timepoint = models.CharField(max_length=20, choices=Timepoint.choices)
    measured_on = models.DateField()
    details = models.JSONField(default=dict, blank=True, help_text="The exam behind the value")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # A self-report answered in the portal is kept apart from a sheet staff transcribed, so
    # a mode-of-administration effect can be examined later; the report counts both.
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.STAFF)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measured_on", "pk"]
        indexes = [models.Index(fields=["patient", "instrument", "measured_on"])]

    def __str__(self):
        return f"{self.get_instrument_display()} {self.value:g} on {self.measured_on}"


class Relapse(models.Model):
    """The onset of one MS relapse: it types a later worsening as RAW rather than PIRA."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="relapses")
    onset = models.DateField()
    # Examined and confirmed by a doctor, or reported by the patient only; None: recorded
    # before the question was asked.
    confirmed = models.BooleanField("Confirmed by a doctor", null=True)
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["onset", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "onset"], name="one_relapse_onset_a_day")
        ]

    def __str__(self):
        return f"Relapse from {self.onset}"


class MriScan(models.Model):
    """One brain MRI of an MS patient: new or enlarging T2 lesions and Gd-enhancing lesions.

    The counts are the radiologist's, each against the patient's previous scan; a Gd count
    is None when no contrast was given or the count is not known. Any new or enlarging T2
    lesion or Gd-enhancing lesion is MRI activity, which ends NEDA-3.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="mri_scans")
    scanned_on = models.DateField()
    new_t2_lesions = models.PositiveSmallIntegerField("New or enlarging T2 lesions")
    gd_lesions = models.PositiveSmallIntegerField(
        "Gadolinium-enhancing lesions", null=True, blank=True, help_text="Empty: not done"
    )
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scanned_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "scanned_on"], name="one_mri_scan_a_day")
        ]

    def __str__(self):
        gd = "Gd not done" if self.gd_lesions is None else f"{self.gd_lesions} Gd+"
        return f"MRI of {self.scanned_on}: {self.new_t2_lesions} new/enlarging T2, {gd}"

    @property
    def active(self) -> bool:
        """Tell whether the scan shows MRI activity (a new/enlarging T2 or a Gd+ lesion)."""
        return self.new_t2_lesions > 0 or (self.gd_lesions or 0) > 0


class PlanLocked(Exception):
    """A locked analysis plan was about to be changed or deleted."""


class AnalysisPlan(models.Model):
    """One published version of the report's analysis plan, locked: never changed after.

    The sha256 is of the plan's canonical JSON (celltrace.clinical.registry.plan) and is
    printed on every report; it is checked again before each report (locked_plan.py).
    """

    version = models.CharField(max_length=20, unique=True)
    content = models.JSONField()
    sha256 = models.CharField(max_length=64)
    locked_at = models.DateTimeField()
    # Empty for version 1, locked by the migration that ships it.
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["locked_at", "pk"]
        get_latest_by = ["locked_at", "pk"]

    def __str__(self):
        return f"Analysis plan {self.version} ({self.sha256[:12]})"

    def save(self, *args, **kwargs):
        if self.pk is not None and AnalysisPlan.objects.filter(pk=self.pk).exists():
            raise PlanLocked(f"Analysis plan {self.version} is locked: publish a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PlanLocked(f"Analysis plan {self.version} is locked: it cannot be deleted.")


class SummaryLocked(Exception):
    """A published patient summary was about to be changed or deleted."""


class PublishedSummary(models.Model):
    """The patient summary of a condition at a cut-off, as published: never changed after.

    The text and the numbers it quotes are stored as they were written from the report over
    every site, with the plan's version and hash, so the public page shows exactly what was
    published. A later publication of the condition supersedes it; a withdrawal
    (SummaryWithdrawal) takes it off the public page and the portal.
    """

    condition = models.ForeignKey(
        Condition, on_delete=models.PROTECT, related_name="published_summaries"
    )
    cutoff = models.DateField()
    plan_version = models.CharField(max_length=20)
    plan_sha256 = models.CharField(max_length=64)
    title = models.CharField(max_length=300)
    paragraphs = models.JSONField()
    numbers = models.JSONField(help_text="The report's numbers the text quotes (counts only)")
    synthetic = models.BooleanField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = ["published_at", "pk"]

    def __str__(self):
        return f"Patient summary of {self.condition} at {self.cutoff}"

    def save(self, *args, **kwargs):
        if self.pk is not None and PublishedSummary.objects.filter(pk=self.pk).exists():
            raise SummaryLocked("A published summary is never changed: publish a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SummaryLocked("A published summary is never deleted: withdraw it.")


class SummaryWithdrawal(models.Model):
    """Why and when a published patient summary was taken off the public page."""

    summary = models.OneToOneField(
        PublishedSummary, on_delete=models.PROTECT, related_name="withdrawal"
    )
    reason = models.CharField(max_length=500)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField()

    history = HistoricalRecords()

    def __str__(self):
        return f"Withdrawn on {self.withdrawn_at:%Y-%m-%d}: {self.reason}"


class ReportSnapshot(Snapshot):
    """One report computed once, kept and served until the records it reads change.

    The key is the question (condition, cut-off, product, route), the scope (one site, or
    every site when `site` is empty) and the analysis plan's sha256: a user of one site is
    only ever served a snapshot of that site. `data_stamp` says which records it was computed
    from (celltrace.snapshots, the one mechanism; celltrace.outcomes.snapshots, this kind);
    when the records move on, the snapshot is still shown, labelled with its time, while the
    worker computes a new one.
    """

    condition = models.ForeignKey("catalog.Condition", on_delete=models.CASCADE, related_name="+")
    product = models.CharField(max_length=60, blank=True)
    route = models.CharField(max_length=30, blank=True)
    cutoff = models.DateField()
    plan_sha256 = models.CharField(max_length=64)
    report_json = models.TextField(blank=True)  # the JSON file's text, keys in contract order
    csv = models.TextField(blank=True)
    figures = models.JSONField(default=list)  # [{name, title, svg, alt, headers, table}]
    pdf = models.BinaryField(blank=True, default=b"")

    class Meta:
        indexes = [models.Index(fields=["condition", "cutoff"], name="snapshot_condition_cutoff")]

    def __str__(self):
        return f"Report snapshot {self.key} ({self.status})"
