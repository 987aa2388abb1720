"""Sending queued messages: the worker's task, and the sweep that resends what a crash left.

Delivery is at least once. A message is claimed (status "sending", one more attempt) in its
own transaction, handed to the mail server, then marked sent. If the worker dies in
between, the claim outlives it: after CLAIM_EXPIRES the sweep queues the message again. So
no message is lost; the price is that a crash after the mail server accepted it and before
"sent" was saved sends it twice. Both copies carry the same Message-ID, by which mail
servers and clients recognise a duplicate. Exactly once would need the mail server to take
part in the database's transaction, which SMTP cannot.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from celltrace.audit import save_by
from celltrace.outbox.models import Message

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY_AFTER = dt.timedelta(minutes=5)  # a failed attempt is tried again after this
CLAIM_EXPIRES = dt.timedelta(minutes=10)  # a "sending" this old was left by a stopped worker
QUEUED_GRACE = dt.timedelta(minutes=1)  # a new message's own task normally runs within this


@task()
def send_message(message_id: int) -> str:
    """Send one queued message (the worker runs this); return its status after the attempt."""
    return deliver(message_id)


def deliver(message_id: int) -> str:
    """Claim, send and mark one message; a message not queued (sent, taken) is left alone."""
    message = _claim(message_id)
    if message is None:
        return "not queued"
    try:
        _email(message).send()
    except Exception as error:  # any failure of the mail server or the network is logged
        message.status = (
            Message.Status.FAILED if message.attempts >= MAX_ATTEMPTS else Message.Status.QUEUED
        )
        message.error = f"{type(error).__name__}: {error}"[:2000]
        save_by(message, None)
        logger.warning("Message %s, attempt %s: %s", message.pk, message.attempts, message.error)
        return message.status
    message.status, message.sent_at, message.error = Message.Status.SENT, timezone.now(), ""
    save_by(message, None)
    return message.status


@transaction.atomic
def _claim(message_id: int) -> Message | None:
    """Take the message for this attempt, so two workers never send it at once."""
    message = Message.objects.select_for_update().filter(pk=message_id).first()
    if message is None or message.status != Message.Status.QUEUED:
        return None
    message.status = Message.Status.SENDING
    message.attempts += 1
    message.attempted_at = timezone.now()
    return save_by(message, None)


def _email(message: Message) -> EmailMessage:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "celltrace"
    return EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.recipient],
        # The same on every attempt: a message sent twice after a crash is one to its reader.
        headers={"Message-ID": f"<celltrace.message.{message.pk}@{domain}>"},
    )


def resend_unsent(*, now: dt.datetime | None = None) -> int:
    """Queue again what a stopped worker left and what failed before; return how many.

    Run by `celltrace worker` as it starts and every minute after. Safe to run at any time
    and in several workers: sending claims each message first.
    """
    now = now or timezone.now()
    for message in Message.objects.filter(
        status=Message.Status.SENDING, attempted_at__lt=now - CLAIM_EXPIRES
    ):
        message.status = Message.Status.QUEUED
        message.error = "The worker stopped while sending; queued again."
        save_by(message, None)
    due = Message.objects.filter(status=Message.Status.QUEUED).filter(
        Q(attempted_at__isnull=True, created_at__lt=now - QUEUED_GRACE)
        | Q(attempted_at__lt=now - RETRY_AFTER)
    )
    pks = list(due.values_list("pk", flat=True))
    for pk in pks:
        send_message.enqueue(pk)
    return len(pks)
