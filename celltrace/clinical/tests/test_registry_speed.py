"""The vectorised report gives the same JSON and CSV bytes as the per-patient code did.

registry_golden.py holds the seeded cohorts and how their expected files were written
(before the change, never from the new code).
"""

import json

import pytest

from celltrace.clinical.tests.registry_golden import (
    COHORTS,
    expected,
    golden_cohort,
    report_and_csv,
)


@pytest.mark.parametrize(("name", "seed", "patients", "condition", "relapses"), COHORTS)
def test_the_report_and_csv_equal_the_per_patient_computation(
    name, seed, patients, condition, relapses
):
    report, csv_text = report_and_csv(golden_cohort(seed, patients, condition, relapses))
    want_report, want_csv = expected(name)
    assert csv_text == want_csv
    assert json.loads(report) == json.loads(want_report)
    assert report == want_report  # the same floats to the last digit, the same key order
