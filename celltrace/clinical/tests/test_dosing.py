from datetime import date, timedelta

import pytest

from celltrace.clinical.dosing import (
    DoseLimit,
    DoseRequest,
    check_admission,
    check_day_of_stay,
    check_dose,
    check_source,
    check_stay_length,
    check_weight,
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
        "2.000001 × 10⁶ cells/kg is above the maximum safe dose of 2.0 × 10⁶ cells/kg "
        "for msc-uc-allo by the intravenous route."
    )


@pytest.mark.parametrize("dose", [0.0, -1.0, float("nan"), float("inf")])
def test_a_dose_that_is_not_a_positive_number_is_refused(dose):
    assert check_dose(request(dose), LIMIT) == [
        "The dose must be a positive number of cells per kg."
    ]


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


def test_own_cells_are_refused_when_the_screening_allows_donor_products_only():
    assert check_source("autologous", donor_products_only=True)
    assert check_source("allogeneic", donor_products_only=True) == []
    assert check_source("autologous", donor_products_only=False) == []


def test_day_one_of_the_stay_is_the_admission_day():
    from datetime import date

    from celltrace.clinical.dosing import planned_day

    assert planned_day(date(2025, 2, 27), 1) == date(2025, 2, 27)
    assert planned_day(date(2025, 2, 27), 3) == date(2025, 3, 1)
