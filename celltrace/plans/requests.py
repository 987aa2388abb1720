"""What a doctor asks for in a plan, as typed values: the form and the API build these.

A product or therapy is None when the catalog does not know what was asked for; the action
refuses it on its field. Numbers arrive as numbers: parsing text is the form's or API's job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from celltrace.catalog.models import CellProduct, Therapy
from celltrace.clinical.dosing import DEFAULT_DOSE_TIME


@dataclass(frozen=True, slots=True)
class RequestedDose:
    """One planned administration: a product, by a route, at a dose, on a day of the stay,
    at a time of day (10:00 unless the doctor says otherwise)."""

    product: CellProduct | None
    route: str
    dose_per_kg: float
    day_of_stay: int
    planned_time: dt.time = DEFAULT_DOSE_TIME


@dataclass(frozen=True, slots=True)
class RequestedTherapy:
    """Sessions of one therapy during the stay."""

    therapy: Therapy | None
    sessions: int


@dataclass(frozen=True, slots=True)
class RequestedHomeCare:
    """One home-care item: a product at a dose per kg, or medication guidance in words
    (product None, medication named), every `every_days` days for `weeks` weeks."""

    product: CellProduct | str | None  # a code the catalog does not know stays text: refused
    route: str
    every_days: int
    weeks: int
    instructions: str
    dose_per_kg: float | None = None
    medication: str = ""
    longer_reason: str = ""


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """A treatment plan as asked for: weight, stay dates, doses, therapies and notes."""

    weight_kg: float
    admission_date: dt.date
    discharge_date: dt.date
    doses: tuple[RequestedDose, ...]
    therapies: tuple[RequestedTherapy, ...] = ()
    notes: str = ""
    home_care: tuple[RequestedHomeCare, ...] = ()
