"""Builders for the registry report's section tests: inputs, the plan, CSV-style rows."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from celltrace.clinical.registry.inputs import Flow, ReportInputs, TreatedPatient
from celltrace.clinical.registry.plan import AnalysisPlan, load_plan

PLAN_FILE = (
    Path(__file__).parents[2] / "outcomes" / "analysis_plans" / "v2.json"
)  # the latest shipped plan
START = date(2024, 1, 1)
CUTOFF = date(2026, 1, 1)


def plan_content() -> dict:
    return json.loads(PLAN_FILE.read_text(encoding="utf-8"))


def plan(**changes) -> AnalysisPlan:
    """Return the locked plan v1, or a copy with some top-level entries changed."""
    # A small cell below the rule's 10 cannot be loaded (rules.SMALL_CELL); the section
    # tests set it on the loaded plan to test small groups.
    small_cell = changes.pop("small_cell", None)
    loaded = load_plan({**plan_content(), **changes})
    return loaded if small_cell is None else replace(loaded, small_cell=small_cell)


def day(n: int, start: date = START) -> date:
    return start + timedelta(days=n)


def patient(patient_id: int, **fields) -> TreatedPatient:
    values = {
        "first_administration": START,
        "administrations": 1,
        "product": "MSC-UC",
        "route": "iv",
        "site": "main",
        "sex": "female",
    }
    return TreatedPatient(patient_id, **{**values, **fields})


def report_inputs(patients, *, condition="ms", flow=None, cutoff=CUTOFF, **fields):
    return ReportInputs(
        condition_code=condition,
        condition_name=condition.upper(),
        cutoff=cutoff,
        data_source="celltrace tests",
        synthetic=True,
        flow=flow or Flow(enquired=0, screened=0, eligible=0),
        patients=tuple(patients),
        **fields,
    )


def row(patient_id, instrument, timepoint, baseline, value, *, status=None, category=None):
    """Return one per-patient row as the contract describes it (rows.py builds the real ones)."""
    return {
        "patient": f"P{patient_id:03d}",
        "patient_id": patient_id,
        "instrument": instrument,
        "timepoint": timepoint,
        "baseline": baseline,
        "value": value,
        "status": status or ("assessed" if value is not None else "missed"),
        "day": None,
        "category": None,
        "baseline_category": category,
    }
