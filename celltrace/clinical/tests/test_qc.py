from datetime import datetime, timedelta

import pytest

from celltrace.clinical.qc import Result, Spec, assess, release_blockers

STERILITY = Spec("sterility_bacterial", "Sterility (bacterial)")
VIABILITY = Spec("viability", "Viability", minimum=70.0, unit="%")
ENDOTOXIN = Spec("endotoxin", "Endotoxin", maximum=0.5, unit="EU/mL")
T0 = datetime(2030, 3, 1, 9, 0)


@pytest.mark.parametrize(("value", "ok"), [(69.9, False), (70.0, True), (98.0, True)])
def test_a_minimum_is_inclusive(value, ok):
    assert assess(VIABILITY, value=value) is ok


@pytest.mark.parametrize(("value", "ok"), [(0.5, True), (0.51, False)])
def test_a_maximum_is_inclusive(value, ok):
    assert assess(ENDOTOXIN, value=value) is ok


def test_a_range_needs_both_limits():
    purity = Spec("purity", "Purity", minimum=90.0, maximum=100.0)
    assert assess(purity, value=95.0) is True
    assert assess(purity, value=100.1) is False


def test_a_pass_fail_test_takes_the_recorded_verdict():
    assert assess(STERILITY, passed=True) is True
    assert assess(STERILITY, passed=False) is False


def test_a_numeric_test_never_takes_a_typed_in_verdict():
    with pytest.raises(ValueError, match="verdict is computed"):
        assess(VIABILITY, value=50.0, passed=True)


def test_a_numeric_test_needs_a_value():
    with pytest.raises(ValueError, match="needs a measured value"):
        assess(VIABILITY)


def test_a_pass_fail_test_needs_a_verdict_and_no_value():
    with pytest.raises(ValueError):
        assess(STERILITY)
    with pytest.raises(ValueError):
        assess(STERILITY, value=1.0, passed=True)


def blockers(results, *, specs=(STERILITY, VIABILITY), reviewer_id=2, **kwargs):
    kwargs.setdefault("status", "in_process")
    return release_blockers(specs, results, made_by_id=1, reviewer_id=reviewer_id, **kwargs)


def passing():
    return [Result("sterility_bacterial", True, T0), Result("viability", True, T0)]


def test_a_lot_whose_every_test_passed_may_be_released():
    assert blockers(passing()) == []


def test_a_missing_result_blocks_release():
    assert blockers(passing()[:1]) == ["Viability: no result yet."]


def test_a_failed_latest_result_blocks_release():
    results = [*passing(), Result("viability", False, T0 + timedelta(hours=1))]
    assert blockers(results) == ["Viability: the latest result failed (≥ 70 % needed)."]


def test_a_passing_retest_replaces_an_earlier_failure():
    results = [Result("viability", True, T0 + timedelta(hours=2)), *passing()[:1]]
    results.append(Result("viability", False, T0))
    assert blockers(results) == []


def test_the_person_who_made_the_lot_cannot_release_it():
    (problem,) = blockers(passing(), reviewer_id=1)
    assert "did not make it" in problem


def test_a_person_who_recorded_a_step_cannot_release_it():
    assert blockers(passing(), reviewer_id=3, worked_by_ids=[3])


def test_only_a_lot_in_process_can_be_released():
    assert blockers(passing(), status="released") == ["The lot is released, not in process."]


def test_an_expired_lot_cannot_be_released():
    assert blockers(passing(), expired=True) == ["The lot has expired."]


def test_a_product_without_specifications_cannot_be_released():
    assert blockers([], specs=())


def test_a_criterion_reads_like_the_specification_sheet():
    assert Spec("cell_count", "Cell count", minimum=1e7, unit="cells").describe() == (
        "≥ 1.0 × 10⁷ cells"
    )
    assert ENDOTOXIN.describe() == "≤ 0.5 EU/mL"
    assert Spec("viability", "Viability", minimum=70.0, maximum=100.0, unit="%").describe() == (
        "70 to 100 %"
    )
    assert STERILITY.describe() == "pass"
