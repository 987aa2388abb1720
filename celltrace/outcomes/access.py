"""Who works with outcomes: one set per screen and its API endpoint."""

from celltrace.accounts.access import CLINICAL_STAFF
from celltrace.accounts.models import Role

RECORD = frozenset({Role.DOCTOR})
READ_MEASUREMENTS = CLINICAL_STAFF
VIEW_SUMMARY = frozenset({Role.MANAGER, Role.COORDINATOR, Role.ADMIN, Role.DOCTOR})
# The EDSS course is the patient's own record too: they see it through the portal.
VIEW_COURSE = CLINICAL_STAFF | {Role.PATIENT}
# A new analysis plan changes every later report: the clinic's management publishes it.
PUBLISH_PLAN = frozenset({Role.MANAGER, Role.ADMIN})
# A patient summary goes public under the clinic's name: its management publishes it.
PUBLISH_SUMMARY = frozenset({Role.MANAGER, Role.ADMIN})
# The published summary of the patient's own condition, in the portal (staff see it too).
VIEW_OWN_RESULTS = CLINICAL_STAFF | {Role.PATIENT}
