from datetime import UTC, date, time, timedelta

import pytest

from celltrace.clinical.dosing import (
    DayDose,
    DoseLimit,
    DoseRequest,
    check_admission,
    check_content,
    check_cumulative,
    check_day_of_stay,
    check_dose,
    check_planned_time,
    check_source,
    check_stay_length,
    check_weight,
    day_of_stay,
    plan_cumulative_problems,
    stay_days,
)

LIMIT = DoseLimit("msc-uc-allo", "intravenous", 2_000_000.0)
TODAY = date(2030, 3, 1)


def check_stay(admission, discharge, *, today):
    """The two date checks the plan action makes, together."""
    return check_admission(admission, today=today) + check_stay_length(admission, discharge)


def request(dose, *, route="intravenous", product="msc-uc-allo", weight=70.0):
    return DoseRequest(product, route, dose, weight)


def test_a_dose_exactly_at_the_maximum_passes():
    assert check_dose(request(2_000_000.0), LIMIT) == []


def test_a_dose_one_cell_above_the_maximum_is_refused():
    (problem,) = check_dose(request(2_000_001.0), LIMIT)
    assert problem == (
        "2.000001 × 10⁶ viable cells/kg is above the maximum safe dose of "
        "2.0 × 10⁶ viable cells/kg for msc-uc-allo by the intravenous route."
    )


@pytest.mark.parametrize("dose", [0.0, -1.0, float("nan"), float("inf")])
def test_a_dose_that_is_not_a_positive_number_is_refused(dose):
    assert check_dose(request(dose), LIMIT) == ["The dose must be a positive number per kg."]


def test_a_route_without_a_known_limit_is_not_allowed():
    (problem,) = check_dose(request(1.0), None)
    assert "not allowed" in problem


def test_a_limit_of_another_route_does_not_allow_the_dose():
    (problem,) = check_dose(request(1.0, route="intrathecal"), LIMIT)
    assert "No maximum safe dose is known" in problem


@pytest.mark.parametrize("weight", [20.0, 70.0, 250.0])
def test_weights_from_20_to_250_kg_pass(weight):
    assert check_weight(weight) == []


@pytest.mark.parametrize("weight", [19.9, 250.1, float("nan")])
def test_weights_outside_20_to_250_kg_are_refused(weight):
    assert check_weight(weight)


def test_a_stay_counts_admission_and_discharge_days():
    assert stay_days(date(2030, 3, 1), date(2030, 3, 5)) == 5


@pytest.mark.parametrize("days", [5, 9])
def test_stays_of_5_and_9_days_pass(days):
    assert check_stay(TODAY, TODAY + timedelta(days=days - 1), today=TODAY) == []


@pytest.mark.parametrize("days", [4, 10])
def test_stays_of_4_and_10_days_are_refused(days):
    (problem,) = check_stay(TODAY, TODAY + timedelta(days=days - 1), today=TODAY)
    assert f"these dates give {days}" in problem


def test_a_discharge_before_the_admission_is_refused():
    assert check_stay(TODAY, TODAY - timedelta(days=3), today=TODAY)


def test_an_admission_in_the_past_is_refused():
    problems = check_stay(TODAY - timedelta(days=1), TODAY + timedelta(days=5), today=TODAY)
    assert problems == ["The admission date is in the past."]


@pytest.mark.parametrize(("day", "ok"), [(0, False), (1, True), (6, True), (7, False)])
def test_an_administration_falls_within_the_stay(day, ok):
    assert (check_day_of_stay(day, 6) == []) is ok


@pytest.mark.parametrize(
    ("planned", "ok"),
    [(time(7, 0), True), (time(10, 0), True), (time(20, 0), True), (time(6, 59), False)]
    + [(time(20, 1), False), (time(0, 0), False), (time(23, 30), False)],
)
def test_a_dose_is_planned_within_the_clinics_working_window(planned, ok):
    assert (check_planned_time(planned) == []) is ok


def test_a_time_outside_the_window_is_refused_saying_the_window():
    assert check_planned_time(time(21, 15)) == [
        "21:15 is outside the clinic's working hours: plan the dose from 07:00 to 20:00."
    ]


@pytest.mark.parametrize("planned", [None, "10:00", 10, time(10, 0, tzinfo=UTC)])
def test_a_planned_time_that_is_not_a_local_time_of_day_is_refused(planned):
    assert check_planned_time(planned) == [
        "Give the planned time as hours and minutes (HH:MM), from 07:00 to 20:00."
    ]


