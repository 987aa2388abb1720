"""The registry of outcome instruments: every sub-package exposing INSTRUMENT is one.

Adding an instrument means adding a folder (see CONTRIBUTING.md); nothing here lists them.
Which measures a condition reports comes from the locked analysis plan, read in one place:
`analysis_plan()` (a later change reads the plan locked in the database instead).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
from functools import cache
from pathlib import Path

from celltrace.clinical.registry.plan import AnalysisPlan, PlanError, load_plan
from celltrace.outcomes.instruments.base import InstrumentDefinition, Measure, Measured

__all__ = [
    "InstrumentDefinition",
    "Measure",
    "Measured",
    "analysis_plan",
    "instrument",
    "instruments",
    "instruments_for_condition",
    "self_report_instruments_for_condition",
    "measure",
    "measure_choices",
    "measures",
    "measures_for_condition",
]

PLAN_FILE = (
    Path(__file__).resolve().parent.parent / "analysis_plans" / "v2.json"
)  # the latest shipped plan


@cache
def _registry() -> dict[str, InstrumentDefinition]:
    found: dict[str, InstrumentDefinition] = {}
    for module in pkgutil.iter_modules(__path__, prefix=f"{__name__}."):
        if not module.ispkg:
            continue
        definition = getattr(importlib.import_module(module.name), "INSTRUMENT", None)
        if definition is None:
            continue
        folder = module.name.rsplit(".", 1)[1]
        if definition.code != folder:
            raise ImportError(f"The instrument in {folder}/ is named {definition.code!r}.")
        found[definition.code] = definition
    codes = [m.code for d in found.values() for m in d.measures]
    if len(codes) != len(set(codes)):
        raise ImportError(f"Two instruments yield the same measure: {sorted(codes)}.")
    return dict(sorted(found.items()))


def instruments() -> tuple[InstrumentDefinition, ...]:
    """Every registered instrument, by code."""
    return tuple(_registry().values())


def instrument(code: str) -> InstrumentDefinition:
    """The instrument of a folder; KeyError for an unknown code."""
    return _registry()[code]


@cache
def _measures() -> dict[str, tuple[Measure, InstrumentDefinition]]:
    return {m.code: (m, d) for d in instruments() for m in d.measures}


def measures() -> tuple[Measure, ...]:
    return tuple(m for m, _ in _measures().values())


def measure(code: str) -> Measure:
    """The measure stored under a code (e.g. "msis29_physical"); KeyError if none."""
    return _measures()[code][0]


def instrument_of(measure_code: str) -> InstrumentDefinition:
    return _measures()[measure_code][1]


def measure_choices() -> list[tuple[str, str]]:
    """(code, label) of every measure: the choices of Measurement.instrument."""
    return [(m.code, m.choice_label) for m in measures()]


@cache
def analysis_plan() -> AnalysisPlan:
    """The analysis plan v1, the one place the plan's JSON file is read."""
    return load_plan(json.loads(PLAN_FILE.read_text(encoding="utf-8")))


def measures_for_condition(condition_code: str) -> tuple[Measure, ...]:
    """The registered measures the plan reports for a condition, in the plan's order."""
    try:
        outcomes = analysis_plan().condition(condition_code).outcomes
    except PlanError:
        return ()
    known = _measures()
    return tuple(known[code][0] for code in outcomes if code in known)


def self_report_instruments_for_condition(condition_code: str) -> tuple[InstrumentDefinition, ...]:
    """The questionnaires a patient with the condition answers in the portal.

    The plan's self-report instruments in its order, then any self-report instrument made
    for the condition that the plan does not report yet (SCIM-SR): collected at the same
    time points, so that a later plan version can report it from the first patient on.
    """
    planned = [d for d in instruments_for_condition(condition_code) if d.self_report]
    ahead = [
        d
        for d in instruments()
        if d.self_report and condition_code in d.ahead_of_plan and d not in planned
    ]
    return (*planned, *ahead)


def instruments_for_condition(condition_code: str) -> tuple[InstrumentDefinition, ...]:
    """The instruments that yield a condition's measures, each once, in the plan's order."""
    found = {
        instrument_of(m.code).code: instrument_of(m.code)
        for m in measures_for_condition(condition_code)
    }
    return tuple(found.values())
