"""Who works with stays, and which stays a user may open: one source for screens and API."""

from celltrace.accounts.access import get_for_user, scope_to_site
from celltrace.accounts.models import Role
from celltrace.stays.models import Stay

ADMIT = frozenset({Role.NURSE, Role.DOCTOR, Role.COORDINATOR})
ADMINISTER = frozenset({Role.NURSE})
REPORT_EVENT = frozenset({Role.NURSE, Role.DOCTOR})
DISCHARGE = frozenset({Role.DOCTOR})
# Moving a planned dose to another day of the stay is a medical decision.
CHANGE_DAY = frozenset({Role.DOCTOR})
# The day-one re-check of fresh facts before any product is given: doctors and ward nurses.
DAY_ONE = frozenset({Role.DOCTOR, Role.NURSE})
VIEW = frozenset({Role.NURSE, Role.DOCTOR, Role.COORDINATOR, Role.MANAGER, Role.ADMIN})


def stays_for_user(user):
    """Return the stays of the user's site."""
    return scope_to_site(Stay.objects.select_related("patient", "plan"), user)


def get_stay_for_user(user, pk) -> Stay:
    """Return one stay of the user's site, or 404."""
    return get_for_user(Stay.objects.select_related("patient", "plan"), user, pk, site_field="site")
