"""Consultation requests still waiting for an advisor's answer."""

from celltrace.intake.access import requests_for_user
from celltrace.intake.models import ConsultationRequest

OPEN = (ConsultationRequest.Status.NEW, ConsultationRequest.Status.CLAIMED)


def requests_waiting(user):
    """The open requests at the user's site, oldest first."""
    return requests_for_user(user).filter(status__in=OPEN).select_related("condition")
