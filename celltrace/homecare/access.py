"""Who sees and answers home-care doses: the patient their own; the site's clinical staff."""

from django.http import Http404

from celltrace.accounts.access import scope_to_site
from celltrace.accounts.models import Role
from celltrace.homecare.models import HomeCareDose

ANSWER = frozenset({Role.PATIENT})  # the patient says a dose was taken or skipped
# Staff who talk to the patient at home enter what the patient reported by phone.
RECORD_REPORTED = frozenset({Role.NURSE, Role.COORDINATOR, Role.DOCTOR})
FOLLOW = frozenset({Role.COORDINATOR, Role.DOCTOR, Role.NURSE, Role.MANAGER, Role.ADMIN})


def doses_for_user(user):
    """Return the doses the user may see: a patient's own, or those of the user's site."""
    doses = HomeCareDose.objects.select_related("patient", "product")
    if user.role == Role.PATIENT:
        return doses.filter(patient__portal_user=user)
    return scope_to_site(doses, user, site_field="patient__site")


def get_dose_for_user(user, pk) -> HomeCareDose:
    """Return one dose the user may see, or 404 (never another patient's)."""
    try:
        return doses_for_user(user).get(pk=pk)
    except (ValueError, TypeError, HomeCareDose.DoesNotExist):
        raise Http404("No such dose.") from None
