"""Spread the plan's complementary therapy sessions over the days of the stay.

Each therapy's sessions are spaced evenly over the days, at fixed slots, so a patient is
not given a whole course on one day and nothing the next. The arrival day's morning is
kept free when the sessions fit elsewhere (the patient is admitted, screened again and
settles in). A day holds at most `SLOTS` sessions and at most `MAX_PER_THERAPY_PER_DAY`
of one therapy; sessions that still do not fit are reported, never squeezed in. The same
input always gives the same schedule.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

SLOTS = (time(9, 0), time(11, 0), time(14, 0), time(16, 0))
AFTERNOON = time(13, 0)
MAX_PER_THERAPY_PER_DAY = 2


@dataclass(frozen=True)
class TherapyCourse:
    """The planned sessions of one therapy; `key` identifies the plan row."""

    key: int
    name: str
    sessions: int


@dataclass(frozen=True)
class PlacedSession:
    key: int
    starts_at: datetime  # local wall-clock time at the site


@dataclass(frozen=True)
class TherapySchedule:
    sessions: tuple[PlacedSession, ...]
    # Sessions that fit nowhere, by course key: the stay is too short for them.
    unplaced: dict[int, int]


def _place(wanted, days, free, per_therapy, placed) -> list[tuple[int, int]]:
    """Place each (ideal day index, key) on the nearest day with room; return the leftovers."""
    left = []
    for ideal, key in wanted:
        nearest = sorted(range(len(days)), key=lambda index: (abs(index - ideal), index < ideal))
        for index in nearest:
            day = days[index]
            if free[day] and per_therapy.get((day, key), 0) < MAX_PER_THERAPY_PER_DAY:
                per_therapy[(day, key)] = per_therapy.get((day, key), 0) + 1
                placed.append(PlacedSession(key, datetime.combine(day, free[day].pop(0))))
                break
        else:
            left.append((ideal, key))
    return left


def spread_sessions(
    courses: Sequence[TherapyCourse],
    *,
    first_day: date,
    last_day: date,
    arrival: time = time(0, 0),
    arrival_day: bool = True,
) -> TherapySchedule:
    """Schedule every course's sessions from `first_day` (from `arrival` on) to `last_day`.

    `arrival_day` says whether `first_day` is the day the patient arrives, whose morning is
    then used only for sessions that fit nowhere else.
    """
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    # Session k of n lands ideally in the middle of the k-th n-th of the stay: evenly spaced,
    # the therapies interleaved.
    wanted = sorted(
        ((2 * k + 1) * len(days) // (2 * course.sessions), course.key)
        for course in courses
        for k in range(course.sessions)
    )
    if not days:
        return TherapySchedule((), _count(wanted))
    free = {day: list(SLOTS) for day in days[1:]}
    free[days[0]] = [
        slot for slot in SLOTS if slot >= (max(arrival, AFTERNOON) if arrival_day else arrival)
    ]
    placed: list[PlacedSession] = []
    per_therapy: dict[tuple[date, int], int] = {}
    left = _place(wanted, days, free, per_therapy, placed)
    if left:
        # Only when the sessions do not fit otherwise: the arrival day's morning after all.
        morning = [slot for slot in SLOTS if arrival <= slot < AFTERNOON]
        free[days[0]] = sorted(free[days[0]] + morning)
        left = _place(left, days, free, per_therapy, placed)
    return TherapySchedule(tuple(sorted(placed, key=lambda s: (s.starts_at, s.key))), _count(left))


def _count(wanted) -> dict[int, int]:
    counts: dict[int, int] = {}
    for _ideal, key in wanted:
        counts[key] = counts.get(key, 0) + 1
    return counts
