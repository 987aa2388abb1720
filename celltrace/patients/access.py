"""Who may open a patient's record: staff of the patient's site, and the patient in the portal."""

from django.http import Http404

from celltrace.accounts.access import scope_to_site
from celltrace.accounts.models import Role
from celltrace.patients.models import Patient


def patients_for_user(user):
    """Return the patients whose records the user may open."""
    if user.role == Role.PATIENT:
        return Patient.objects.filter(portal_user=user)
    return scope_to_site(Patient.objects.all(), user)


def get_patient_for_user(user, patient_id):
    """Return one patient the user may open, or 404 (never reveal other sites' patients)."""
    try:
        return patients_for_user(user).get(pk=patient_id)
    except (ValueError, TypeError, patients_for_user(user).model.DoesNotExist):
        raise Http404("No such patient at your site.") from None
