"""The EDSS step: reference calculators' cases, the documented decisions, and its properties."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from celltrace.clinical.edss import (
    EDSS_STEPS,
    FunctionalSystems,
    FunctionalSystemsError,
    functional_step,
    score_edss,
)
from celltrace.clinical.tests.reference_cases import edss_cases

HIGHEST = {
    "visual": 6,
    "brainstem": 5,
    "pyramidal": 6,
    "cerebellar": 5,
    "sensory": 6,
    "bowel_bladder": 6,
    "cerebral": 5,
    "ambulation": 16,
}


def load_reference_cases() -> list[dict]:
    """Load the public calculators' vectors, renamed to this engine's raw fields."""
    data = edss_cases()
    assert len(data["cases"]) == data["n_cases"] == 96
    cases = []
    for case in data["cases"]:
        grades = dict(case["inputs"])
        grades["visual"] = grades.pop("visual_raw")
        grades["bowel_bladder"] = grades.pop("bowel_bladder_raw")
        cases.append({"id": case["id"], "grades": grades, "expected": case["expected_edss"]})
    return cases


REFERENCE_CASES = load_reference_cases()


def sheet(**grades: int) -> FunctionalSystems:
    """Build a scoring sheet that is normal except for the named grades."""
    return FunctionalSystems(**({name: 0 for name in HIGHEST} | grades))


def edss(**grades: int) -> float:
    return score_edss(sheet(**grades)).edss


@pytest.mark.parametrize("case", REFERENCE_CASES, ids=[c["id"] for c in REFERENCE_CASES])
def test_it_reproduces_the_public_calculators_cases(case):
    assert score_edss(FunctionalSystems(**case["grades"])).edss == case["expected"]


# --- conversions -------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "converted"), list(enumerate([0, 1, 2, 2, 3, 3, 4])))
def test_it_converts_the_raw_visual_grade_as_neurostatus_does(raw, converted):
    assert sheet(visual=raw).converted_grades()[0] == converted


@pytest.mark.parametrize(("raw", "converted"), list(enumerate([0, 1, 2, 3, 3, 4, 5])))
def test_it_converts_the_raw_bowel_bladder_grade_as_neurostatus_does(raw, converted):
    assert sheet(bowel_bladder=raw).converted_grades()[5] == converted


# --- validation --------------------------------------------------------------------------


@pytest.mark.parametrize("field", HIGHEST)
def test_it_refuses_a_grade_above_its_scale_naming_the_field_and_range(field):
    with pytest.raises(FunctionalSystemsError) as raised:
        sheet(**{field: HIGHEST[field] + 1})
    assert raised.value.field == field
    assert str(raised.value) == (
        f"{field} must be an integer from 0 to {HIGHEST[field]}, got {HIGHEST[field] + 1}"
    )


@pytest.mark.parametrize("field", HIGHEST)
def test_it_refuses_a_negative_grade(field):
    with pytest.raises(FunctionalSystemsError, match=f"^{field} must be an integer from 0 to"):
        sheet(**{field: -1})


@pytest.mark.parametrize("value", [True, 2.0, "2", None])
def test_it_refuses_a_grade_that_is_not_an_integer(value):
    with pytest.raises(FunctionalSystemsError, match="^pyramidal must be an integer"):
        sheet(pyramidal=value)


def test_its_error_is_a_value_error_for_callers_that_catch_those():
    assert issubclass(FunctionalSystemsError, ValueError)


def test_it_accepts_the_top_of_every_scale():
    assert sheet(**HIGHEST).ambulation == 16


def test_the_scoring_sheet_cannot_be_changed_after_it_is_made():
    with pytest.raises(dataclasses.FrozenInstanceError):
        sheet().pyramidal = 3


# --- decisions the reference cases do not pin (docs/clinical/edss.md) ---------------------


def test_it_ignores_cerebral_grade_1_alone_as_kurtzke_does():
    assert edss(cerebral=1) == 0.0


def test_it_does_not_count_cerebral_grade_1_as_a_second_grade_1():
    assert edss(cerebral=1, sensory=1) == 1.0


def test_it_counts_cerebral_grade_2_like_any_other_system():
    assert edss(cerebral=2) == 2.0
    assert edss(cerebral=2, pyramidal=2) == 2.5


def test_it_gives_fully_ambulatory_at_least_step_2():
    assert edss(ambulation=1) == 2.0
    assert edss(ambulation=1, cerebral=1) == 2.0


def test_it_leaves_a_lone_grade_4_at_4_when_the_patient_is_fully_ambulatory():
    assert edss(pyramidal=4, ambulation=1) == 4.0


def test_it_lets_the_functional_systems_reach_5_when_walking_300_metres():
    assert edss(pyramidal=5, ambulation=2) == 5.0
    assert edss(pyramidal=4, cerebellar=4, ambulation=2) == 5.0


def test_it_puts_a_grade_4_with_a_grade_2_at_4_5():
    assert edss(pyramidal=4, sensory=2) == 4.5


def test_it_puts_a_grade_4_with_three_grade_3s_at_5():
    assert edss(pyramidal=4, sensory=3, cerebellar=3, brainstem=3) == 5.0


def test_it_puts_two_grade_3s_with_a_grade_2_at_4():
    assert edss(pyramidal=3, cerebellar=3, sensory=2) == 4.0


def test_it_explains_which_reading_set_the_step():
    score = score_edss(sheet(pyramidal=3, ambulation=4))
    assert (score.functional_step, score.ambulation_step, score.edss) == (3.0, 5.5, 5.5)


# --- properties --------------------------------------------------------------------------

sheets = st.builds(
    FunctionalSystems, **{name: st.integers(0, top) for name, top in HIGHEST.items()}
)


@settings(max_examples=1000)
@given(sheets, st.sampled_from(list(HIGHEST)))
def test_raising_any_grade_never_lowers_the_edss(systems, field):
    value = getattr(systems, field)
    if value == HIGHEST[field]:
        return
    raised = dataclasses.replace(systems, **{field: value + 1})
    assert score_edss(raised).edss >= score_edss(systems).edss


@given(sheets)
def test_the_edss_is_always_an_allowed_step(systems):
    score = score_edss(systems)
    assert score.edss in EDSS_STEPS
    assert score.edss != 0.5
    assert score.functional_step <= 5.0


@given(sheets, st.integers(12, 16))
def test_ambulation_12_or_more_pins_the_edss_between_8_and_10(systems, ambulation):
    score = score_edss(dataclasses.replace(systems, ambulation=ambulation))
    assert 8.0 <= score.edss <= 10.0
    assert score.edss == 8.0 + (ambulation - 12) * 0.5


@given(sheets)
def test_ambulation_from_3_on_sets_the_step_whatever_the_systems(systems):
    if systems.ambulation >= 3:
        normal = sheet(ambulation=systems.ambulation)
        assert score_edss(systems).edss == score_edss(normal).edss


@given(st.lists(st.integers(0, 5), min_size=7, max_size=7))
def test_the_step_does_not_depend_on_which_system_carries_a_grade(grades):
    assert functional_step(tuple(grades)) == functional_step(tuple(sorted(grades)))
