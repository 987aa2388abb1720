from datetime import datetime, timedelta

import pytest

from celltrace.clinical.qc import (
    Result,
    Spec,
    assess,
    endotoxin_limit,
    exceptional_release_problems,
    implausibility,
    release_blockers,
)

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


def test_a_failed_result_blocks_release():
    results = [*passing(), Result("viability", False, T0 + timedelta(hours=1))]
    (problem,) = blockers(results)
    assert problem.startswith("Viability: a result failed (≥ 70 % needed)")


def test_a_later_passing_result_never_hides_a_failure():
    results = [Result("viability", True, T0 + timedelta(hours=2)), *passing()[:1]]
    results.append(Result("viability", False, T0))
    (problem,) = blockers(results)
    assert "only an investigation" in problem


def test_a_failure_under_open_investigation_still_blocks_release():
    failed = Result("viability", False, T0, under_investigation=True)
    assert blockers([*passing(), failed]) == ["Viability: a failed result is under investigation."]


def test_a_failure_invalidated_as_laboratory_error_lets_the_retest_decide():
    failed = Result("viability", False, T0, invalidated=True)
    assert blockers([*passing(), failed]) == []
    assert blockers([passing()[0], failed]) == ["Viability: no result yet."]


def test_a_confirmed_failure_leaves_the_lot_out_of_specification():
    failed = Result("viability", False, T0, confirmed=True)
    assert blockers([*passing(), failed]) == ["Viability: out of specification (confirmed)."]


def test_a_culture_that_may_follow_the_release_is_not_awaited():
    rapid = Spec("sterility_bacterial", "Sterility (bacterial)", release_before_result=True)
    assert blockers(passing()[1:], specs=(rapid, VIABILITY)) == []
    positive = Result("sterility_bacterial", False, T0)
    assert blockers([positive, *passing()[1:]], specs=(rapid, VIABILITY))


def test_an_exceptional_release_is_for_a_lot_that_failed_and_lacks_no_result():
    failed = Result("viability", False, T0, confirmed=True)
    assert exceptional_release_problems((STERILITY, VIABILITY), [passing()[0], failed]) == []
    assert exceptional_release_problems((STERILITY, VIABILITY), [failed])
    assert exceptional_release_problems((STERILITY, VIABILITY), passing())


@pytest.mark.parametrize(
    ("spec", "value"),
    [
        (Spec("purity", "Purity", minimum=90.0, unit="% marker-positive"), 150.0),
        (VIABILITY, 250.0),
        (VIABILITY, -1.0),
        (ENDOTOXIN, -1.0),
        (Spec("cell_count", "Cell count", minimum=1e7, unit="cells"), -5.0),
        (VIABILITY, float("nan")),
        (ENDOTOXIN, float("inf")),
    ],
)
def test_an_impossible_value_is_an_error_not_a_result(spec, value):
    assert implausibility(spec, value)
    with pytest.raises(ValueError, match="impossible|not a measured value"):
        assess(spec, value=value)


@pytest.mark.parametrize("value", [0.0, 100.0])
def test_a_percentage_may_be_0_or_100(value):
    assert implausibility(VIABILITY, value) == ""


def test_a_count_has_no_upper_plausibility_limit():
    assert implausibility(ENDOTOXIN, 1e6) == ""


def test_the_published_intrathecal_endotoxin_example():
    # 3 mL intrathecal for 60 kg: M = 0.05 mL/kg, K = 0.2 EU/kg, K/M = 4 EU/mL.
    assert endotoxin_limit(route="intrathecal", weight_kg=60, volume_ml=3) == pytest.approx(4.0)


def test_a_parenteral_endotoxin_limit_uses_k_5():
    assert endotoxin_limit(route="intravenous", weight_kg=70, volume_ml=100) == pytest.approx(3.5)
    assert endotoxin_limit(route="local", weight_kg=60, volume_ml=3) == pytest.approx(100.0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"route": "intravenous", "weight_kg": 0, "volume_ml": 3},
        {"route": "intravenous", "weight_kg": 60, "volume_ml": 0},
        {"route": "nasal", "weight_kg": 60, "volume_ml": 3},
    ],
)
def test_an_endotoxin_limit_needs_a_known_route_weight_and_volume(kwargs):
    with pytest.raises(ValueError):
        endotoxin_limit(**kwargs)


def test_a_limit_computed_for_the_patient_cannot_judge_without_one():
    computed = Spec("endotoxin", "Endotoxin", unit="EU/mL", limit_from_dose=True)
    assert not computed.is_pass_fail
    with pytest.raises(ValueError, match="no limit is known"):
        assess(computed, value=0.1)


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