def test_own_cells_are_refused_when_the_screening_allows_donor_products_only():
    assert check_source("autologous", donor_products_only=True)
    assert check_source("allogeneic", donor_products_only=True) == []
    assert check_source("autologous", donor_products_only=False) == []


def test_day_one_of_the_stay_is_the_admission_day():
    from datetime import date

    from celltrace.clinical.dosing import planned_day

    assert planned_day(date(2025, 2, 27), 1) == date(2025, 2, 27)
    assert planned_day(date(2025, 2, 27), 3) == date(2025, 3, 1)


# --- cumulative ceilings: per day and per course, per product and route -----------------

CUMULATIVE = DoseLimit("msc-uc-allo", "intravenous", 2e6, 2e6, 6e6)


def day_dose(day, dose=2e6, product="msc-uc-allo", route="intravenous"):
    return DayDose(product, route, day, dose)


def test_one_full_dose_a_day_on_three_days_is_within_the_ceilings():
    doses = [day_dose(2), day_dose(3), day_dose(4)]
    assert plan_cumulative_problems(doses, {("msc-uc-allo", "intravenous"): CUMULATIVE}) == {}


def test_two_full_doses_on_one_day_refuse_the_second():
    doses = [day_dose(2), day_dose(2)]
    problems = plan_cumulative_problems(doses, {("msc-uc-allo", "intravenous"): CUMULATIVE})
    assert problems == {
        1: "4.0 × 10⁶ viable cells/kg of msc-uc-allo by the intravenous route on day 2 is above "
        "the maximum of 2.0 × 10⁶ viable cells/kg."
    }


def test_five_full_doses_refuse_those_past_the_course_ceiling():
    doses = [day_dose(day) for day in (5, 1, 2, 3, 4)]
    problems = plan_cumulative_problems(doses, {("msc-uc-allo", "intravenous"): CUMULATIVE})
    # Counted in day order: days 1 to 3 fit, days 4 (index 4) and 5 (index 0) do not.
    assert sorted(problems) == [0, 4]
    assert "8.0 × 10⁶ viable cells/kg" in problems[4] and "in the course" in problems[4]


def test_other_products_and_routes_count_apart():
    doses = [day_dose(2), day_dose(2, route="intrathecal"), day_dose(2, product="msc-bm-allo")]
    assert plan_cumulative_problems(doses, {("msc-uc-allo", "intravenous"): CUMULATIVE}) == {}


def test_at_the_bedside_what_was_given_counts():
    given = [day_dose(2, 1e6), day_dose(3, 2e6), day_dose(3, 9e6, route="local")]
    assert check_cumulative(CUMULATIVE, dose=1e6, day=2, already=given) == []
    assert check_cumulative(CUMULATIVE, dose=1.5e6, day=2, already=given) == [
        "2.5 × 10⁶ viable cells/kg of msc-uc-allo by the intravenous route on day 2 is above "
        "the maximum of 2.0 × 10⁶ viable cells/kg."
    ]
    assert (
        "in the course"
        in check_cumulative(CUMULATIVE, dose=2e6, day=4, already=[*given, day_dose(1, 2e6)])[0]
    )


def test_no_ceiling_set_means_only_the_single_dose_limit_applies():
    limit = DoseLimit("msc-uc-allo", "intravenous", 2e6)
    assert check_cumulative(limit, dose=2e6, day=2, already=[day_dose(2)] * 4) == []


def test_a_lot_must_hold_the_dose_for_the_patients_weight():
    assert check_content("L-1", content=7.2e7, dose=1e6, weight_kg=72, unit="viable_cells") == []
    assert check_content("L-1", content=5e7, dose=1e6, weight_kg=72, unit="viable_cells") == [
        "Lot L-1 holds 5.0 × 10⁷ viable cells; the dose of 1.0 × 10⁶ viable cells/kg at 72 kg "
        "needs 7.2 × 10⁷ viable cells."
    ]
    assert (
        "no viable content on record"
        in check_content("L-1", content=None, dose=1e6, weight_kg=72, unit="viable_cells")[0]
    )


def test_the_day_of_the_stay_counts_calendar_days_from_the_plans_admission_date():
    first = date(2026, 3, 9)
    assert [day_of_stay(first, first + timedelta(days=n)) for n in (-1, 0, 1, 5)] == [0, 1, 2, 6]
