"""Reading an exam strictly: every problem is an ExamError naming its field."""

from __future__ import annotations

import copy

import pytest

from celltrace.clinical.isncsci import ExamError, parse_exam
from celltrace.clinical.tests.reference_cases import isncsci_cases

EXAM = isncsci_cases()[0]["exam"]


def _with(change) -> dict:
    exam = copy.deepcopy(EXAM)
    change(exam)
    return exam


def _error(exam) -> str:
    with pytest.raises(ExamError) as caught:
        parse_exam(exam)
    return str(caught.value)


def test_it_reads_a_valid_exam_and_writes_it_back_unchanged():
    exam = parse_exam(EXAM)

    assert exam.to_dict() == EXAM
    assert exam.right.motor[0] == EXAM["right"]["motor"]["C5"]
    assert exam.left.light_touch[-1] == EXAM["left"]["lightTouch"]["S4_5"]


def test_it_refuses_a_motor_grade_above_5():
    exam = _with(lambda e: e["right"]["motor"].update(C5="6"))

    assert _error(exam) == "right.motor.C5: '6' is not a motor grade"


def test_it_refuses_a_sensory_grade_that_only_motor_has():
    exam = _with(lambda e: e["left"]["pinPrick"].update(T4="3"))

    assert _error(exam) == "left.pinPrick.T4: '3' is not a sensory grade"


def test_it_refuses_a_grade_given_as_a_number():
    exam = _with(lambda e: e["left"]["motor"].update(L2=5))

    assert _error(exam) == "left.motor.L2: 5 is not a motor grade"


def test_it_refuses_a_grade_given_as_a_list():
    exam = _with(lambda e: e["left"]["lightTouch"].update(C2=["2"]))

    assert _error(exam) == "left.lightTouch.C2: ['2'] is not a sensory grade"


def test_it_names_a_missing_dermatome():
    exam = _with(lambda e: e["right"]["lightTouch"].pop("S4_5"))

    assert _error(exam) == "right.lightTouch.S4_5: missing"


def test_it_names_an_extra_key_muscle():
    exam = _with(lambda e: e["right"]["motor"].update(T2="5"))

    assert _error(exam) == "right.motor.T2: unexpected field"


def test_it_names_a_missing_anal_finding():
    exam = _with(lambda e: e.pop("voluntaryAnalContraction"))

    assert _error(exam) == "voluntaryAnalContraction: missing"


def test_it_refuses_an_anal_finding_outside_yes_no_nt():
    exam = _with(lambda e: e.update(deepAnalPressure="yes"))

    assert _error(exam) == "deepAnalPressure: 'yes' is not one of 'Yes', 'No', 'NT'"


def test_it_names_an_unknown_top_level_field():
    exam = _with(lambda e: e.update(comment="seen in clinic"))

    assert _error(exam) == "comment: unexpected field"


def test_it_refuses_a_side_that_is_not_an_object():
    exam = _with(lambda e: e.update(left="normal"))

    assert _error(exam) == "left: left must be a JSON object, not str"


def test_it_refuses_an_exam_that_is_not_an_object():
    assert _error([EXAM]) == "exam must be a JSON object, not list"


def test_it_accepts_a_lowest_non_key_muscle_between_c5_and_s1():
    exam = parse_exam(_with(lambda e: e["left"].update(lowestNonKeyMuscleWithMotorFunction="T5")))

    assert exam.left.lowest_non_key_muscle == "T5"
    assert exam.right.lowest_non_key_muscle is None


def test_it_refuses_a_lowest_non_key_muscle_above_c5():
    exam = _with(lambda e: e["right"].update(lowestNonKeyMuscleWithMotorFunction="C4"))

    assert _error(exam) == "right.lowestNonKeyMuscleWithMotorFunction: 'C4' is not a level C5..S1"


def test_the_error_keeps_the_field_apart_from_the_problem():
    exam = _with(lambda e: e["right"]["motor"].update(S1="NT***"))

    with pytest.raises(ExamError) as caught:
        parse_exam(exam)

    assert caught.value.field == "right.motor.S1"
    assert caught.value.problem == "'NT***' is not a motor grade"


def test_it_reads_grades_listed_out_of_worksheet_order_as_the_same_exam():
    shuffled = _with(
        lambda e: e["left"].update(
            {part: dict(reversed(e["left"][part].items())) for part in ("motor", "pinPrick")}
        )
    )

    assert parse_exam(shuffled) == parse_exam(EXAM)


def test_it_names_a_missing_dermatome_even_when_the_others_are_out_of_order():
    def change(exam):
        exam["right"]["lightTouch"] = dict(reversed(exam["right"]["lightTouch"].items()))
        del exam["right"]["lightTouch"]["T7"]

    assert _error(_with(change)) == "right.lightTouch.T7: missing"
