from collections import Counter
from datetime import date, time

from celltrace.clinical.therapy_schedule import (
    MAX_PER_THERAPY_PER_DAY,
    SLOTS,
    TherapyCourse,
    spread_sessions,
)

MONDAY = date(2025, 3, 3)
SATURDAY = date(2025, 3, 8)  # a six-day stay


def _per_day(schedule, key=None):
    return Counter(s.starts_at.date() for s in schedule.sessions if key in (None, s.key))


def test_one_session_a_day_over_a_six_day_stay():
    schedule = spread_sessions(
        [TherapyCourse(1, "Physiotherapy", 6)], first_day=MONDAY, last_day=SATURDAY
    )
    assert len(_per_day(schedule)) == 6 and set(_per_day(schedule).values()) == {1}
    assert schedule.unplaced == {}


def test_the_arrival_days_morning_is_kept_free_when_the_sessions_fit_elsewhere():
    courses = [TherapyCourse(1, "Physiotherapy", 6), TherapyCourse(2, "Massage", 6)]
    schedule = spread_sessions(courses, first_day=MONDAY, last_day=SATURDAY)
    first_day = [s.starts_at.time() for s in schedule.sessions if s.starts_at.date() == MONDAY]
    assert first_day and all(slot >= time(13, 0) for slot in first_day)


def test_sessions_are_spread_not_bunched():
    schedule = spread_sessions(
        [TherapyCourse(1, "Acupuncture", 3)], first_day=MONDAY, last_day=SATURDAY
    )
    days = sorted(s.starts_at.date() for s in schedule.sessions)
    assert len(set(days)) == 3
    assert all((later - earlier).days >= 2 for earlier, later in zip(days, days[1:], strict=False))


def test_more_sessions_than_days_go_two_a_day_and_the_rest_are_reported():
    schedule = spread_sessions(
        [TherapyCourse(7, "Physiotherapy", 15)], first_day=MONDAY, last_day=SATURDAY
    )
    assert max(_per_day(schedule).values()) == MAX_PER_THERAPY_PER_DAY
    assert len(schedule.sessions) == 12 and schedule.unplaced == {7: 3}


def test_the_arrival_morning_is_used_only_when_nothing_else_fits():
    courses = [TherapyCourse(k, f"Therapy {k}", 8) for k in (1, 2, 3)]
    schedule = spread_sessions(courses, first_day=MONDAY, last_day=SATURDAY)
    assert len(schedule.sessions) == 24 and schedule.unplaced == {}
    monday = [s.starts_at.time() for s in schedule.sessions if s.starts_at.date() == MONDAY]
    assert sorted(monday) == list(SLOTS)  # 22 would fit otherwise: the morning took two


def test_a_day_holds_at_most_every_slot_once():
    courses = [TherapyCourse(k, f"Therapy {k}", 6) for k in range(1, 6)]
    schedule = spread_sessions(courses, first_day=MONDAY, last_day=SATURDAY)
    assert max(_per_day(schedule).values()) <= len(SLOTS)
    assert len({s.starts_at for s in schedule.sessions}) == len(schedule.sessions)
    assert len(schedule.sessions) + sum(schedule.unplaced.values()) == 30


def test_no_session_before_the_arrival_time():
    schedule = spread_sessions(
        [TherapyCourse(1, "Massage", 4)],
        first_day=MONDAY,
        last_day=date(2025, 3, 4),
        arrival=time(15, 0),
    )
    assert all(
        s.starts_at.time() >= time(15, 0) for s in schedule.sessions if s.starts_at.date() == MONDAY
    )
    assert len(schedule.sessions) == 3 and schedule.unplaced == {1: 1}


def test_the_schedule_is_the_same_every_time():
    courses = [TherapyCourse(2, "Massage", 4), TherapyCourse(1, "Physiotherapy", 9)]
    first = spread_sessions(courses, first_day=MONDAY, last_day=SATURDAY)
    assert first == spread_sessions(courses, first_day=MONDAY, last_day=SATURDAY)


def test_a_stay_with_no_days_left_places_nothing():
    schedule = spread_sessions(
        [TherapyCourse(1, "Massage", 2)], first_day=SATURDAY, last_day=MONDAY
    )
    assert schedule.sessions == () and schedule.unplaced == {1: 2}
