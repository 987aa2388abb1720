"""What one report is computed from: plain records, read from the database in one place.

Dates are calendar dates at the clinic; "day" counts are days after the first
administration (day 0). Only records on or before the cut-off date are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np

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
    prior_therapy: str | None = None  # "yes", "no" or None when not recorded
    prior_therapies: tuple[str, ...] = ()  # the categories of the prior therapies, each once
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


@dataclass(frozen=True, slots=True, eq=False)
class ReadingTable:
    """The readings in columns, in the order given: what the report computes from.

    A registry of 100,000 patients holds millions of readings; the report places them with
    array operations over these columns rather than one Reading object at a time. Iterating
    gives the Reading records back (values as floats, dates from their day numbers).
    """

    patient_id: np.ndarray  # int64
    instrument: np.ndarray  # int16 index into `instruments`
    instruments: tuple[str, ...]
    day: np.ndarray  # int64: date.toordinal() of measured_on
    value: np.ndarray  # float64
    whole: np.ndarray  # bool: the value was given as an int (and is written as one)
    category: np.ndarray  # object: the grade (e.g. the AIS letter) or None

    @classmethod
    def from_readings(cls, readings: Iterable[Reading]) -> ReadingTable:
        """Lay Reading records out in columns (a database reader may fill them directly)."""
        readings = tuple(readings)
        count, codes = len(readings), {}
        return cls(
            patient_id=np.fromiter((r.patient_id for r in readings), np.int64, count),
            instrument=np.fromiter(
                (codes.setdefault(r.instrument, len(codes)) for r in readings), np.int16, count
            ),
            instruments=tuple(codes),
            day=np.fromiter((r.measured_on.toordinal() for r in readings), np.int64, count),
            value=np.fromiter((r.value for r in readings), np.float64, count),
            whole=np.fromiter((type(r.value) is int for r in readings), bool, count),
            category=np.array([r.category for r in readings] or [], dtype=object),
        )

    def codes_of(self, instruments: Iterable[str]) -> np.ndarray:
        """The instrument column's codes of the given instrument codes (those present)."""
        return np.array([i for i, code in enumerate(self.instruments) if code in instruments])

    def __len__(self) -> int:
        return len(self.day)

    def __iter__(self) -> Iterator[Reading]:
        columns = (self.patient_id, self.instrument, self.day, self.value, self.whole)
        columns = (*(c.tolist() for c in columns), self.category.tolist())
        for pid, code, day, value, whole, category in zip(*columns, strict=True):
            value = int(value) if whole else value
            yield Reading(pid, self.instruments[code], date.fromordinal(day), value, category)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ReadingTable) and list(self) == list(other)


@dataclass(frozen=True, slots=True)
class Relapse:
    """The onset of an MS relapse (types confirmed worsening as relapse-associated)."""

    patient_id: int
    onset: date


@dataclass(frozen=True, slots=True)
class MriScan:
    """One MS patient's MRI: new or enlarging T2 lesions and Gd-enhancing lesions (None: not
    done), each against the previous scan."""

    patient_id: int
    scanned_on: date
    new_t2_lesions: int
    gd_lesions: int | None = None

    @property
    def active(self) -> bool:
        """MRI activity: any new or enlarging T2 lesion or Gd-enhancing lesion."""
        return self.new_t2_lesions > 0 or (self.gd_lesions or 0) > 0


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
    """The funnel before treatment: enquired -> screened -> eligible -> treated.

    Each stage is as it stood at the cut-off. The stages before treatment are the whole
    condition's: no product is chosen before treatment, so a product or route filter does
    not reach them. `treated_any` is everyone treated with any product or route (None when
    the report has no filter: then it is the treated patients themselves).
    `undated_requests` counts requests with no audit history by the cut-off, whose present
    status had to stand in for their status at the cut-off.
    """

    enquired: int
    screened: int
    eligible: int
    closed: tuple[Count, ...] = ()
    not_eligible: tuple[Count, ...] = ()
    excluded: tuple[Count, ...] = ()
    treated_any: int | None = None
    undated_requests: int = 0


@dataclass(frozen=True, slots=True, eq=False)
class PatientColumns:
    """The treated patients' ids and days 0 in columns (inputs order), derived once."""

    patient_id: np.ndarray  # int64
    first_day: np.ndarray  # int64: first_administration.toordinal()
    pseudonym_order: np.ndarray  # by first administration, then patient id

    @classmethod
    def of(cls, patients: tuple[TreatedPatient, ...]) -> PatientColumns:
        ids = np.array([p.patient_id for p in patients], np.int64)
        first = np.array([p.first_administration.toordinal() for p in patients], np.int64)
        return cls(ids, first, np.lexsort((ids, first)))

    def numbers_of(self, ids: np.ndarray) -> np.ndarray:
        """Each id's position among the patients; -1 for an id of no treated patient."""
        known = self.patient_id
        if not len(known) or not len(ids):
            return np.full(len(ids), -1, np.int64)
        if known.min() >= 0 and known.max() < 4 * len(known) + 1000:  # a dense lookup
            lookup = np.full(int(known.max()) + 1, -1, np.int64)
            lookup[known] = np.arange(len(known))
            inside = (ids >= 0) & (ids < len(lookup))
            return np.where(inside, lookup[np.where(inside, ids, 0)], -1)
        by_id = np.argsort(known, kind="stable")
        spot = np.searchsorted(known[by_id], ids).clip(0, len(known) - 1)
        return np.where(known[by_id][spot] == ids, by_id[spot], -1)


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
    readings: ReadingTable | Iterable[Reading] = ()  # held as a ReadingTable
    adverse_events: tuple[AdverseEventRecord, ...] = ()
    relapses: tuple[Relapse, ...] = ()
    mri_scans: tuple[MriScan, ...] = ()
    filters: dict[str, str] = field(default_factory=dict)  # e.g. {"product": "MSC-UC"}
    # The measures on an ordinal scale, with their grades from worst to best, e.g.
    # {"ais": ("A", "B", "C", "D", "E")}: reported as transitions, never as a mean. The
    # instrument's Measure says so (outcomes.instruments); any other measure is a score.
    ordinal_grades: dict[str, tuple[str, ...]] = field(default_factory=dict)
    columns: PatientColumns = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.readings, ReadingTable):
            object.__setattr__(self, "readings", ReadingTable.from_readings(self.readings))
        object.__setattr__(self, "columns", PatientColumns.of(self.patients))
