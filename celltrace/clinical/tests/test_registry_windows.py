"""Which value is the baseline, which counts at a time point, and each visit's status."""

import pytest

from celltrace.clinical.registry.inputs import DIED, WITHDRAWN
from celltrace.clinical.registry.windows import patient_courses
from testkit.registry_cohort import cohort_of, latest_plan, reading, treated

PLAN = latest_plan()


def course(readings=(), *, ended=None, cutoff_day=1000, condition="ms"):
    (only,) = patient_courses(
        cohort_of([treated(1, ended=ended)], readings, condition=condition, cutoff_day=cutoff_day),
        PLAN,
    )
    return only


def visit(one_course, name):
    return next(v for v in one_course.visits if v.timepoint.name == name)


def test_the_baseline_is_the_last_value_from_day_minus_90_to_day_0():
    chosen = course([reading(1, "edss", d, v) for d, v in ((-90, 3.0), (-10, 3.5), (0, 4.0))])
    assert chosen.baselines["edss"].value == 4.0


def test_a_value_before_day_minus_90_or_after_day_0_is_no_baseline():
    chosen = course([reading(1, "edss", -91, 3.0), reading(1, "edss", 1, 3.5)])
    assert "edss" not in chosen.baselines


@pytest.mark.parametrize(("day", "counted"), [(59, False), (60, True), (120, True), (121, False)])
def test_the_3_month_window_holds_days_60_to_120(day, counted):
    chosen = visit(course([reading(1, "pain", day, 4.0)]), "3 months")
    assert ("pain" in chosen.readings) is counted
    assert chosen.status == ("assessed" if counted else "missed")


def test_of_several_values_in_a_window_the_one_nearest_the_target_day_counts():
    # 3 months: target day 91. Day 100 is 9 days off, day 70 is 21.
    chosen = visit(course([reading(1, "pain", 70, 2.0), reading(1, "pain", 100, 5.0)]), "3 months")
    assert chosen.readings["pain"].value == 5.0


def test_on_a_tie_the_earlier_value_counts():
    later_first = [reading(1, "pain", 101, 5.0), reading(1, "pain", 81, 2.0)]
    assert visit(course(later_first), "3 months").readings["pain"].value == 2.0


def test_a_value_after_the_cut_off_never_counts():
    chosen = course([reading(1, "pain", 0, 6.0), reading(1, "pain", 101, 5.0)], cutoff_day=100)
    assert visit(chosen, "3 months").readings == {}
    assert visit(chosen, "3 months").status == "not_yet_due"


def test_a_window_ending_on_the_cut_off_is_due():
    assert visit(course(cutoff_day=119), "3 months").status == "not_yet_due"
    assert visit(course(cutoff_day=120), "3 months").status == "missed"


def test_a_value_in_the_window_before_the_cut_off_is_assessed_even_if_the_window_is_open():
    chosen = course([reading(1, "pain", 90, 5.0)], cutoff_day=95)
    assert visit(chosen, "3 months").status == "assessed"


@pytest.mark.parametrize("reason", [DIED, WITHDRAWN])
def test_follow_up_ended_before_a_window_closes_explains_the_missing_value(reason):
    chosen = course([reading(1, "pain", 90, 5.0)], ended=(200, reason))
    statuses = [v.status for v in chosen.visits]
    # Assessed at 3 months; ended on day 200, inside the 6-month window (150-240).
    assert statuses == ["assessed", reason, reason, reason]


def test_a_value_in_the_window_before_follow_up_ended_still_counts():
    chosen = course([reading(1, "pain", 160, 5.0)], ended=(200, DIED))
    assert visit(chosen, "6 months").status == "assessed"


def test_follow_up_ending_on_the_windows_last_day_leaves_the_visit_missed():
    chosen = course(ended=(120, WITHDRAWN))
    assert [v.status for v in chosen.visits] == ["missed", "withdrawn", "withdrawn", "withdrawn"]


def test_death_is_reported_even_when_the_window_is_not_yet_due():
    chosen = course(ended=(30, DIED), cutoff_day=100)
    assert visit(chosen, "24 months").status == "died"


def test_readings_of_instruments_outside_the_conditions_plan_are_ignored():
    chosen = course([reading(1, "hba1c", 90, 7.0)])  # an MS report has no HbA1c outcome
    assert visit(chosen, "3 months").status == "missed"
