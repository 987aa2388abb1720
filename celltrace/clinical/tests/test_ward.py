"""The ward's rules, without a database: beds, capacities and the load of the coming days."""

import datetime as dt

import pytest

from celltrace.clinical.ward import (
    DEFAULT_MAX_PATIENTS,
    AttendedStay,
    BedFacts,
    DayLoad,
    PlannedAdmission,
    bed_problem,
    capacity_problem,
    days_from,
    has_room_for_another,
    load_per_day,
    patients_beyond_capacity,
)

TODAY = dt.date(2026, 3, 10)


def _day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.mark.parametrize("value", [1, 4, 10])
def test_a_capacity_from_1_to_10_may_be_set(value):
    assert capacity_problem(value) is None


@pytest.mark.parametrize("value", [0, -1, 11, 3.5, True, "4", None])
def test_any_other_capacity_is_refused(value):
    assert capacity_problem(value)


def test_a_doctor_attends_4_patients_unless_told_otherwise():
    assert DEFAULT_MAX_PATIENTS == 4
    assert has_room_for_another(3, DEFAULT_MAX_PATIENTS)
    assert not has_room_for_another(4, DEFAULT_MAX_PATIENTS)


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        (BedFacts(site_id=1, active=True, room_active=True, occupied=False), None),
        (BedFacts(site_id=2, active=True, room_active=True, occupied=False), "bed_other_site"),
        (BedFacts(site_id=1, active=False, room_active=True, occupied=False), "bed_inactive"),
        (BedFacts(site_id=1, active=True, room_active=False, occupied=False), "bed_inactive"),
        (BedFacts(site_id=1, active=True, room_active=True, occupied=True), "bed_occupied"),
    ],
)
def test_a_bed_takes_a_patient_of_its_site_when_in_use_and_empty(facts, code):
    problem = bed_problem(facts, site_id=1)
    assert (problem[0] if problem else None) == code


def test_an_open_stay_counts_for_its_doctor_up_to_its_planned_discharge():
    days = days_from(TODAY, 4)
    loads = load_per_day(
        [AttendedStay(7, _day(1)), AttendedStay(7, _day(3))], [], days, today=TODAY
    )
    assert [day.by_doctor.get(7, 0) for day in loads] == [2, 2, 1, 1]


def test_a_patient_past_the_planned_discharge_still_counts_today_only():
    loads = load_per_day([AttendedStay(7, _day(-2))], [], days_from(TODAY, 2), today=TODAY)
    assert [day.by_doctor.get(7, 0) for day in loads] == [1, 0]


def test_stays_without_a_doctor_and_planned_admissions_are_counted_apart():
    stays = [AttendedStay(None, _day(1)), AttendedStay(7, _day(5))]
    planned = [PlannedAdmission(_day(1), _day(2)), PlannedAdmission(_day(-1), _day(0))]
    loads = load_per_day(stays, planned, days_from(TODAY, 4), today=TODAY)
    assert [day.unattended for day in loads] == [1, 1, 0, 0]
    assert [day.planned for day in loads] == [1, 1, 1, 0]
    assert all(day.by_doctor == {7: 1} for day in loads)


def test_planned_patients_count_against_the_doctors_capacity_of_their_day():
    day = dt.date(2026, 11, 27)
    tomorrow = DayLoad(day, by_doctor={1: 3, 2: 3}, unattended=0, planned=7)
    assert patients_beyond_capacity(tomorrow, capacity=8) == 5
    quiet = DayLoad(day, by_doctor={1: 1}, unattended=1, planned=2)
    assert patients_beyond_capacity(quiet, capacity=8) == 0
