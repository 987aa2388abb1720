"""Who may make and open treatment plans; one source for the screens and the API."""

from django.http import Http404

from celltrace.accounts.models import Role
from celltrace.patients.access import patients_for_user
from celltrace.plans.models import TreatmentPlan

PLAN_MAKERS = frozenset({Role.DOCTOR})
# Stopping a plan before admission: its doctor, or the coordinator who hears from the patient.
PLAN_CANCELLERS = frozenset({Role.DOCTOR, Role.COORDINATOR})
# The patient's yes to a quote reaches the coordinator (signed form, e-mail, portal).
QUOTE_RECORDERS = frozenset({Role.COORDINATOR})
# The care team of the patient's site, and the patient their own plan in the portal.
PLAN_VIEWERS = frozenset(
    {Role.DOCTOR, Role.COORDINATOR, Role.NURSE, Role.MANAGER, Role.ADMIN, Role.PATIENT}
)


def get_plan_for_user(user, pk) -> TreatmentPlan:
    """Return a plan of a patient the user may open (a patient: only their own), or 404."""
    plans = TreatmentPlan.objects.filter(patient__in=patients_for_user(user))
    try:
        return plans.select_related("patient", "screening", "created_by").get(pk=pk)
    except (ValueError, TypeError, TreatmentPlan.DoesNotExist):
        raise Http404("No such plan at your site.") from None
