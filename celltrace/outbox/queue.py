"""Writing messages: `notify` queues one in the clinical action's own transaction.

The row is written with the action's other rows, so the message exists exactly when the
event does (a refused action writes none), and the worker is asked to send it only once the
transaction has committed: no request ever waits on a mail server (docs/messages.md).
`notify` is no action of its own: the clinical action that calls it checked who may act.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from celltrace.accounts.models import Site
from celltrace.audit import save_by
from celltrace.outbox.kinds import OPTIONAL
from celltrace.outbox.models import Message
from celltrace.outbox.sending import send_message
from celltrace.outbox.writing import write
from celltrace.patients.models import Patient


@dataclass(frozen=True)
class Recipient:
    """Who a message goes to: an address, its language, the site it concerns, and who it is."""

    email: str
    language: str
    site_id: int
    who: str  # part of the message's key: the same event never writes the same person twice
    name: str
    patient: Patient | None = None
    user: object = None
    declines_reminders: bool = False

    @classmethod
    def patient_of(cls, patient: Patient) -> Recipient:
        return cls(
            email=patient.email,
            language=patient.preferred_language,  # coded, never the interpreter's free text
            site_id=patient.site_id,
            who=f"patient-{patient.pk}",
            name=patient.full_name,
            patient=patient,
            declines_reminders=patient.declines_reminders,
        )

    @classmethod
    def staff(cls, user, *, site_id: int) -> Recipient:
        return cls(
            email=user.email,
            language=user.language,
            site_id=site_id,
            who=f"user-{user.pk}",
            name=str(user),
            user=user,
        )

    @classmethod
    def address(cls, email: str, *, name: str, language: str, site_id: int) -> Recipient:
        """Someone who is not yet a patient: the person who sent a consultation request."""
        return cls(email=email, language=language, site_id=site_id, who=email, name=name)


def notify(kind: str, to: Recipient, *, about, context: dict) -> Message:
    """Queue one message of `kind` about the record `about`; return it (or the one queued before).

    Call it inside the action's transaction. A reminder to a patient who declines them, or a
    message to someone without an address, is logged as withheld, never sent.
    """
    about_type = about._meta.label_lower
    key = f"{kind}:{about_type}:{about.pk}:{to.who}"
    if earlier := Message.objects.filter(key=key).first():
        return earlier
    site = Site.objects.only("name").get(pk=to.site_id)
    written = write(kind, to.language, {"name": to.name, "site_name": site.name, **context})
    message = Message(
        site_id=to.site_id,
        kind=kind,
        language=to.language,
        recipient=to.email,
        patient=to.patient,
        user=to.user,
        about_type=about_type,
        about_id=about.pk,
        key=key,
        subject=written.subject,
        body=written.body,
    )
    if withheld := _withheld_because(kind, to):
        message.status, message.error = Message.Status.WITHHELD, withheld
    try:
        with transaction.atomic():  # a sweep running at the same moment wrote it first
            save_by(message, None)
    except IntegrityError:
        return Message.objects.get(key=key)
    if message.status == Message.Status.QUEUED:
        transaction.on_commit(lambda: send_message.enqueue(message.pk))
    return message


def _withheld_because(kind: str, to: Recipient) -> str:
    if not to.email:
        return "No e-mail address on record."
    if kind in OPTIONAL and to.declines_reminders:
        return "The patient declines reminders by e-mail."
    return ""
