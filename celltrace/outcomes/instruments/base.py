"""What an outcome instrument is: its measures, its form, its scoring, its template.

Each instrument is a folder of this package whose __init__.py exposes INSTRUMENT, an
InstrumentDefinition; the registry (instruments/__init__.py) finds them. Ranges live in the
instrument's Measures; which measures a condition reports, and their MCIDs, live in the locked
analysis plan (data), never here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from django import forms

# Facts an instrument may ask the action to add to its cleaned data from the patient's record,
# as of the measurement date (e.g. the CKD-EPI equation needs age and sex).
AGE_YEARS = "age_years"
SEX = "sex"
PATIENT_FACTS = (AGE_YEARS, SEX)


@dataclass(frozen=True)
class Measure:
    """One value an instrument yields, named by the analysis plan's instrument code."""

    code: str  # e.g. "msis29_physical": the plan's code, stored as Measurement.instrument
    label: str
    unit: str
    low: float
    high: float
    step: float | None  # None: any value in the range
    lower_is_better: bool
    # An ordinal scale's grades, worst to best, stored as their position (the AIS: A=0 to
    # E=4): the report shows transitions between grades, never a mean. Empty: a score.
    grades: tuple[str, ...] = ()

    @property
    def ordinal(self) -> bool:
        return bool(self.grades)

    def problem(self, value: float) -> str | None:
        """Say why a value cannot be a reading of this measure, or None if it can."""
        if not (isinstance(value, int | float) and math.isfinite(value)):
            return "Must be a number."
        if not self.low <= value <= self.high:
            return f"Must be between {self.low:g} and {self.high:g}."
        if self.step is not None:
            steps = (value - self.low) / self.step
            if abs(steps - round(steps)) > 1e-6:
                return f"Must be in steps of {self.step:g}."
        return None

    @property
    def choice_label(self) -> str:
        return f"{self.label} ({self.low:g}-{self.high:g})"


@dataclass(frozen=True)
class Measured:
    """One scored value to store: a Measurement of `measure` (a Measure code)."""

    measure: str
    value: float
    details: dict
    category: str | None = None  # a grade such as the AIS letter, beside its ordinal value


@dataclass(frozen=True)
class InstrumentDefinition:
    """An outcome instrument as a plug-in: the form is parsed, `score` judges and scores it.

    `score` takes the form's cleaned data (plus the `patient_facts` asked for) and returns
    the values to store; on bad input it raises celltrace.refusal.Refused whose
    field_errors name the field.
    """

    code: str  # the folder and URL name, e.g. "msis29"
    label: str
    measures: tuple[Measure, ...]
    form_class: type[forms.Form]
    score: Callable[[dict], list[Measured]]
    template: str  # the form partial, e.g. "instruments/pain/form.html"
    conditions: tuple[str, ...] = ()  # informational: the locked plan decides per condition
    reference: str = ""  # the standard, its version and source
    # Optional extension points.
    patient_facts: tuple[str, ...] = ()  # AGE_YEARS, SEX: added by the action from the record
    entry_view: str | None = None  # a URL name of the instrument's own screen (patient_pk)
    # A questionnaire the patient may answer themselves in the portal (a patient-reported
    # outcome); the others are a clinician's exam or a lab value, recorded by staff only.
    self_report: bool = False
    # Conditions whose patients answer this self-report before any plan reports it (SCIM-SR
    # for SCI): collected at the plan's time points so that a later plan version can.
    ahead_of_plan: tuple[str, ...] = ()

    def measure(self, code: str) -> Measure:
        return next(m for m in self.measures if m.code == code)
