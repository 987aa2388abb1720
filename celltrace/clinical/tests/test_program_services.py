from datetime import date

import pytest

from celltrace.clinical.program_services import (
    ARRIVAL,
    DEPARTURE,
    flight_number_problem,
    normalize_flight_number,
    transfer_day_problem,
)

ADMISSION, DISCHARGE = date(2025, 3, 10), date(2025, 3, 15)


@pytest.mark.parametrize("flight", ["LH1234", "lh 1234", "U2815", "BAW12", "9W7", "TP-1350"])
def test_flight_numbers_as_airlines_write_them(flight):
    assert flight_number_problem(flight) == ""


@pytest.mark.parametrize("flight", ["", "LH", "1234", "LH12345", "LUFT12", "LH12A", "12LH"])
def test_other_text_is_not_a_flight_number(flight):
    assert "e.g. LH1234" in flight_number_problem(flight)


def test_a_flight_number_is_kept_in_capitals_without_spaces():
    assert normalize_flight_number(" lh 1234 ") == "LH1234"


@pytest.mark.parametrize("day", [date(2025, 3, 9), ADMISSION])
def test_the_arrival_pickup_is_the_day_before_or_the_day_of_admission(day):
    assert transfer_day_problem(ARRIVAL, day, admission=ADMISSION, discharge=DISCHARGE) == ""


@pytest.mark.parametrize("day", [date(2025, 3, 8), date(2025, 3, 11)])
def test_an_arrival_pickup_on_another_day_is_refused(day):
    problem = transfer_day_problem(ARRIVAL, day, admission=ADMISSION, discharge=DISCHARGE)
    assert "2025-03-09 or 2025-03-10" in problem


@pytest.mark.parametrize("day", [date(2025, 3, 14), DISCHARGE, date(2025, 3, 16)])
def test_the_departure_is_around_the_discharge_day(day):
    assert transfer_day_problem(DEPARTURE, day, admission=ADMISSION, discharge=DISCHARGE) == ""


def test_a_departure_in_the_middle_of_the_stay_is_refused():
    day = date(2025, 3, 12)
    problem = transfer_day_problem(DEPARTURE, day, admission=ADMISSION, discharge=DISCHARGE)
    assert "from 2025-03-14 to 2025-03-16" in problem


def test_an_arrival_names_every_program_service_not_booked():
    from celltrace.clinical.program_services import missing_services

    assert missing_services([]) == [
        "interpreter",
        "arrival transfer",
        "departure transfer",
        "meals",
    ]
    booked = [("meals", ""), ("transfer", "arrival"), ("interpreter", "")]
    assert missing_services(booked) == ["departure transfer"]
