"""What one report is computed from: plain records, read from the database in one place.

Dates are calendar dates at the clinic; "day" counts are days after the first
administration (day 0). Only records on or before the cut-off date are given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

DIED = "died"
WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class FollowUpEnd:
    """Why and when a treated patient's follow-up ended before the cut-off."""

    on: date
    reason: str  # DIED or WITHDRAWN
    detail: str = ""


@dataclass(frozen=True, slots=True)
class TreatedPatient:
    """A patient with at least one administration on or before the cut-off."""

    patient_id: int
    first_administration: date
    administrations: int
    product: str  # the product code of the first administration
    route: str  # the route of the first administration
    site: str
    sex: str  # "female", "male" or "" when not recorded
    birth_date: date | None = None
    disease_onset: date | None = None  # diagnosis or injury date, when recorded
    prior_therapy: str | None = None  # None when not recorded
    last_contact: date | None = None  # the last completed check-up or reading
    end: FollowUpEnd | None = None


@dataclass(frozen=True, slots=True)
class Reading:
    """One value of one instrument; `category` holds a grade such as the AIS letter."""

    patient_id: int
    instrument: str
    measured_on: date
    value: float
    category: str | None = None


@dataclass(frozen=True, slots=True)
class Relapse:
    """The onset of an MS relapse (types confirmed worsening as relapse-associated)."""

    patient_id: int
    onset: date


@dataclass(frozen=True, slots=True)
class AdverseEventRecord:
    """One adverse event after a product was given, coded (CTCAE term and grade)."""

    patient_id: int
    onset: date
    term: str  # the coded term's label, e.g. "Fever"
    term_code: str
    grade: int  # CTCAE 1-5; 5 is death
    serious: bool
    relatedness: str  # e.g. "related", "possibly", "unlikely", "unrelated"
    outcome: str
    lot: str  # the lot's code, "" when not linked to one


@dataclass(frozen=True, slots=True)
class Count:
    """A count with its reason, for the flow's closed, not eligible and excluded rows."""

    reason: str
    n: int


@dataclass(frozen=True, slots=True)
class Flow:
    """The funnel before treatment: enquired -> screened -> eligible -> treated."""

    enquired: int
    screened: int
    eligible: int
    closed: tuple[Count, ...] = ()
    not_eligible: tuple[Count, ...] = ()
    excluded: tuple[Count, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportInputs:
    """Everything one report is computed from."""

    condition_code: str
    condition_name: str
    cutoff: date
    data_source: str
    synthetic: bool
    flow: Flow
    patients: tuple[TreatedPatient, ...]
    readings: tuple[Reading, ...] = ()
    adverse_events: tuple[AdverseEventRecord, ...] = ()
    relapses: tuple[Relapse, ...] = ()
    filters: dict[str, str] = field(default_factory=dict)  # e.g. {"product": "MSC-UC"}
