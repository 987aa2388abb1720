"""Public consultation requests and the medical advisor's work on them."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from celltrace.accounts.models import Language, Site, validate_time_zone
from celltrace.catalog.models import Condition
from celltrace.patients.models import Patient


class ConsultationRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        CLAIMED = "claimed", "With an advisor"
        CONVERTED = "converted", "Became a patient"
        CLOSED = "closed", "Closed: not a candidate"

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="requests")
    full_name = models.CharField(max_length=160)
    email = models.EmailField()
    phone = models.CharField(max_length=40)
    country = models.CharField(max_length=60)
    language = models.CharField(max_length=40)
    # The language the person read the form in: the patient's coded language later.
    preferred_language = models.CharField(
        max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    condition = models.ForeignKey(Condition, on_delete=models.PROTECT)
    description = models.TextField()
    consent_health_data = models.BooleanField()
    client_address = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.TextField(blank=True)
    patient = models.OneToOneField(
        Patient, null=True, blank=True, on_delete=models.PROTECT, related_name="request"
    )
    synthetic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["client_address", "created_at"]),
            # The advisors' queue: a site's requests of a status, oldest first.
            models.Index(fields=["site", "status", "created_at"], name="request_site_status_at"),
        ]

    def __str__(self):
        return f"Request #{self.pk} from {self.full_name}"

    def get_absolute_url(self):
        return reverse("intake:request_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """The reference given to the person who asked, to quote when they write again."""
        return f"CR-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NEW, self.Status.CLAIMED)


class Attachment(models.Model):
    """A medical report or image, kept only after its content proved to be PDF, JPEG or PNG."""

    request = models.ForeignKey(
        ConsultationRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to="requests/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self):
        return self.original_name


class ContactNote(models.Model):
    request = models.ForeignKey(ConsultationRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"Note by {self.author} on {self.created_at:%Y-%m-%d}"


class Consultation(models.Model):
    """The advisor's video or phone call with the person who asked, and its three answers.

    DOMAIN section 1: could the therapy help, what does it involve, what does it cost. The
    answers and the estimate are recorded once the call has begun, and sent to the person.
    """

    class Mode(models.TextChoices):
        VIDEO = "video", _("Video call")
        PHONE = "phone", _("Phone call")

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "Did not attend"

    class CouldHelp(models.TextChoices):
        YES = "yes", _("Yes")
        POSSIBLY = "possibly", _("Possibly")
        NO = "no", _("No")

    request = models.ForeignKey(
        ConsultationRequest, on_delete=models.PROTECT, related_name="consultations"
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations"
    )
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(default=30)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    # The link as sent: a later change of the provider's template leaves it as it was.
    join_url = models.URLField(max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True, help_text="The number the advisor calls")
    time_zone = models.CharField(
        max_length=64,
        validators=[validate_time_zone],
        help_text="The person's time zone: the e-mail gives the time in it.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    could_help = models.CharField(max_length=10, choices=CouldHelp.choices, blank=True)
    could_help_reason = models.TextField(blank=True)
    involves = models.TextField(blank=True)
    stay_days_min = models.PositiveSmallIntegerField(null=True, blank=True)
    stay_days_max = models.PositiveSmallIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    estimate_low = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    estimate_high = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["advisor", "starts_at"])]

    def __str__(self):
        return f"{self.get_mode_display()} for {self.request.reference}"

    def get_absolute_url(self):
        return reverse("intake:consultation", args=[self.pk])

    @property
    def ends_at(self):
        return self.starts_at + dt.timedelta(minutes=self.minutes)

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None


class EstimateLine(models.Model):
    """One line of the advisor's estimate, priced from the catalog when it was recorded."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="estimate_lines"
    )
    position = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=200)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    quantity_low = models.PositiveIntegerField()
    quantity_high = models.PositiveIntegerField()
    amount_low = models.DecimalField(max_digits=12, decimal_places=2)
    amount_high = models.DecimalField(max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["consultation", "position"]

    def __str__(self):
        return self.description
