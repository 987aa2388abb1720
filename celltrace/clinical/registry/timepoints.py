"""The follow-up of every treated patient at each time point of the plan.

Counts patients, not values: a patient is assessed at a time point when any of the
condition's outcome instruments has a value in its window. Completeness is assessed / due
(the dead are not due) and is withheld below the small-cell threshold; a completeness
under the plan's flag (CIBMTR: 90 %) is flagged.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from celltrace.clinical.registry.plan import AnalysisPlan
from celltrace.clinical.registry.windows import DUE, STATUSES, Placement


def timepoint_section(placed: Placement, plan: AnalysisPlan) -> list[dict]:
    """Return one row per time point with each status's count and the completeness."""
    return [
        timepoint_row(
            tp.name,
            [tp.first_day, tp.last_day],
            Counter(dict(zip(STATUSES, status_counts(placed.status[:, t]), strict=True))),
            plan,
        )
        for t, tp in enumerate(plan.timepoints)
    ]


def status_counts(statuses: np.ndarray) -> list[int]:
    """How many patients have each status (in STATUSES order)."""
    return np.bincount(statuses, minlength=len(STATUSES)).tolist()


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
