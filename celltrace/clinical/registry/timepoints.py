"""The follow-up of every treated patient at each time point of the plan.

Counts patients, not values: a patient is assessed at a time point when any of the
condition's outcome instruments has a value in its window. Completeness is assessed / due
(the dead are not due) and is withheld below the small-cell threshold; a completeness
under the plan's flag (CIBMTR: 90 %) is flagged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from celltrace.clinical.registry.plan import AnalysisPlan
from celltrace.clinical.registry.windows import DUE, STATUSES, PatientCourse


def timepoint_section(courses: Iterable[PatientCourse], plan: AnalysisPlan) -> list[dict]:
    """Return one row per time point with each status's count and the completeness."""
    counts = {tp.name: Counter() for tp in plan.timepoints}
    for course in courses:
        for visit in course.visits:
            counts[visit.timepoint.name][visit.status] += 1
    return [
        timepoint_row(tp.name, [tp.first_day, tp.last_day], counts[tp.name], plan)
        for tp in plan.timepoints
    ]


def timepoint_row(name: str, window: list[int], counts: Counter, plan: AnalysisPlan) -> dict:
    """Shape one time point's counts; completeness only when enough patients were due."""
    due = sum(counts[status] for status in DUE)
    assessed = counts["assessed"]
    completeness = assessed / due if due >= plan.small_cell else None
    return {
        "name": name,
        "window_days": window,
        "due": due,
        **{status: counts[status] for status in STATUSES},
        "completeness": completeness,
        "flagged": completeness is not None and completeness < plan.completeness_flag,
    }
