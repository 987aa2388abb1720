"""What a clinical instrument plug-in declares: its measures, form, scoring and source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    """One number an instrument yields, with its range and which way is better."""

    code: str
    label: str
    unit: str
    low: float
    high: float
    step: float | None  # None: any value in the range
    lower_is_better: bool


@dataclass(frozen=True)
class Measured:
    """One scored value of a measure, with what it was computed from."""

    measure: str
    value: float
    details: dict
    category: str | None = None


@dataclass(frozen=True)
class InstrumentDefinition:
    """A plug-in: the folder name, its measures, the form whose cleaned_data `score` reads."""

    code: str
    label: str
    measures: tuple[Measure, ...]
    form_class: type
    score: Callable[[dict], list[Measured]]
    template: str
    conditions: tuple[str, ...]
    reference: str
