"""Who may read the clinic's FHIR records: the care team at its site, and a patient their own.

The same rules as the screens and the API: the role is checked first, then the records are
those of `patients_for_user` (a site's staff: its patients; an administrator: everyone; a
patient in the portal: their own record only).
"""

from django.db.models import QuerySet

from celltrace.accounts.access import CLINICAL_STAFF
from celltrace.accounts.models import Role, Site, User
from celltrace.patients.access import get_patient_for_user, patients_for_user

READ = CLINICAL_STAFF | {Role.PATIENT}
# A Bulk Data export covers a whole site (every site for an administrator): for the people
# who answer for the clinic's data, as a registry's account would be.
EXPORT = frozenset({Role.MANAGER, Role.ADMIN})
# An import of lab results and referring doctors' documents: the doctors and nurses who
# record screening facts by hand, and the lab technician who receives the outside lab's feed;
# for their own site's patients only.
IMPORT = frozenset({Role.DOCTOR, Role.NURSE, Role.LAB_TECHNICIAN})

__all__ = [
    "EXPORT",
    "IMPORT",
    "READ",
    "get_patient_for_user",
    "patients_for_user",
    "sites_for_user",
    "staff_for_user",
]


def sites_for_user(user) -> QuerySet:
    """The sites whose organization and location the user may read: their patients' sites."""
    if user.sees_every_site:
        return Site.objects.all()
    return Site.objects.filter(pk__in=patients_for_user(user).values("site"))


def staff_for_user(user) -> QuerySet:
    """The practitioners the user may read: staff of those sites (all, for an administrator)."""
    staff = User.objects.exclude(role=Role.PATIENT)
    if user.sees_every_site:
        return staff
    return staff.filter(site__in=sites_for_user(user))
