"""The all-inclusive program's services: when an airport transfer may be booked, and flights.

A transfer belongs to the stay: the arrival pickup on the day before admission or on the
admission day, the departure around the discharge day (a late flight the day after, an
early one the day before). Anything else is a typing error or a booking for another stay.
"""

import re
from collections.abc import Iterable
from datetime import date, timedelta

ARRIVAL = "arrival"
DEPARTURE = "departure"

# An IATA airline code (two letters or digits) or an ICAO one (three letters), then 1-4
# digits: LH1234, U2 815, BAW12.
_FLIGHT = re.compile(r"(?:[A-Z]{3}|[A-Z][A-Z0-9]|[0-9][A-Z])[0-9]{1,4}")


def normalize_flight_number(text: str) -> str:
    """Write a flight number as airlines print it on a ticket: capitals, no spaces."""
    return re.sub(r"[\s-]", "", text).upper()


def flight_number_problem(text: str) -> str:
    """Return why a flight number is not one ("" when it is)."""
    if _FLIGHT.fullmatch(normalize_flight_number(text)):
        return ""
    return "A flight number is the airline's 2 or 3 character code and 1 to 4 digits, e.g. LH1234."


def transfer_window(direction: str, *, admission: date, discharge: date) -> tuple[date, date]:
    """Return the first and last day a transfer of this direction may be booked on."""
    if direction == ARRIVAL:
        return admission - timedelta(days=1), admission
    return discharge - timedelta(days=1), discharge + timedelta(days=1)


def transfer_day_problem(direction: str, day: date, *, admission: date, discharge: date) -> str:
    """Return why a transfer cannot be on this day ("" when it can)."""
    first, last = transfer_window(direction, admission=admission, discharge=discharge)
    if first <= day <= last:
        return ""
    if direction == ARRIVAL:
        return (
            "An arrival transfer is on the day before admission or the admission day "
            f"({first} or {last})."
        )
    return f"A departure transfer is around the discharge day, from {first} to {last}."


INTERPRETER, TRANSFER, MEALS = "interpreter", "transfer", "meals"
# What the all-inclusive program promises every patient who travels in (DOMAIN section 5).
PROGRAM_SERVICES = (
    ((INTERPRETER, ""), "interpreter"),
    ((TRANSFER, ARRIVAL), "arrival transfer"),
    ((TRANSFER, DEPARTURE), "departure transfer"),
    ((MEALS, ""), "meals"),
)


def missing_services(booked: Iterable[tuple[str, str]]) -> list[str]:
    """Name the program's services not booked for a stay; `booked` holds (kind, direction)."""
    booked = set(booked)
    return [name for key, name in PROGRAM_SERVICES if key not in booked]
