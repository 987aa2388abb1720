"""Who works on consultation requests, and which a user may open: one source for screens and API."""

from celltrace.accounts.access import get_for_user, scope_to_site
from celltrace.accounts.models import Role
from celltrace.intake.models import Consultation, ConsultationRequest

# See the queue and a request's page.
QUEUE_ROLES = frozenset({Role.ADVISOR, Role.MANAGER, Role.ADMIN})
# Take a new request into one's own work.
CLAIM_ROLES = frozenset({Role.ADVISOR})
# Note, attach a report, convert, close: the claiming advisor, or a manager or administrator.
ACT_ROLES = frozenset({Role.ADVISOR, Role.MANAGER, Role.ADMIN})
# Download the medical reports a request came with.
ATTACHMENT_ROLES = frozenset({Role.ADVISOR, Role.DOCTOR, Role.MANAGER, Role.ADMIN})
# Managers and administrators may act on a request another advisor has claimed.
OVERSEER_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


def requests_for_user(user):
    """Return the consultation requests of the user's site."""
    return scope_to_site(ConsultationRequest.objects.all(), user)


def get_request_for_user(user, pk) -> ConsultationRequest:
    """Return one consultation request of the user's site, or 404."""
    requests = ConsultationRequest.objects.select_related("condition", "advisor", "site", "patient")
    return get_for_user(requests, user, pk, site_field="site")


def get_consultation_for_user(user, pk) -> Consultation:
    """Return one advisor's consultation of a request at the user's site, or 404."""
    rows = Consultation.objects.select_related("request__site", "request__patient", "advisor")
    return get_for_user(rows, user, pk, site_field="request__site")
