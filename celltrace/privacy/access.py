"""Who may download a patient's whole record, and who may erase a patient's identity."""

from celltrace.accounts.models import Role

# Staff who answer a patient's request for their data (GDPR art. 15 and 20); the patient
# downloads their own record in the portal. Each sees only what `patients_for_user` gives.
EXPORT_ROLES = frozenset({Role.DOCTOR, Role.MANAGER, Role.ADMIN, Role.PATIENT})
# Erasure is a decision the clinic answers for: a manager of the patient's site or an
# administrator signs it.
ERASE_ROLES = frozenset({Role.MANAGER, Role.ADMIN})
