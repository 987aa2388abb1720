"""Every message the clinic sends: what, to whom, why, and whether it went."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from celltrace.accounts.models import Language, Site
from celltrace.outbox.kinds import OPTIONAL, Kind


class Message(models.Model):
    """One e-mail, written when its event happened and sent later by the worker.

    The row is saved in the same transaction as the clinical action that caused it, so a
    message exists exactly when its event does; `key` names the event and the recipient,
    so the same event never writes the same person twice.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        WITHHELD = "withheld", "Not sent"

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="messages_sent")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    language = models.CharField(max_length=2, choices=Language.choices)
    recipient = models.EmailField(blank=True, help_text="The address it goes to")
    patient = models.ForeignKey(
        "patients.Patient",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages_received",
    )
    about_type = models.CharField(max_length=60, help_text="The record whose event caused it")
    about_id = models.PositiveBigIntegerField()
    key = models.CharField(max_length=400, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the last attempt failed, or why withheld")
    created_at = models.DateTimeField(auto_now_add=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "attempted_at"]),
            # The outbox page: a site's messages newest first.
            models.Index(fields=["site", "-created_at"], name="message_site_created"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient or 'nobody'}"

    @property
    def is_optional(self) -> bool:
        return self.kind in OPTIONAL
