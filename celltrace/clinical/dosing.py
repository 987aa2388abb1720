"""The safety limits of a treatment plan: dose per product and route, body weight, stay length.

A dose is allowed only when the clinic's catalog knows the maximum safe dose of that
product by that route; no known limit means the route is not allowed for the product.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from celltrace.clinical.numbers import VIABLE_CELLS, amount, dose_per_kg

MIN_WEIGHT_KG = 20.0
MAX_WEIGHT_KG = 250.0
MIN_STAY_DAYS = 5
MAX_STAY_DAYS = 9
# The clinic's working window for administrations, and the time a dose is planned for unless
# the doctor says otherwise: after the morning round, with the day-one re-check done.
DAY_OPENS = time(7, 0)
DAY_CLOSES = time(20, 0)
DEFAULT_DOSE_TIME = time(10, 0)


@dataclass(frozen=True, slots=True)
class DoseLimit:
    """The maximum safe dose of one product by one route, per dose, per day and per course.

    The per-day and per-course ceilings bound what several planned doses add up to: five
    doses each at the single maximum, two on one day, are each "safe" alone. None means
    the catalog sets no such ceiling (only a single-dose maximum).
    """

    product_code: str
    route: str
    max_dose_per_kg: float
    max_per_day_per_kg: float | None = None
    max_per_course_per_kg: float | None = None
    unit: str = VIABLE_CELLS


@dataclass(frozen=True, slots=True)
class DoseRequest:
    """A dose a doctor plans for one administration."""

    product_code: str
    route: str
    dose_per_kg: float
    weight_kg: float


def check_dose(request: DoseRequest, limit: DoseLimit | None) -> list[str]:
    """Return what is wrong with the dose; an empty list means it may be planned."""
    dose = request.dose_per_kg
    if not math.isfinite(dose) or dose <= 0:
        return ["The dose must be a positive number per kg."]
    if limit is None or (limit.product_code, limit.route) != (request.product_code, request.route):
        return [
            f"No maximum safe dose is known for {request.product_code} by the {request.route} "
            "route, so this route is not allowed for this product."
        ]
    if dose > limit.max_dose_per_kg:
        return [
            f"{dose_per_kg(dose, limit.unit)} is above the maximum safe dose of "
            f"{dose_per_kg(limit.max_dose_per_kg, limit.unit)} for {request.product_code} by "
            f"the {request.route} route."
        ]
    return []


@dataclass(frozen=True, slots=True)
class DayDose:
    """A dose of one product by one route on one day of the stay, planned or given."""

    product_code: str
    route: str
    day_of_stay: int
    dose_per_kg: float


def check_cumulative(
    limit: DoseLimit, *, dose: float, day: int, already: Sequence[DayDose]
) -> list[str]:
    """Return what is wrong with adding a dose on a day to doses already planned or given.

    `already` may hold doses of any product and route: only the limit's own count.
    """
    same = [
        d.dose_per_kg
        for d in already
        if (d.product_code, d.route) == (limit.product_code, limit.route)
        and math.isfinite(d.dose_per_kg)
    ]
    same_day = [
        d.dose_per_kg
        for d in already
        if (d.product_code, d.route, d.day_of_stay) == (limit.product_code, limit.route, day)
        and math.isfinite(d.dose_per_kg)
    ]
    problems = []
    for total, ceiling, period in (
        (sum(same_day) + dose, limit.max_per_day_per_kg, f"on day {day}"),
        (sum(same) + dose, limit.max_per_course_per_kg, "in the course"),
    ):
        if ceiling is not None and total > ceiling:
            problems.append(
                f"{dose_per_kg(total, limit.unit)} of {limit.product_code} by the "
                f"{limit.route} route {period} is above the maximum of "
                f"{dose_per_kg(ceiling, limit.unit)}."
            )
    return problems


def plan_cumulative_problems(
    doses: Sequence[DayDose], limits: Mapping[tuple[str, str], DoseLimit]
) -> dict[int, str]:
    """Return, per index of an offending dose, why the plan's doses add up to too much.

    Doses are added day by day (in the order given within a day): the dose that takes a
    day's or the course's total over the ceiling, and every later one, is refused.
    """
    problems: dict[int, str] = {}
    seen: dict[tuple[str, str], list[DayDose]] = defaultdict(list)
    for index in sorted(range(len(doses)), key=lambda i: doses[i].day_of_stay):
        dose = doses[index]
        key = (dose.product_code, dose.route)
        limit = limits.get(key)
        if limit is None or not math.isfinite(dose.dose_per_kg) or dose.dose_per_kg <= 0:
            continue  # check_dose refuses these rows already
        if found := check_cumulative(
            limit, dose=dose.dose_per_kg, day=dose.day_of_stay, already=seen[key]
        ):
            problems[index] = found[0]
        seen[key].append(dose)
    return problems


def check_content(
    lot_code: str, *, content: float | None, dose: float, weight_kg: float, unit: str
) -> list[str]:
    """Refuse a lot that holds less than the dose for the patient's weight, or says nothing.

    `content` is what the lab recorded the lot holds, in the product's unit (viable cells,
    particles, µg protein); None when it was never recorded.
    """
    if content is None:
        return [
            f"Lot {lot_code} has no viable content on record: the lab records it at formulation."
        ]
    needed = dose * weight_kg
    if content < needed:
        return [
            f"Lot {lot_code} holds {amount(content, unit)}; the dose of "
            f"{dose_per_kg(dose, unit)} at {weight_kg:g} kg needs {amount(needed, unit)}."
        ]
    return []


def check_weight(weight_kg: float) -> list[str]:
    """Return what is wrong with a body weight the doses are computed from."""
    if not math.isfinite(weight_kg) or not MIN_WEIGHT_KG <= weight_kg <= MAX_WEIGHT_KG:
        return [f"The weight must be between {MIN_WEIGHT_KG:g} and {MAX_WEIGHT_KG:g} kg."]
    return []


def stay_days(admission: date, discharge: date) -> int:
    """Return the length of the stay, counting the admission and discharge days."""
    return (discharge - admission).days + 1


def planned_day(admission: date, day_of_stay: int) -> date:
    """Return the calendar day a dose planned on a day of the stay falls on (day 1: admission)."""
    return admission + timedelta(days=day_of_stay - 1)


def day_of_stay(first_day: date, on: date) -> int:
    """Return the day of the stay a date falls on: the plan's admission date is day 1.

    The plan's admission date, not the moment the patient arrived, anchors the days: the
    doctor planned "day 2" against it, the lab times lots against it, and a patient who
    arrives the evening before (allowed at admission) does not shift every dose by a day.
    """
    return (on - first_day).days + 1


def check_admission(admission: date, *, today: date) -> list[str]:
    """Refuse an admission date in the past."""
    if admission < today:
        return ["The admission date is in the past."]
    return []


def check_stay_length(admission: date, discharge: date) -> list[str]:
    """Return what is wrong with the stay length: 5 to 9 days, counted inclusively."""
    days = stay_days(admission, discharge)
    if not MIN_STAY_DAYS <= days <= MAX_STAY_DAYS:
        return [
            f"A stay lasts {MIN_STAY_DAYS} to {MAX_STAY_DAYS} days, admission and discharge "
            f"days included; these dates give {days}."
        ]
    return []


def check_day_of_stay(day: int, days: int) -> list[str]:
    """Return what is wrong with the day of the stay an administration is planned on."""
    if not 1 <= day <= days:
        return [f"The day of the stay must be between 1 and {days}."]
    return []


def check_planned_time(planned: time) -> list[str]:
    """Return what is wrong with the time of day a dose is planned for.

    The ward gives products within its working window (07:00 to 20:00, both included), when
    the staff who watch the patient afterwards are there. A time is the clinic's local time:
    one bound to a time zone is refused rather than guessed at.
    """
    window = f"{DAY_OPENS:%H:%M} to {DAY_CLOSES:%H:%M}"
    if not isinstance(planned, time) or planned.tzinfo is not None:
        return [f"Give the planned time as hours and minutes (HH:MM), from {window}."]
    if not DAY_OPENS <= planned <= DAY_CLOSES:
        return [
            f"{planned:%H:%M} is outside the clinic's working hours: plan the dose from {window}."
        ]
    return []


def check_source(source: str, *, donor_products_only: bool) -> list[str]:
    """Refuse the patient's own cells when the screening excludes harvesting them."""
    if donor_products_only and source == "autologous":
        return [
            "The screening excludes harvesting this patient's own cells; choose a donor product."
        ]
    return []
