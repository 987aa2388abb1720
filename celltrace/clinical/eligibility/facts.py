"""What is known about a patient at screening: dated facts, each with where it came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from . import units


class Source(StrEnum):
    """Where the cells of a product come from (DOMAIN section 3)."""

    AUTOLOGOUS = "autologous"  # the patient's own cells, harvested first
    ALLOGENEIC = "allogeneic"  # a donor's cells, made ahead


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


# The yes/no questions a rule may ask, in the words a doctor would read them.
QUESTIONS: dict[str, str] = {
    "pregnant": "Is the patient pregnant?",
    "breastfeeding": "Is the patient breastfeeding?",
    "cell_product_reaction": "Has the patient had a bad reaction to a cell product before?",
    "acute_infection": "Does the patient have an infectious disease in its acute stage?",
    "active_cancer": "Does the patient have an active cancer?",
    "terminal_illness": "Does the patient have a life-threatening or terminal condition?",
    "mental_disorder_or_addiction": "Does the patient have a mental disorder or an addiction?",
    "anaesthesia_contraindication": "Is anaesthesia contraindicated for the patient?",
    "high_bleeding_risk": "Does the patient have a high bleeding risk?",
    "biopsy_site_disease": "Is there disease at the intended biopsy (harvest) site?",
    "clotting_disorder": "Does the patient have a blood-clotting disorder?",
    "immunocompromised": "Is the patient immunocompromised?",
}


@dataclass(frozen=True, slots=True)
class Person:
    """The patient's sex and date of birth, as recorded on `on`."""

    sex: Sex | None
    birth_date: date | None
    on: date
    provenance: str

    def age_on(self, day: date) -> int | None:
        """Return the age in completed years on `day`, or None without a birth date."""
        if self.birth_date is None:
            return None
        return completed_years(self.birth_date, day)


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """A coded diagnosis or history item; `on` is its onset or event date."""

    code: str  # ICD-10, with or without the dot
    on: date
    provenance: str
    label: str = ""
    resolved_on: date | None = None

    def __post_init__(self) -> None:
        if self.resolved_on is not None and self.resolved_on < self.on:
            raise ValueError(f"Diagnosis {self.code} resolves before it starts")

    def is_current_on(self, day: date) -> bool:
        """Say whether the diagnosis has started and not yet resolved on `day`."""
        return self.on <= day and (self.resolved_on is None or self.resolved_on > day)


@dataclass(frozen=True, slots=True)
class HistoryReview:
    """A doctor's statement that the coded diagnoses on file are the full history on `on`."""

    on: date
    provenance: str


@dataclass(frozen=True, slots=True)
class LabResult:
    """One laboratory result; `on` is the day the sample was taken."""

    analyte: str
    value: float
    unit: str
    on: date
    provenance: str

    def __post_init__(self) -> None:
        # A result in a unit the engine cannot read must be refused where it is entered,
        # not dropped later where nobody sees it.
        units.check_unit(self.analyte, self.unit)


@dataclass(frozen=True, slots=True)
class Answer:
    """A yes/no answer to one of QUESTIONS, true on `on`."""

    question: str
    yes: bool
    on: date
    provenance: str

    def __post_init__(self) -> None:
        if self.question not in QUESTIONS:
            raise ValueError(f"Unknown question {self.question!r}; known: {sorted(QUESTIONS)}")


Fact = Person | Diagnosis | HistoryReview | LabResult | Answer


def completed_years(birth_date: date, day: date) -> int:
    """Return the age in completed years on `day`."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def describe(fact: Fact) -> str:
    """Name a fact in plain words, with its date and provenance."""
    match fact:
        case Person():
            return f"patient record of {fact.on} ({fact.provenance})"
        case Diagnosis():
            name = f"{fact.code} {fact.label}".strip()
            return f"diagnosis {name} from {fact.on} ({fact.provenance})"
        case HistoryReview():
            return f"history review of {fact.on} ({fact.provenance})"
        case LabResult():
            return f"{fact.analyte} {fact.value:g} {fact.unit} on {fact.on} ({fact.provenance})"
        case Answer():
            return (
                f"{fact.question}: {'yes' if fact.yes else 'no'} on {fact.on} ({fact.provenance})"
            )
