"""Assemble one cumulative statistical report: the dict of docs/clinical/outcome-report.md.

Each section comes from its own module, one owner each (the section contract of issue
11). This module reads the patients' courses once, builds the rows every change table and
the CSV come from, calls the sections in order and checks the report's rules before it is
returned, so a report that breaks them is never shown.
"""

from __future__ import annotations

from celltrace.clinical.registry.baseline import baseline_section
from celltrace.clinical.registry.benchmarks import benchmark_section
from celltrace.clinical.registry.change import outcome_section
from celltrace.clinical.registry.flow import flow_section
from celltrace.clinical.registry.follow_up_time import follow_up_section
from celltrace.clinical.registry.inputs import ReportInputs
from celltrace.clinical.registry.plan import AnalysisPlan
from celltrace.clinical.registry.rows import pseudonyms, rows_of_placement
from celltrace.clinical.registry.rules import check_report
from celltrace.clinical.registry.safety import safety_section
from celltrace.clinical.registry.subgroups import subgroup_section
from celltrace.clinical.registry.time_to_event import time_to_event_section
from celltrace.clinical.registry.timepoints import timepoint_section
from celltrace.clinical.registry.windows import place_readings


def build_report(inputs: ReportInputs, plan: AnalysisPlan) -> dict:
    """Compute the report of one condition under one analysis plan; every key present."""
    condition = plan.condition(inputs.condition_code)
    names = pseudonyms(inputs)
    placed = place_readings(inputs, plan)
    rows = rows_of_placement(placed, inputs, plan)
    report = {
        **header(inputs, plan),
        "flow": flow_section(inputs),
        "timepoints": timepoint_section(placed, plan),
        "follow_up": follow_up_section(inputs, plan),
        "baseline": baseline_section(inputs, plan, rows),
        "outcomes": outcome_section(rows, plan, condition, inputs.ordinal_grades),
        "time_to_event": time_to_event_section(inputs, plan),
        "benchmarks": benchmark_section(inputs, plan, rows),
        "safety": safety_section(inputs, plan, names),
        "subgroups": subgroup_section(inputs, plan, rows),
        "limitations": list(plan.content["limitations"]),
    }
    check_report(report, plan)
    return report


def header(inputs: ReportInputs, plan: AnalysisPlan) -> dict:
    """Say what the report is, whose data, which period and cut-off, under which plan.

    The period runs from the first to the last first administration among the treated
    patients (the inputs carry each patient's first administration only).
    """
    first_days = [patient.first_administration for patient in inputs.patients]
    return {
        "title": f"Cumulative statistical report: {inputs.condition_name}",
        "design": plan.content["design"],
        "synthetic": inputs.synthetic,
        "condition": {"code": inputs.condition_code, "name": inputs.condition_name},
        "filters": {
            "product": inputs.filters.get("product"),
            "route": inputs.filters.get("route"),
        },
        "data_source": inputs.data_source,
        "period": {
            "first_administration": min(first_days).isoformat() if first_days else None,
            "last_administration": max(first_days).isoformat() if first_days else None,
        },
        "cutoff": inputs.cutoff.isoformat(),
        "analysis_plan": {"version": plan.version, "sha256": plan.sha256},
        "rules": {"small_cell": plan.small_cell, "completeness_flag": plan.completeness_flag},
    }
