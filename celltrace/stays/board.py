"""The ward board: each room and bed with who is in it, and the doctors' load day by day.

A manager sees overload coming: each doctor's patients today and on each of the next 14 days
(the open stays they attend, up to each plan's discharge date), beside the patients planned
on the ward those days who have no stay, so no doctor, yet. The counting is
celltrace/clinical/ward.py's; this module only reads the facts for it.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from celltrace.accounts import site_time
from celltrace.clinical.ward import (
    AttendedStay,
    PlannedAdmission,
    days_from,
    load_per_day,
    patients_beyond_capacity,
)
from celltrace.plans.models import TreatmentPlan
from celltrace.stays import occupancy
from celltrace.stays.models import Stay
from celltrace.ward.models import Bed, Room

DAYS_AHEAD = 14


@dataclass(frozen=True)
class BedRow:
    bed: Bed
    stay: Stay | None


@dataclass(frozen=True)
class RoomRow:
    room: Room
    beds: list[BedRow]


@dataclass(frozen=True)
class DoctorRow:
    load: occupancy.DoctorLoad
    per_day: list[tuple[int, bool]]  # (patients, over capacity) for each day of the board


@dataclass(frozen=True)
class SiteBoard:
    site: object
    rooms: list[RoomRow]
    free_beds: int
    days: list
    doctors: list[DoctorRow]
    unattended: list[int]  # open stays without a doctor, per day
    planned: list[int]  # patients planned on the ward, not admitted yet, per day
    coming: list[TreatmentPlan]
    beyond_capacity: list[int]  # patients more than the site's doctors may attend, per day

    @property
    def overloaded_days(self) -> list[tuple]:
        """The days ahead that hold more patients than the doctors may attend, with how many."""
        return [(day, n) for day, n in zip(self.days, self.beyond_capacity, strict=True) if n]


def ward_board(site) -> SiteBoard:
    today = site_time.today(site)
    days = days_from(today, DAYS_AHEAD + 1)
    stays = list(
        occupancy.open_stays().filter(site=site).select_related("patient", "plan", "doctor")
    )
    coming = list(
        TreatmentPlan.objects.awaiting_admission()
        .select_related("patient")
        .filter(
            patient__site=site,
            admission_date__lte=days[-1],
            discharge_date__gte=today,
        )
        .order_by("admission_date", "pk")
    )
    loads = load_per_day(
        [AttendedStay(s.doctor_id, s.plan.discharge_date) for s in stays],
        [PlannedAdmission(p.admission_date, p.discharge_date) for p in coming],
        days,
        today=today,
    )
    doctors = [
        DoctorRow(
            load,
            [
                (n, n > load.max_patients)
                for n in (day.by_doctor.get(load.doctor.pk, 0) for day in loads)
            ],
        )
        for load in occupancy.doctor_loads(site.pk)
    ]
    capacity = sum(row.load.max_patients for row in doctors)
    rooms = _rooms(site, {stay.bed_id: stay for stay in stays})
    return SiteBoard(
        site=site,
        rooms=rooms,
        free_beds=occupancy.free_beds(site.pk).count(),
        days=days,
        doctors=doctors,
        unattended=[day.unattended for day in loads],
        planned=[day.planned for day in loads],
        coming=coming,
        beyond_capacity=[patients_beyond_capacity(day, capacity) for day in loads],
    )


def _rooms(site, stay_in_bed: dict) -> list[RoomRow]:
    beds = Prefetch("beds", queryset=Bed.objects.order_by("label"))
    rooms = Room.objects.filter(site=site).prefetch_related(beds).order_by("number")
    return [
        RoomRow(room, [BedRow(bed, stay_in_bed.get(bed.pk)) for bed in room.beds.all()])
        for room in rooms
    ]
