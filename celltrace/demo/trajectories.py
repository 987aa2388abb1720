"""Synthetic outcome trajectories per condition: baselines and plausible, mixed changes.

Some patients improve, some do not, some worsen: the demo must not suggest results the
clinic has not shown. The table is data: one row per outcome of a condition in the
analysis plan (but SCI's AIS grade and motor score, which come from an ISNCSCI exam:
spinal_exams.py), with the range its baselines are drawn from, its step, its limits and
the changes one check-up may bring (a random walk). EDSS follows a course instead (edss_course): MS
disability is mostly stable over two years, worsens and stays worse in some (the report's
confirmed worsening), worsens for one visit only in others (often a relapse), and improves
a little in a few.

The values are targets: answer_sheets.py turns each into the instrument's form, which the
product's instrument scores.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Trajectory:
    instrument: str
    baseline: tuple[float, float]  # baselines are drawn from this range, in steps
    step: float
    limits: tuple[float, float]
    changes: tuple[float, ...] = ()  # what one check-up may bring; unused for EDSS


EQ5D5L = Trajectory("eq5d5l", (0.45, 0.85), 0.01, (-0.59, 1), (-0.1, -0.05, 0, 0, 0.03, 0.08))
TRAJECTORIES = {
    "ms": [
        Trajectory("edss", (2.0, 6.5), 0.5, (0, 10)),
        Trajectory("t25fw", (4.5, 12.0), 0.1, (2, 180), (-1.0, -0.4, 0, 0, 0.4, 1.0, 2.5)),
        Trajectory("nhpt", (18.0, 35.0), 0.1, (10, 300), (-2.0, -1.0, 0, 0, 1.0, 2.0, 4.0)),
        Trajectory("sdmt", (30, 60), 1, (0, 110), (-5, -3, -1, 0, 0, 1, 2, 4)),
        Trajectory("msis29_physical", (20, 70), 1, (0, 100), (-10, -5, -2, 0, 0, 3, 6, 9)),
        EQ5D5L,
        Trajectory("pain", (0, 6), 1, (0, 10), (-2, -1, 0, 0, 0, 1, 2)),
        Trajectory("msis29_psychological", (15, 60), 1, (0, 100), (-8, -4, 0, 0, 0, 4, 8)),
    ],
    "sci": [
        Trajectory("pain", (3, 8), 1, (0, 10), (-2, -1, -1, 0, 0, 1)),
        Trajectory("scim3", (20, 70), 1, (0, 100), (-3, 0, 0, 1, 2, 4, 6)),
        EQ5D5L,
    ],
    "parkinsons": [
        Trajectory("updrs3", (20, 50), 1, (0, 132), (-8, -4, -2, 0, 0, 2, 4, 6)),
        Trajectory("pdq39", (15.0, 45.0), 0.1, (0, 100), (-4.0, -1.5, 0, 0, 1.0, 2.5, 4.0)),
        EQ5D5L,
        Trajectory("pain", (1, 6), 1, (0, 10), (-2, -1, 0, 0, 0, 1, 2)),
    ],
    "t2d": [
        Trajectory("hba1c", (7.0, 10.0), 0.1, (3, 20), (-1.2, -0.6, -0.3, 0.0, 0.2, 0.5)),
        EQ5D5L,
        Trajectory("egfr", (60, 100), 1, (0, 200), (-6, -3, -1, 0, 0, 2, 3)),
    ],
    "ckd": [
        Trajectory("egfr", (20, 55), 1, (0, 200), (-5, -2, 0, 0, 2, 4, 6)),
        Trajectory("uacr", (30, 800), 1, (0, 5000), (-120, -40, 0, 0, 30, 80, 150)),
        EQ5D5L,
    ],
    "lyme": [Trajectory("pain", (4, 8), 1, (0, 10), (-3, -2, -1, 0, 0, 1)), EQ5D5L],
}


def baseline(rng, row: Trajectory) -> float:
    low, high = row.baseline
    steps = round((high - low) / row.step)
    return round(low + row.step * rng.randint(0, steps), 2)


def walk(rng, row: Trajectory, value: float, visits: int) -> list[float]:
    """The values at `visits` check-ups, each a change from the one before."""
    values = []
    for _ in range(visits):
        value = _clamp(row, value + rng.choice(row.changes))
        values.append(value)
    return values


# How EDSS goes over the check-ups (shares out of 100): no clear change; a worsening that a
# later check-up confirms; a worsening at one check-up only; a small lasting improvement.
EDSS_COURSES = {"stable": 55, "confirmed_worsening": 20, "one_visit_worse": 12, "improving": 13}
# Of the courses with a worse check-up, the share with a relapse before it.
RELAPSE_SHARE = {"confirmed_worsening": 0.4, "one_visit_worse": 0.75}


def edss_course(rng, row: Trajectory, value: float, visits: int) -> tuple[list[float], int | None]:
    """EDSS at each check-up, and the check-up a relapse came before (None: no relapse).

    A worsening is the disability-course engine's minimum change: 1.0 from a baseline up to
    5.5, 0.5 above it (so either high-baseline cut, 5.0 or 5.5, counts it).
    """
    course = rng.choices(list(EDSS_COURSES), weights=list(EDSS_COURSES.values()))[0]
    start = rng.randint(0, visits - 2)  # the first changed check-up; a later one can confirm
    changed = {
        "stable": set(),
        "confirmed_worsening": set(range(start, visits)),
        "one_visit_worse": {start},
        "improving": set(range(start, visits)),
    }[course]
    if course == "improving":
        change = -0.5 if value < 3 else rng.choice((-0.5, -1.0))
    else:
        change = 1.0 if value <= 5.5 else 0.5
    values = []
    for visit in range(visits):
        noise = rng.choice((0, 0, 0, 0, 0.5, -0.5)) if course == "stable" else 0
        values.append(_clamp(row, value + (change if visit in changed else noise)))
    relapse = start if rng.random() < RELAPSE_SHARE.get(course, 0) else None
    return values, relapse


def _clamp(row: Trajectory, value: float) -> float:
    low, high = row.limits
    return round(min(high, max(low, value)), 2)
