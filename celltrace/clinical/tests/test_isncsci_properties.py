"""Invariants of the ISNCSCI engine over exams the reference cases do not cover."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from celltrace.clinical.isncsci import classify, parse_exam, to_reference_dict
from celltrace.clinical.isncsci.segments import (
    DERMATOMES,
    KEY_MUSCLES,
    MOTOR_GRADES,
    SENSORY_GRADES,
    token_index,
)

ANY_MOTOR = st.sampled_from(sorted(MOTOR_GRADES))
ANY_SENSORY = st.sampled_from(sorted(SENSORY_GRADES))
CLEAN_MOTOR = st.sampled_from(["0", "1", "2", "3", "4", "5"])
CLEAN_SENSORY = st.sampled_from(["0", "1", "2"])
ANY_ANAL = st.sampled_from(["Yes", "No", "NT"])
LEVEL_FIELDS = ("sensoryRight", "sensoryLeft", "motorRight", "motorLeft")


@st.composite
def exams(draw, motor=ANY_MOTOR, sensory=ANY_SENSORY, anal=ANY_ANAL):
    """Draw an exam in the reference JSON form; often intact down to a random segment."""

    def side():
        # Real exams are normal above the injury: keep that shape in most draws.
        cut = draw(st.integers(0, len(DERMATOMES)))
        return {
            "motor": {m: "5" if DERMATOMES.index(m) < cut else draw(motor) for m in KEY_MUSCLES},
            "lightTouch": {d: "2" if i < cut else draw(sensory) for i, d in enumerate(DERMATOMES)},
            "pinPrick": {d: "2" if i < cut else draw(sensory) for i, d in enumerate(DERMATOMES)},
        }

    return {
        "right": side(),
        "left": side(),
        "voluntaryAnalContraction": draw(anal),
        "deepAnalPressure": draw(anal),
    }


CLEAN_EXAMS = exams(CLEAN_MOTOR, CLEAN_SENSORY, st.sampled_from(["Yes", "No"]))


def _result(exam: dict) -> dict:
    return to_reference_dict(classify(parse_exam(exam)))


def _has_nt(values) -> bool:
    return any(v.startswith("NT") for v in values)


@settings(max_examples=300)
@given(exams())
def test_totals_stay_within_the_worksheet_bounds(exam):
    totals = _result(exam)["totals"]
    bounds = {"upperExtremity": 25, "lowerExtremity": 25, "motor": 50, "lightTouch": 56}
    bounds["pinPrick"] = 56
    for side in ("right", "left"):
        for name, top in bounds.items():
            value = totals[side][name]
            assert value == "ND" or 0 <= int(value) <= top
    for name in ("upperExtremity", "lowerExtremity", "lightTouch", "pinPrick"):
        value = totals[name]
        assert value == "ND" or 0 <= int(value) <= 2 * bounds[name]


@settings(max_examples=300)
@given(exams())
def test_a_total_is_not_determinable_exactly_when_its_part_has_an_untested_point(exam):
    totals = _result(exam)["totals"]
    for side in ("right", "left"):
        motor = list(exam[side]["motor"].values())
        parts = {
            "upperExtremity": motor[:5],
            "lowerExtremity": motor[5:],
            "motor": motor,
            "lightTouch": exam[side]["lightTouch"].values(),
            "pinPrick": exam[side]["pinPrick"].values(),
        }
        for name, values in parts.items():
            assert (totals[side][name] == "ND") == _has_nt(values)


@settings(max_examples=300)
@given(exams())
def test_every_level_list_runs_rostral_to_caudal_without_repeats(exam):
    classification = _result(exam)["classification"]
    lists = [classification["neurologicalLevels"][f] for f in LEVEL_FIELDS]
    lists += [classification["zoneOfPartialPreservations"][f] for f in LEVEL_FIELDS]
    lists.append(classification["neurologicalLevelOfInjury"])
    for value in lists:
        indexes = [token_index(token) for token in value.split(",")]
        assert indexes == sorted(set(indexes))


@settings(max_examples=300)
@given(exams())
def test_the_impairment_scale_lists_grades_in_order(exam):
    scale = _result(exam)["classification"]["ASIAImpairmentScale"]
    letters = [grade.rstrip("*") for grade in scale.split(",")]
    assert letters == sorted(set(letters))
    assert set(letters) <= set("ABCDE")


@given(st.sampled_from(["Yes", "No", "NT"]))
def test_an_all_normal_exam_with_anal_contraction_is_grade_e(deep_anal_pressure):
    side = {
        "motor": dict.fromkeys(KEY_MUSCLES, "5"),
        "lightTouch": dict.fromkeys(DERMATOMES, "2"),
        "pinPrick": dict.fromkeys(DERMATOMES, "2"),
    }
    exam = {
        "right": side,
        "left": side,
        "voluntaryAnalContraction": "Yes",
        "deepAnalPressure": deep_anal_pressure,
    }

    result = _result(exam)

    classification = result["classification"]
    assert classification["ASIAImpairmentScale"] == "E"
    assert classification["neurologicalLevelOfInjury"] == "INT"
    assert set(classification["neurologicalLevels"].values()) == {"INT"}
    assert classification["injuryComplete"] == "I"
    assert result["totals"]["lightTouch"] == "112"
    assert result["totals"]["lowerExtremity"] == "50"


@settings(max_examples=300)
@given(CLEAN_EXAMS)
def test_a_fully_tested_exam_without_stars_has_one_answer_for_each_level(exam):
    classification = _result(exam)["classification"]

    values = [classification["neurologicalLevels"][f] for f in LEVEL_FIELDS]
    values += [classification["neurologicalLevelOfInjury"], classification["injuryComplete"]]
    values.append(classification["ASIAImpairmentScale"])
    assert all("," not in value and "*" not in value for value in values)


@settings(max_examples=300)
@given(CLEAN_EXAMS)
def test_the_nli_of_a_fully_tested_exam_is_the_most_rostral_of_the_four_levels(exam):
    classification = _result(exam)["classification"]

    levels = classification["neurologicalLevels"]
    # Without anal contraction the motor level stops at S3, yet the NLI (like the
    # reference's) is read from the segments only: there S3 counts as intact.
    motor = [levels["motorRight"], levels["motorLeft"]]
    motor = ["INT" if level == "S3" else level for level in motor]
    indexes = [token_index(v) for v in (levels["sensoryRight"], levels["sensoryLeft"], *motor)]
    assert token_index(classification["neurologicalLevelOfInjury"]) == min(indexes)


@settings(max_examples=300)
@given(CLEAN_EXAMS)
def test_grade_a_is_given_exactly_to_a_complete_injury(exam):
    classification = _result(exam)["classification"]

    complete = classification["injuryComplete"] == "C"
    assert (classification["ASIAImpairmentScale"] == "A") == complete


@settings(max_examples=300)
@given(exams())
def test_anal_contraction_or_deep_anal_pressure_makes_the_injury_incomplete(exam):
    result = _result(exam)["classification"]["injuryComplete"]
    if "Yes" in (exam["voluntaryAnalContraction"], exam["deepAnalPressure"]):
        assert result in ("I", "I*")


@settings(max_examples=200)
@given(exams())
def test_an_exam_reads_back_to_the_same_json(exam):
    assert parse_exam(exam).to_dict() == exam
