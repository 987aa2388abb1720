"""Purge what the clinic no longer needs: old closed requests and the form's client addresses.

A request that was closed (not a candidate) and never became a patient is deleted with its
attachments, notes and stored files once `PRIVACY_REQUEST_RETENTION_DAYS` have passed since
it was closed; the address the public form was sent from is cleared from every request
`PRIVACY_ADDRESS_RETENTION_DAYS` after it came (the hourly limit needs it for an hour). Both
go through the audited paths: the deletions and the clearing are history rows themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery

from celltrace.intake.models import ConsultationRequest

REASON = "purged: retention period over"


@dataclass(frozen=True)
class Purged:
    requests: int
    attachments: int
    addresses: int


def expired_requests(now: dt.datetime):
    """Closed requests, never converted, closed longer ago than the retention period."""
    closings = ConsultationRequest.history.model.objects.filter(
        id=OuterRef("pk"), status=ConsultationRequest.Status.CLOSED
    ).order_by("history_date")
    cutoff = now - dt.timedelta(days=settings.PRIVACY_REQUEST_RETENTION_DAYS)
    return (
        ConsultationRequest.objects.filter(
            status=ConsultationRequest.Status.CLOSED, patient__isnull=True
        )
        .annotate(closed_at=Subquery(closings.values("history_date")[:1]))
        .filter(closed_at__lt=cutoff)
    )


@transaction.atomic
def purge_expired(now: dt.datetime) -> Purged:
    """Delete the expired requests, clear the old addresses; say how many of each."""
    requests = attachments = 0
    for request in expired_requests(now).select_for_update():
        attachments += _delete_request(request)
        requests += 1
    cutoff = now - dt.timedelta(days=settings.PRIVACY_ADDRESS_RETENTION_DAYS)
    old = ConsultationRequest.objects.filter(client_address__isnull=False, created_at__lt=cutoff)
    addresses = old.update(client_address=None)  # the audited update writes history rows
    return Purged(requests=requests, attachments=attachments, addresses=addresses)


def _delete_request(request: ConsultationRequest) -> int:
    """Delete the request and what hangs on it; its files go once the deletion commits."""
    attachments = list(request.attachments.all())
    for attachment in attachments:
        stored = attachment.file
        transaction.on_commit(lambda stored=stored: stored.storage.delete(stored.name))
        _delete(attachment)
    for note in request.notes.all():
        _delete(note)
    _delete(request)
    return len(attachments)


def _delete(record) -> None:
    record._change_reason = REASON
    record._history_user = None
    record.delete()
