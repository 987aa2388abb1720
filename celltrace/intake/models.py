"""Public consultation requests and the medical advisor's work on them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from celltrace.accounts.models import Language, Site
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
        indexes = [models.Index(fields=["client_address", "created_at"])]

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
