"""The report dict (docs/clinical/outcome-report.md) from the inputs and the locked plan.

stand-in: replaced by the core helper's module at merge. It fills every key of the JSON
contract from the inputs in the simplest way, so the page, downloads and command line can
be built against the contract; the statistics are the core helper's.
"""

from __future__ import annotations

from celltrace.clinical.registry.inputs import ReportInputs
from celltrace.clinical.registry.plan import AnalysisPlan

DESIGN = "Uncontrolled treatment registry (case series), not a controlled trial"


def build_report(inputs: ReportInputs, plan: AnalysisPlan) -> dict:
    """Return the report dict with every key of the contract (stand-in values)."""
    patients = inputs.patients
    firsts = sorted(p.first_administration for p in patients)
    flow = inputs.flow
    condition = plan.condition(inputs.condition_code)
    return {
        "title": f"Cumulative statistical report: {inputs.condition_name}",
        "design": DESIGN,
        "synthetic": inputs.synthetic,
        "condition": {"code": inputs.condition_code, "name": inputs.condition_name},
        "filters": {
            "product": inputs.filters.get("product"),
            "route": inputs.filters.get("route"),
        },
        "data_source": inputs.data_source,
        "period": {
            "first_administration": firsts[0].isoformat() if firsts else None,
            "last_administration": firsts[-1].isoformat() if firsts else None,
        },
        "cutoff": inputs.cutoff.isoformat(),
        "analysis_plan": {"version": plan.version, "sha256": plan.sha256},
        "rules": {"small_cell": plan.small_cell, "completeness_flag": plan.completeness_flag},
        "flow": {
            "enquired": flow.enquired,
            "screened": flow.screened,
            "eligible": flow.eligible,
            "treated": len(patients),
            "closed": [{"reason": c.reason, "n": c.n} for c in flow.closed],
            "not_eligible": [{"reason": c.reason, "n": c.n} for c in flow.not_eligible],
            "excluded": [{"reason": c.reason, "n": c.n} for c in flow.excluded],
        },
        "timepoints": [_timepoint(tp) for tp in plan.timepoints],
        "follow_up": {
            "clarks_c": None,
            "observed_days": 0,
            "potential_days": 0,
            "median_follow_up_days": None,
            "median_follow_up_ci95": None,
        },
        "baseline": _baseline(inputs),
        "outcomes": [
            _outcome(plan, code, tp.name) for code in condition.outcomes for tp in plan.timepoints
        ],
        "time_to_event": [],
        "benchmarks": [],
        "safety": _safety(inputs),
        "subgroups": [],
        "limitations": list(plan.content.get("limitations", ())),
    }


def _timepoint(tp) -> dict:
    return {
        "name": tp.name,
        "window_days": [tp.first_day, tp.last_day],
        **dict.fromkeys(("due", "assessed", "missed", "withdrawn", "died", "not_yet_due"), 0),
        "completeness": None,
        "flagged": False,
    }


def _baseline(inputs: ReportInputs) -> dict:
    sexes = [p.sex for p in inputs.patients]
    return {
        "n": len(inputs.patients),
        "age": {"n": 0, "median": None, "iqr": None},
        "sex": {
            "female": sexes.count("female"),
            "male": sexes.count("male"),
            "not_recorded": sum(1 for s in sexes if s not in ("female", "male")),
        },
        "disease_duration_years": {"n": 0, "median": None, "iqr": None},
        "prior_therapy": {"yes": 0, "no": 0, "not_recorded": len(inputs.patients)},
        "scores": [],
    }


def _outcome(plan: AnalysisPlan, code: str, timepoint: str) -> dict:
    instrument = plan.instruments[code]
    mcid = instrument.mcid
    return {
        "instrument": code,
        "label": instrument.label,
        "unit": instrument.unit,
        "timepoint": timepoint,
        "due": 0,
        "assessed": 0,
        "no_baseline": 0,
        "n": 0,
        "mean_change": None,
        "ci95": None,
        "median_change": None,
        "iqr": None,
        "range": None,
        "improved": None,
        "no_clear_change": None,
        "worsened": None,
        "mcid": {
            "kind": mcid.kind,
            "improvement": mcid.improvement,
            "worsening": mcid.worsening,
            "text": mcid.text,
            "source": mcid.source,
        },
        "responders": None,
    }


def _safety(inputs: ReportInputs) -> dict:
    events = inputs.adverse_events
    return {
        "treated": len(inputs.patients),
        "patients_with_event": len({e.patient_id for e in events}),
        "patients_with_event_ci95": None,
        "events": len(events),
        "administrations": sum(p.administrations for p in inputs.patients),
        "events_per_administration": None,
        "patient_years": 0.0,
        "rate_per_100_patient_years": None,
        "rate_ci95": None,
        "by_grade": [],
        "by_seriousness": [],
        "by_relatedness": [],
        "by_lot": [],
        "serious": [],
        "deaths": [],
        "claims": [],
    }
