"""Who does what in screening: one source for the screens and the API."""

from celltrace.accounts.access import CLINICAL_STAFF
from celltrace.accounts.models import Role

# Screening a patient and signing the decision are the doctors' work.
RECORD_ROLES = frozenset({Role.DOCTOR})
SIGN_ROLES = RECORD_ROLES
# Facts (day-one lab results above all) and the day-one re-check: doctors and ward nurses.
FACT_ROLES = frozenset({Role.DOCTOR, Role.NURSE})
DAY_ONE_ROLES = FACT_ROLES
# The care team of the patient's site; the medical advisor's work ends at conversion.
VIEW_ROLES = CLINICAL_STAFF
