"""Who keeps the ward's rooms, beds and doctors' capacities, and which a user may see."""

from celltrace.accounts.access import scope_to_site
from celltrace.accounts.models import Role
from celltrace.clinical.ward import DEFAULT_MAX_PATIENTS
from celltrace.ward.models import Bed, DoctorCapacity, Room

MANAGE = frozenset({Role.ADMIN, Role.MANAGER})


def rooms_for_user(user):
    """Return the rooms of the user's site."""
    return scope_to_site(Room.objects.all(), user)


def beds_for_user(user):
    """Return the beds of the user's site."""
    return scope_to_site(Bed.objects.select_related("room"), user, site_field="room__site")


def capacities_at(site_id: int) -> dict[int, int]:
    """Return each doctor's set capacity at the site; a doctor not in it has the default."""
    rows = DoctorCapacity.objects.filter(site_id=site_id)
    return dict(rows.values_list("doctor_id", "max_patients"))


def max_patients(site_id: int, doctor_id: int) -> int:
    """Return how many patients the doctor attends at once at the site."""
    return capacities_at(site_id).get(doctor_id, DEFAULT_MAX_PATIENTS)
