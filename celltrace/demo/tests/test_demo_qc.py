"""The demo shows an investigation that found a laboratory error and an exceptional release."""

from celltrace.lab.models import ExceptionalRelease, Investigation, ProductLot
from celltrace.stays.models import Administration


def test_one_lot_failed_viability_was_invalidated_as_lab_error_and_passed_its_retest(demo):
    investigation = Investigation.objects.get(conclusion=Investigation.Conclusion.LAB_ERROR)
    (failed,) = investigation.results.all()
    assert failed.passed is False
    retest = investigation.lot.qc_results.get(specification=failed.specification, passed=True)
    assert retest.tested_at >= failed.tested_at
    assert investigation.lot.status == ProductLot.Status.RELEASED
    assert not investigation.lot.exceptional


def test_one_lot_that_failed_was_released_exceptionally_and_given(demo):
    record = ExceptionalRelease.objects.get()
    lot = record.lot
    assert lot.exceptional and lot.status == ProductLot.Status.RELEASED
    assert record.released_by == lot.site.medical_director
    assert record.accepted_by == lot.plan.created_by
    assert Investigation.objects.get(lot=lot).conclusion == Investigation.Conclusion.CONFIRMED
    assert Administration.objects.filter(lot=lot).exists()
