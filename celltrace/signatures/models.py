"""Electronic signatures of any clinical record, and the wrong passwords typed to sign."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from simple_history.models import HistoricalRecords

from celltrace.clinical import signing


class Signature(models.Model):
    """One person's signature of one record, bound to a hash of the record's content."""

    class Meaning(models.TextChoices):
        # 21 CFR 11.50(a)(3): the meaning of the signature is shown with it.
        REVIEW = "review", "Review"
        APPROVAL = "approval", "Approval"
        RELEASE = "release", "Release"
        RESPONSIBILITY = "responsibility", "Responsibility"
        EXCEPTIONAL_RELEASE = "exceptional_release", "Exceptional release"
        RISK_ACCEPTANCE = "risk_acceptance", "Acceptance of the risk"
        DISCHARGE = "discharge", "Discharge"
        RECALL = "recall", "Recall"

    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="signatures"
    )
    # The name as printed at signing: a later change of the account's name leaves it as it was.
    printed_name = models.CharField(max_length=300)
    meaning = models.CharField(max_length=30, choices=Meaning.choices)
    signed_at = models.DateTimeField()
    record_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    record_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("record_type", "record_id")
    record_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the record's canonical content at signing"
    )
    hash_method = models.CharField(max_length=40, default=signing.METHOD)
    # The content as signed: what the printout certifies, and what a change is compared with.
    content = models.JSONField(help_text="The record's canonical content at signing")

    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_at", "pk"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self):
        when = f"{self.signed_at:%Y-%m-%d %H:%M} UTC"
        return f"{self.get_meaning_display()} by {self.printed_name} on {when}"


class WrongPassword(models.Model):
    """A signing refused for a wrong password: counted to lock signing, kept as evidence."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    typed_at = models.DateTimeField()
    meaning = models.CharField(max_length=30, choices=Signature.Meaning.choices)

    class Meta:
        ordering = ["-typed_at", "-pk"]
        indexes = [models.Index(fields=["user", "typed_at"])]

    def __str__(self):
        return f"Wrong password of {self.user} at {self.typed_at:%Y-%m-%d %H:%M} UTC"
