"""Who answers questionnaires in the portal: the patient, for their own record only."""

from django.http import Http404

from celltrace.accounts.models import Role
from celltrace.patients.models import Patient

ANSWER = frozenset({Role.PATIENT})


def get_own_patient(user) -> Patient:
    """Return the patient record of a portal user, or 404 (an account not linked to one)."""
    patient = Patient.objects.select_related("site", "condition").filter(portal_user=user).first()
    if patient is None:
        raise Http404("No patient record is linked to your account.")
    return patient
