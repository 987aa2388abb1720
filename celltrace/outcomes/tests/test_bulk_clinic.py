"""The benchmarks' bulk-built clinic (testkit/bulk_clinic.py) gives a report of everyone.

benchmarks/report_served.py times the report over this clinic at 100,000 patients; this
test keeps the clinic one the report reads in full, so the benchmark cannot silently time
an empty or refused report.
"""

import datetime as dt

import pytest

from celltrace.outcomes.report_inputs import report_inputs
from celltrace.outcomes.reports import ReportQuestion, make_report
from testkit.bulk_clinic import build_clinic
from testkit.registry_cohort import registry_cohort

CUTOFF = dt.date(2026, 11, 1)


@pytest.fixture
def clinic(db):
    return build_clinic(30, cutoff=CUTOFF)


def test_the_report_of_a_bulk_clinic_counts_every_treated_patient(clinic):
    report = make_report(ReportQuestion(clinic.condition, CUTOFF), clinic.manager).data

    assert clinic.treated == 30
    assert report["flow"]["treated"] == 30
    assert report["flow"]["enquired"] > report["flow"]["screened"] > report["flow"]["eligible"]
    assert report["flow"]["closed"] and report["flow"]["not_eligible"]
    assert report["safety"]["events"] > 0 and report["safety"]["treated"] == 30
    assert {o["instrument"] for o in report["outcomes"]} >= {"edss", "sdmt"}


def test_the_clinic_holds_the_seeded_cohort_readings_up_to_the_cutoff(clinic):
    cohort = registry_cohort(seed=11, patients=30, cutoff=CUTOFF)
    inputs = report_inputs(clinic.condition, clinic.manager, cutoff=CUTOFF)

    expected = sorted((r.instrument, r.measured_on, r.value) for r in cohort.readings
                      if r.measured_on <= CUTOFF)  # fmt: skip
    assert sorted((r.instrument, r.measured_on, r.value) for r in inputs.readings) == expected
    assert sorted(p.first_administration for p in inputs.patients) == sorted(
        p.first_administration for p in cohort.patients
    )
    ended = sum(1 for p in cohort.patients if p.end is not None)
    assert sum(1 for p in inputs.patients if p.end is not None) == ended


def test_ms_patients_have_relapses_and_mri_scans_for_neda3(clinic):
    inputs = report_inputs(clinic.condition, clinic.manager, cutoff=CUTOFF)
    report = make_report(ReportQuestion(clinic.condition, CUTOFF), clinic.manager).data

    assert inputs.relapses and any(scan.active for scan in inputs.mri_scans)
    assert all(scan.scanned_on <= CUTOFF for scan in inputs.mri_scans)
    (neda,) = [e for e in report["time_to_event"] if e["name"] == "ms_neda3_loss"]
    assert neda["events"] > 0 and neda["status_at"][0]["k"] > 0  # "kept" needs an MRI


def test_every_bulk_written_row_has_its_history_sealed_into_an_intact_chain(clinic):
    from celltrace.audit import chain
    from celltrace.outcomes.models import Measurement
    from celltrace.patients.models import Patient

    found = chain.verify()

    assert found.intact, [str(problem) for problem in found.problems[:5]]
    assert Measurement.history.filter(history_type="+").count() == Measurement.objects.count()
    assert Patient.history.count() == Patient.objects.count() > 30  # the untreated too
