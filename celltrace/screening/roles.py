"""Who records and reads eligibility decisions: one source for the screens and the API."""

from celltrace.accounts.access import CLINICAL_STAFF
from celltrace.accounts.models import Role

RECORD_ROLES = frozenset({Role.DOCTOR})
# The care team of the patient's site; the medical advisor's work ends at conversion.
VIEW_ROLES = CLINICAL_STAFF
