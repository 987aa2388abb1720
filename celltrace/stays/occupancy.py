"""Who is in which bed, and how many patients each doctor attends: read from the open stays.

The ward app keeps the rooms, beds and capacities; the stays fill them. These queries sit
here, above both, and serve the admission form, the actions' checks, the board and the demo.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from celltrace.accounts.models import Role, User
from celltrace.clinical.ward import DEFAULT_MAX_PATIENTS, has_room_for_another
from celltrace.refusal import Refused
from celltrace.stays.models import Stay
from celltrace.ward.access import capacities_at
from celltrace.ward.models import Bed

ON_THE_WARD = Q(discharged_at__isnull=True)


def open_stays():
    return Stay.objects.filter(ON_THE_WARD)


def free_beds(site_id: int):
    """The beds in use at the site with nobody in them, room by room."""
    taken = open_stays().filter(bed=OuterRef("pk"))
    beds = Bed.objects.select_related("room").filter(
        room__site_id=site_id, active=True, room__active=True
    )
    return beds.filter(~Exists(taken)).order_by("room__number", "label")


def is_occupied(bed: Bed) -> bool:
    return open_stays().filter(bed=bed).exists()


def attending(doctor, site_id: int) -> int:
    """The open stays at the site the doctor attends."""
    return open_stays().filter(doctor=doctor, site_id=site_id).count()


@dataclass(frozen=True)
class DoctorLoad:
    doctor: User
    attending: int
    max_patients: int

    @property
    def has_room(self) -> bool:
        return has_room_for_another(self.attending, self.max_patients)

    def __str__(self):
        return f"Dr {self.doctor} ({self.attending}/{self.max_patients})"


def doctors_at(site_id: int):
    return User.objects.filter(role=Role.DOCTOR, site_id=site_id, is_active=True).order_by(
        "last_name", "first_name", "pk"
    )


def doctor_loads(site_id: int) -> list[DoctorLoad]:
    """Each doctor of the site with the patients they attend now and their capacity."""
    here_now = Q(attended_stays__discharged_at__isnull=True, attended_stays__site_id=site_id)
    doctors = doctors_at(site_id).annotate(attending=Count("attended_stays", filter=here_now))
    limits = capacities_at(site_id)
    return [
        DoctorLoad(doctor, doctor.attending, limits.get(doctor.pk, DEFAULT_MAX_PATIENTS))
        for doctor in doctors
    ]


# Every miss answers the same words, with no name in them: a bed or a user of another site,
# or an id that names nobody, must not tell a caller who or what it is.
NO_BED_HERE = "No bed with this id at this site."
NO_DOCTOR_HERE = "No doctor with this id works at this site."


def bed_at_site(site_id: int, bed_id, *, lock: bool = False) -> Bed:
    """Return the bed of the site with this id, or refuse without saying whose bed it is."""
    beds = Bed.objects.select_related("room").filter(room__site_id=site_id)
    if bed := (beds.select_for_update() if lock else beds).filter(pk=bed_id).first():
        return bed
    raise Refused(NO_BED_HERE, code="bed_other_site", field_errors={"bed": NO_BED_HERE})


def doctor_at_site(site_id: int, doctor_id, *, lock: bool = False) -> User:
    """Return the active doctor of the site with this id, or refuse without naming anyone."""
    doctors = doctors_at(site_id)
    if doctor := (doctors.select_for_update() if lock else doctors).filter(pk=doctor_id).first():
        return doctor
    raise Refused(NO_DOCTOR_HERE, code="not_a_doctor_here", field_errors={"doctor": NO_DOCTOR_HERE})
