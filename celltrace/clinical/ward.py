"""The ward's rules: free beds, 3 to 4 patients per doctor, and the load the coming days bring.

DOMAIN section 5: the clinic promises 3 to 4 patients per doctor. A doctor carries the
default load unless the site set another; a bed takes one patient at a time. The board's
load per day is computed here, from plain facts, so it can be checked without a database.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A doctor with no capacity set at a site attends at most this many patients at once.
DEFAULT_MAX_PATIENTS = 4
# The capacities a site may set: one patient at least, never more than a doctor can follow.
MIN_MAX_PATIENTS, MAX_MAX_PATIENTS = 1, 10


def capacity_problem(max_patients) -> str | None:
    """Say what is wrong with a capacity a manager entered, or None if it may be set."""
    if isinstance(max_patients, bool) or not isinstance(max_patients, int):
        return "Enter a whole number of patients."
    if not MIN_MAX_PATIENTS <= max_patients <= MAX_MAX_PATIENTS:
        return (
            f"A doctor attends between {MIN_MAX_PATIENTS} and {MAX_MAX_PATIENTS} patients at once."
        )
    return None


@dataclass(frozen=True)
class BedFacts:
    site_id: int
    active: bool
    room_active: bool
    occupied: bool  # an open stay is in it


def bed_problem(bed: BedFacts, *, site_id: int) -> tuple[str, str] | None:
    """Return (code, reason) if a patient of `site_id` cannot be put in the bed, else None."""
    if bed.site_id != site_id:
        return "bed_other_site", "This bed is at another site than the patient's."
    if not (bed.active and bed.room_active):
        return "bed_inactive", "This bed is out of use."
    if bed.occupied:
        return "bed_occupied", "Another patient is in this bed."
    return None


def has_room_for_another(attending: int, max_patients: int) -> bool:
    """Tell whether a doctor attending `attending` patients may take one more."""
    return attending < max_patients


@dataclass(frozen=True)
class AttendedStay:
    """An open stay: who attends it and the day its plan says the patient goes home."""

    doctor_id: int | None
    planned_discharge: dt.date


@dataclass(frozen=True)
class PlannedAdmission:
    """A plan with no stay yet: the days its patient is planned to be on the ward."""

    admission: dt.date
    discharge: dt.date


@dataclass(frozen=True)
class DayLoad:
    day: dt.date
    by_doctor: dict[int, int]  # patients each doctor attends that day
    unattended: int  # open stays with no attending doctor (stays made before doctors)
    planned: int  # patients planned on the ward that day, not admitted yet: no doctor yet


def patients_beyond_capacity(load: DayLoad, capacity: int) -> int:
    """Return how many patients a day holds beyond what the site's doctors may attend.

    Everyone on the ward that day counts, admitted or only planned: a planned patient needs
    a doctor with room on the day they arrive, or the admission is refused at the door.
    """
    on_ward = sum(load.by_doctor.values()) + load.unattended + load.planned
    return max(0, on_ward - capacity)


def days_from(start: dt.date, count: int) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range(count)]


def load_per_day(
    stays: Iterable[AttendedStay],
    planned: Iterable[PlannedAdmission],
    days: Sequence[dt.date],
    *,
    today: dt.date,
) -> list[DayLoad]:
    """Return, for each day, the patients each doctor attends and those not yet assigned.

    An open stay counts up to its planned discharge; a patient past that day is still on the
    ward, so counts today. A planned admission counts each day of its planned stay.
    """
    stays, planned = list(stays), list(planned)
    loads = []
    for day in days:
        by_doctor: dict[int, int] = {}
        unattended = 0
        for stay in stays:
            if max(stay.planned_discharge, today) < day:
                continue
            if stay.doctor_id is None:
                unattended += 1
            else:
                by_doctor[stay.doctor_id] = by_doctor.get(stay.doctor_id, 0) + 1
        coming = sum(1 for plan in planned if plan.admission <= day <= plan.discharge)
        loads.append(DayLoad(day, by_doctor, unattended, coming))
    return loads
