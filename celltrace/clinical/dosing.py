"""The safety limits of a treatment plan: dose per product and route, body weight, stay length.

A dose is allowed only when the clinic's catalog knows the maximum safe dose of that
product by that route; no known limit means the route is not allowed for the product.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from celltrace.clinical.numbers import cells_per_kg

MIN_WEIGHT_KG = 20.0
MAX_WEIGHT_KG = 250.0
MIN_STAY_DAYS = 5
MAX_STAY_DAYS = 9


@dataclass(frozen=True, slots=True)
class DoseLimit:
    """The maximum safe dose of one product by one route."""

    product_code: str
    route: str
    max_cells_per_kg: float


@dataclass(frozen=True, slots=True)
class DoseRequest:
    """A dose a doctor plans for one administration."""

    product_code: str
    route: str
    dose_cells_per_kg: float
    weight_kg: float


def check_dose(request: DoseRequest, limit: DoseLimit | None) -> list[str]:
    """Return what is wrong with the dose; an empty list means it may be planned."""
    dose = request.dose_cells_per_kg
    if not math.isfinite(dose) or dose <= 0:
        return ["The dose must be a positive number of cells per kg."]
    if limit is None or (limit.product_code, limit.route) != (request.product_code, request.route):
        return [
            f"No maximum safe dose is known for {request.product_code} by the {request.route} "
            "route, so this route is not allowed for this product."
        ]
    if dose > limit.max_cells_per_kg:
        return [
            f"{cells_per_kg(dose)} is above the maximum safe dose of "
            f"{cells_per_kg(limit.max_cells_per_kg)} for {request.product_code} by the "
            f"{request.route} route."
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


def check_source(source: str, *, donor_products_only: bool) -> list[str]:
    """Refuse the patient's own cells when the screening excludes harvesting them."""
    if donor_products_only and source == "autologous":
        return [
            "The screening excludes harvesting this patient's own cells; choose a donor product."
        ]
    return []
