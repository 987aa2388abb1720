"""The report gives the same JSON and CSV bytes as the stored golden files of seeded cohorts.

registry_golden.py holds the seeded cohorts and how their expected files were written
(first by the per-patient code, before the change). The vectorised code matched those
files; since then they have been regenerated from the report's own code, only for
deliberate changes, each explained in its commit message (the keys that changed, and that
nothing else did). So this test no longer compares with an independent computation: it
pins the report's JSON and CSV bytes against any change nobody meant.
test_registry_recompute.py is the independent check of the numbers.
"""

import json

import numpy as np
import pytest

from celltrace.clinical.registry import time_to_event
from celltrace.clinical.tests.registry_golden import (
    COHORTS,
    expected,
    golden_cohort,
    report_and_csv,
)
from testkit.registry_cohort import latest_plan

from .registry_cases import edss, report_inputs, treated

PLAN = latest_plan()


@pytest.mark.parametrize(("name", "seed", "patients", "condition", "relapses"), COHORTS)
def test_the_report_and_csv_equal_the_stored_golden_files(
    name, seed, patients, condition, relapses
):
    report, csv_text = report_and_csv(golden_cohort(seed, patients, condition, relapses))
    want_report, want_csv = expected(name)
    assert csv_text == want_csv
    got, want = json.loads(report), json.loads(want_report)
    assert got == want
    # the same floats to the last digit, the same key order
    assert report == want_report


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_patients_screened_out_of_the_engine_could_not_have_worsened(seed, monkeypatch):
    inputs = golden_cohort(seed, 300, "ms", True)
    history = time_to_event.histories_from_baseline(inputs, "edss", PLAN.baseline_first_day)
    screened = time_to_event.may_worsen(history)
    found = time_to_event.first_worsening_days(inputs, history)

    monkeypatch.setattr(time_to_event, "may_worsen", lambda h: np.ones(len(h.analysed), bool))
    assert time_to_event.first_worsening_days(inputs, history) == found
    assert found and 0 < screened.sum() < len(screened)  # the screen leaves some out


def test_a_long_steady_history_still_goes_to_the_engine_and_a_short_one_does_not():
    steady = [(-5, 2.0)] + [(30 * n, 2.0) for n in range(1, 20)]
    inputs = report_inputs(
        [treated(1), treated(2)], readings=edss(1, *steady) + edss(2, *steady[:5])
    )
    history = time_to_event.histories_from_baseline(inputs, "edss", PLAN.baseline_first_day)
    assert time_to_event.may_worsen(history).tolist() == [True, False]
