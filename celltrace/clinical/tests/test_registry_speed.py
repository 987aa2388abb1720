"""The vectorised report gives the same JSON and CSV bytes as the per-patient code did.

registry_golden.py holds the seeded cohorts and how their expected files were written
(before the change, never from the new code). The safety section is compared apart: after
the files were written it changed by design (events after a follow-up end leave the rate;
the section says how events were captured), and the vectorised code never computed it.
The baseline's prior therapies by category came later too: the seeded cohorts record none.
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
from testkit.registry_cohort import plan_v1

from .registry_cases import edss, report_inputs, treated

PLAN = plan_v1()


@pytest.mark.parametrize(("name", "seed", "patients", "condition", "relapses"), COHORTS)
def test_the_report_and_csv_equal_the_per_patient_computation(
    name, seed, patients, condition, relapses
):
    report, csv_text = report_and_csv(golden_cohort(seed, patients, condition, relapses))
    want_report, want_csv = expected(name)
    assert csv_text == want_csv
    got, want = json.loads(report), json.loads(want_report)
    got_safety, want_safety = got.pop("safety"), want.pop("safety")
    assert got["baseline"].pop("prior_therapy_by_category") == []  # came later; none recorded
    assert got == want
    # the same floats to the last digit, the same key order
    assert json.dumps(got) == json.dumps(want)
    assert {k: got_safety[k] for k in want_safety} == want_safety


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
