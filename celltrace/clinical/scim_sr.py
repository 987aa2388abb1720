"""The SCIM self-report (SCIM-SR): the patient's own account of the SCIM III tasks.

Fekete C, Eriks-Hoogland I, Baumberger M, Catz A, Itzkovich M, Lüthi H, Post MWM, von Elm E,
Wyss A, Brinkhof MWG. Development and validation of a self-report version of the Spinal Cord
Independence Measure (SCIM III). Spinal Cord 2013;51:40-47. doi:10.1038/sc.2012.87.

Verified from the paper's abstract: the SCIM-SR asks the same 19 daily tasks as SCIM III (17
numbered, bathing and dressing split upper/lower), in the same three subscales (self-care
0-20, respiration and sphincter management 0-40, mobility 0-40), total 0-100, and agrees
closely with the clinicians' SCIM III (Pearson's r 0.87 for the total). Taken from SCIM III
and not verified against the SCIM-SR sheet: that every response option carries the SCIM III
score of the grade it renders. So the engine is SCIM III's, and the value is stored as its own
measure (`scim_sr`), never pooled with a clinician's SCIM III (docs/clinical/scim-sr.md).
"""

from __future__ import annotations

from celltrace.clinical.scim3 import (
    ALLOWED_SCORES,
    SUBSCALE_MAXIMA,
    SUBSCALES,
    ScimItems,
    ScimScore,
    score_scim3,
)

VERSION = "SCIM-SR (Fekete 2013)"

__all__ = [
    "ALLOWED_SCORES",
    "SUBSCALES",
    "SUBSCALE_MAXIMA",
    "VERSION",
    "ScimItems",
    "ScimScore",
    "score_scim_sr",
]


def score_scim_sr(items: ScimItems) -> ScimScore:
    """Sum the patient's answers into the three subscales and the total, as SCIM III does."""
    return score_scim3(items)
