"""Where we knowingly differ from pymsprog 1.0.7 (docs/clinical/disability-course.md)."""

from __future__ import annotations

import pandas as pd

from celltrace.clinical.disability_course import Options, Visit, detect_events
from celltrace.clinical.tests.test_disability_course_oracle import run_pymsprog

# SDMT 50 -> 48 is a confirmed sub-threshold *worsening* (a lower SDMT is worse); 44 is
# then a meaningful worsening from both 50 and 48.
SDMT = [(0, 50), (100, 48), (200, 48), (300, 44), (400, 44)]
ROVING = {"event": "multiple", "baseline": "roving", "sub_threshold_rebl": "improvement"}


def test_it_does_not_rebaseline_on_a_sub_threshold_sdmt_worsening_when_asked_for_improvements():
    visits = [Visit("A", day, score) for day, score in SDMT]
    [event] = detect_events(visits, [], "sdmt", Options(**ROVING))
    # The baseline stays at day 0 (SDMT 50), so the worsening is 300 days from baseline.
    assert (event.event_type, event.time2event, event.bl2event) == ("CDW", 300, 300)
    assert event.baseline_value == 50


def test_pymsprog_misses_that_worsening_reading_lower_sdmt_as_improvement():
    visits = pd.DataFrame(
        [("A", float(d), float(v)) for d, v in SDMT], columns=["id", "day", "value"]
    )
    results = run_pymsprog(visits, pd.DataFrame(columns=["id", "day"]), "sdmt", ROVING)
    # pymsprog re-baselines at day 200 (SDMT 48) and again at day 400 (SDMT 44): each
    # drop is taken for a confirmed sub-threshold improvement, so no worsening is found.
    assert results["nevent"].tolist() == [0]
