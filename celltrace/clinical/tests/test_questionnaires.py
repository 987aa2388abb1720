from datetime import date, timedelta

from celltrace.clinical.questionnaires import (
    BASELINE,
    CLOSED,
    DONE,
    DUE,
    UPCOMING,
    open_window,
    questionnaires,
    windows,
)

from .registry_builders import plan

PLAN = plan()
DAY_ZERO = date(2026, 1, 10)


def day(n: int) -> date:
    return DAY_ZERO + timedelta(days=n)


def owed(*, today, answered=None, instruments=("pain", "eq5d5l"), day_zero=DAY_ZERO, end=None):
    return questionnaires(
        PLAN,
        instruments=instruments,
        day_zero=day_zero,
        answered=answered or {},
        today=today,
        follow_up_end=end,
    )


def status(found, instrument, timepoint):
    return next(q for q in found if q.instrument == instrument and q.timepoint == timepoint).status


def test_the_windows_are_the_plans_baseline_and_time_points_around_day_zero():
    found = windows(PLAN, DAY_ZERO)
    assert [w.timepoint for w in found] == [
        BASELINE,
        "3 months",
        "6 months",
        "12 months",
        "24 months",
    ]
    assert (found[0].opens, found[0].closes) == (day(-90), DAY_ZERO)
    assert (found[1].opens, found[1].closes) == (day(60), day(120))


def test_a_questionnaire_is_due_while_its_window_is_open_and_unanswered():
    found = owed(today=day(60))
    assert status(found, "pain", "3 months") == DUE
    assert status(found, "eq5d5l", "3 months") == DUE
    assert status(found, "pain", "6 months") == UPCOMING


def test_the_last_day_of_a_window_is_still_in_it_and_the_day_after_is_not():
    assert status(owed(today=day(120)), "pain", "3 months") == DUE
    assert status(owed(today=day(121)), "pain", "3 months") == CLOSED


def test_a_value_in_the_window_answers_it_for_that_instrument_only():
    found = owed(today=day(90), answered={"pain": [day(75)]})
    assert status(found, "pain", "3 months") == DONE
    assert next(
        q for q in found if q.timepoint == "3 months" and q.instrument == "pain"
    ).answered_on == day(75)
    assert status(found, "eq5d5l", "3 months") == DUE


def test_a_value_outside_the_window_does_not_answer_it():
    found = owed(today=day(90), answered={"pain": [day(59), day(125)]})
    assert status(found, "pain", "3 months") == DUE


def test_the_baseline_is_due_before_the_first_dose_and_closes_on_its_day():
    assert status(owed(today=day(-30)), "pain", BASELINE) == DUE
    assert status(owed(today=day(0)), "pain", BASELINE) == DUE
    assert status(owed(today=day(1)), "pain", BASELINE) == CLOSED
    assert status(owed(today=day(-91)), "pain", BASELINE) == UPCOMING


def test_only_one_questionnaire_of_an_instrument_is_open_at_a_time():
    found = owed(today=day(100))
    assert open_window(found, "pain").timepoint == "3 months"
    assert open_window(owed(today=day(130)), "pain") is None  # between 3 and 6 months


def test_nothing_is_owed_without_a_day_zero():
    assert owed(today=day(0), day_zero=None) == []


def test_nothing_more_is_due_once_follow_up_ended_but_answers_stay_done():
    found = owed(today=day(200), answered={"pain": [day(90)]}, end=day(100))
    assert status(found, "pain", "3 months") == DONE
    assert status(found, "eq5d5l", "6 months") == CLOSED
    assert status(found, "eq5d5l", "12 months") == CLOSED


def test_an_instrument_named_twice_is_owed_once():
    found = owed(today=day(60), instruments=("pain", "pain"))
    assert len([q for q in found if q.timepoint == "3 months"]) == 1


def test_before_treatment_only_the_baseline_is_owed():
    found = questionnaires(
        PLAN, instruments=["pain"], day_zero=DAY_ZERO, answered={}, today=day(-5), treated=False
    )
    assert [(q.timepoint, q.status) for q in found] == [(BASELINE, DUE)]
