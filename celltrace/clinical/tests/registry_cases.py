"""Builders for the registry report's safety, time-to-event, benchmark and summary tests."""

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from celltrace.clinical.registry.inputs import (
    AdverseEventRecord,
    Flow,
    FollowUpEnd,
    Reading,
    ReportInputs,
    TreatedPatient,
)
from celltrace.clinical.registry.plan import load_plan

PLAN_FILE = (
    Path(__file__).parents[2] / "outcomes" / "analysis_plans" / "v2.json"
)  # the latest shipped plan
DAY_0 = date(2024, 1, 1)


def plan_content() -> dict:
    return json.loads(PLAN_FILE.read_text())


def latest_plan(**changes):
    """The latest shipped plan (v2), or a copy with top-level keys changed (e.g. small_cell=1)."""
    # A small cell below the rule's 10 cannot be loaded (rules.SMALL_CELL); the section
    # tests set it on the loaded plan to test small groups.
    small_cell = changes.pop("small_cell", None)
    loaded = load_plan({**plan_content(), **changes})
    return loaded if small_cell is None else replace(loaded, small_cell=small_cell)


def on(day: int, start: date = DAY_0) -> date:
    return start + timedelta(days=day)


def treated(patient_id: int, *, administrations: int = 1, end: FollowUpEnd | None = None):
    return TreatedPatient(
        patient_id=patient_id,
        first_administration=DAY_0,
        administrations=administrations,
        product="MSC-UC",
        route="iv",
        site="main",
        sex="female",
        end=end,
    )


def adverse_event(patient_id: int, day: int, **fields) -> AdverseEventRecord:
    values = {
        "term": "Headache", "term_code": "headache", "grade": 1, "serious": False,
        "relatedness": "possible", "outcome": "recovered", "lot": "LOT-1",
    }  # fmt: skip
    return AdverseEventRecord(patient_id=patient_id, onset=on(day), **{**values, **fields})


def edss(patient_id: int, *pairs: tuple[int, float]) -> list[Reading]:
    """EDSS readings given as (day after the first administration, score)."""
    return [Reading(patient_id, "edss", on(day), score) for day, score in pairs]


def report_inputs(patients, *, cutoff_day: int = 1000, condition: str = "ms", **records):
    return ReportInputs(
        condition_code=condition,
        condition_name=condition.upper(),
        cutoff=on(cutoff_day),
        data_source="test records",
        synthetic=False,
        flow=Flow(enquired=len(patients), screened=len(patients), eligible=len(patients)),
        patients=tuple(patients),
        ordinal_grades={"ais": ("A", "B", "C", "D", "E")},  # as the instrument registry gives
        **{name: tuple(values) for name, values in records.items()},
    )


def pseudonyms_of(inputs: ReportInputs) -> dict[int, str]:
    return {p.patient_id: f"P{i:03d}" for i, p in enumerate(inputs.patients, start=1)}
