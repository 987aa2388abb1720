"""Who opens which portal page: the patient their own record, the care team their site's.

A patient account reaches only the record it is linked to (`Patient.portal_user`); another
patient's plan, document, report or message answers 404, never 403, so nothing tells that it
exists. The care team reads and answers the conversations of their own site's patients.
"""

from django.http import Http404

from celltrace.accounts.access import scope_to_site
from celltrace.accounts.models import Role
from celltrace.patients.access import get_patient_for_user, patients_for_user
from celltrace.patients.models import Patient
from celltrace.portal.models import CareTeamMessage, PatientReport

PATIENT = frozenset({Role.PATIENT})
# The people a patient writes to: those who look after them at their site.
CARE_TEAM = frozenset({Role.COORDINATOR, Role.DOCTOR, Role.NURSE, Role.ADVISOR})
# Reports a patient sent are read by the care team, the site's manager and an administrator.
READ_REPORTS = CARE_TEAM | {Role.MANAGER, Role.ADMIN, Role.PATIENT}


def own_record(user) -> Patient:
    """Return the patient record linked to this portal account, or 404."""
    patient = Patient.objects.filter(portal_user=user).select_related("site", "condition").first()
    if patient is None:
        raise Http404("This account is not linked to a patient record yet.")
    return patient


def get_patient_for_team(user, patient_id) -> Patient:
    """Return a patient of the user's site whose conversation they may open, or 404."""
    return get_patient_for_user(user, patient_id)


def conversation(patient: Patient):
    """Return the patient's messages with the care team, oldest first."""
    return CareTeamMessage.objects.filter(patient=patient).select_related("author")


def unanswered_for_team(user):
    """Return the patients' messages the care team of the user's site has not read yet."""
    unread = CareTeamMessage.objects.filter(from_patient=True, read_at__isnull=True)
    return scope_to_site(unread, user, site_field="patient__site").select_related(
        "patient__condition"
    )


def reports_for_user(user):
    """Return the reports of patients the user may open (a patient: their own)."""
    return PatientReport.objects.filter(patient__in=patients_for_user(user))


def get_report_for_user(user, pk) -> PatientReport:
    """Return one report of a patient the user may open, or 404."""
    try:
        return reports_for_user(user).select_related("patient").get(pk=pk)
    except (ValueError, TypeError, PatientReport.DoesNotExist):
        raise Http404("No such report of a patient you may open.") from None
