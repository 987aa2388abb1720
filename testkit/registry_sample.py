"""A hand-built registry report and its per-patient rows, shaped as the contract says.

docs/clinical/outcome-report.md (the JSON) and /work/shared sections-contract (the rows).
Twelve MS patients P001-P012, three time points, two instruments (EDSS, MSIS-29 physical),
worked out by hand:

- 3 months: 12 due, 11 assessed, P005 missed; for MSIS-29, P004 was not measured (missed),
  so MSIS-29 has 10 values and 2 "no data" patients there.
- 6 months: P003 missed, P011 died (not due), P012 withdrawn: 11 due, 9 assessed (flagged).
- 12 months: P001-P006 assessed, P007 missed, P008-P010 not yet due, P011 died, P012
  withdrawn: 8 due (under 10, counts only).
- Confirmed disability worsening: 3 events in 12 patients, computed with lifelines.
- Safety: 4 of 12 patients with an event, 5 events in 24 administrations, one serious
  (P006, pulmonary embolism, grade 3) and one death (P011).

`sci_sample()` gives an SCI report with AIS grades for the transition figure;
`sci_benchmark()` the stratified AIS A benchmark, as the core computes it.
"""

from __future__ import annotations

import copy
import json
import statistics
from datetime import date, timedelta
from pathlib import Path

from lifelines import KaplanMeierFitter
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from celltrace.clinical.disability_course import measures
from celltrace.clinical.registry.benchmarks import benchmark_section
from celltrace.clinical.registry.inputs import Flow, ReportInputs, TreatedPatient
from celltrace.clinical.registry.plan import load_plan, plan_sha256
from celltrace.clinical.registry.rows import as_rows

PLAN_FILE = (
    Path(__file__).resolve().parent.parent / "celltrace/outcomes/analysis_plans/v2.json"
)  # the latest shipped plan
PLAN = json.loads(PLAN_FILE.read_text(encoding="utf-8"))
SMALL_CELL = 10
TIMEPOINTS = (("3 months", 91, (60, 120)), ("6 months", 182, (150, 240)),
              ("12 months", 365, (300, 450)))  # fmt: skip
A, M, W, D, N = "assessed", "missed", "withdrawn", "died", "not_yet_due"
# patient: statuses at 3, 6 and 12 months
STATUSES = {
    1: (A, A, A), 2: (A, A, A), 3: (A, M, A), 4: (A, A, A), 5: (M, A, A), 6: (A, A, A),
    7: (A, A, M), 8: (A, A, N), 9: (A, A, N), 10: (A, A, N), 11: (A, D, D), 12: (A, W, W),
}  # fmt: skip
BASELINES = {
    "edss": (3.0, 4.0, 6.0, 2.0, 5.5, 3.5, 0.0, 4.5, 6.5, 2.5, 5.0, 3.0),
    "msis29_physical": (40, 55, 62, 30, 48, 50, 20, 45, 70, 35, 58, 44),
}
# Change from baseline per patient at 3, 6 and 12 months (None: no value)
CHANGES = {
    "edss": {
        1: (-0.5, -1.0, -1.0), 2: (0.5, 0.5, 1.0), 3: (-1.0, None, -1.0), 4: (0.0, 1.0, 1.0),
        5: (None, -0.5, 0.0), 6: (1.0, 1.0, 0.5), 7: (1.5, 0.5, None), 8: (-1.0, -1.0, None),
        9: (0.5, 0.0, None), 10: (0.0, -0.5, None), 11: (1.0, None, None),
        12: (-0.5, None, None),
    },
    "msis29_physical": {
        1: (-10, -8, -12), 2: (2, 0, 3), 3: (-9, None, -10), 4: (None, -2, -1),
        5: (None, -6, -5), 6: (9, 4, 8), 7: (0, -1, None), 8: (-4, -9, None),
        9: (-12, -3, None), 10: (1, 8, None), 11: (10, None, None), 12: (-3, None, None),
    },
}  # fmt: skip
LABELS = {
    "edss": ("EDSS", "points (0-10)"),
    "msis29_physical": ("MSIS-29 physical", "points (0-100)"),
    "ais": ("AIS grade", "grade (A=0 to E=4)"),
}
KM_DAYS = [370, 180, 372, 365, 368, 270, 100, 190, 185, 188, 95, 91]  # P001..P012
KM_EVENTS = [0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]


def classified(rows: list[dict]) -> list[dict]:
    """The rows with each one's direction and MCID verdict, as the core gives every row."""
    return as_rows(rows, load_plan(PLAN)).as_dicts()


def pseudonym(number: int) -> str:
    return f"P{number:03d}"


def ms_rows() -> list[dict]:
    """The CSV's rows: one per patient, instrument and time point."""
    rows = []
    for instrument, baselines in BASELINES.items():
        for number, statuses in STATUSES.items():
            baseline = float(baselines[number - 1])
            for i, (name, target, _) in enumerate(TIMEPOINTS):
                change = CHANGES[instrument][number][i]
                status = statuses[i]
                if status == A and change is None:
                    status = M  # this instrument was not measured at the visit
                value = None if status != A else baseline + change
                rows.append(
                    {
                        "patient": pseudonym(number),
                        "patient_id": 100 + number,
                        "instrument": instrument,
                        "timepoint": name,
                        "baseline": baseline,
                        "value": value,
                        "status": status,
                        "day": None if value is None else target + number - 6,
                        "category": None,
                        "baseline_category": None,
                    }
                )
    return classified(rows)


def ms_report(*, synthetic: bool = True) -> dict:
    """The report dict for the rows of `ms_rows()`."""
    rows = ms_rows()
    return {
        "title": "Cumulative statistical report: Multiple sclerosis",
        "design": "Uncontrolled treatment registry (case series), not a controlled trial",
        "synthetic": synthetic,
        "condition": {"code": "ms", "name": "Multiple sclerosis"},
        "filters": {"product": None, "route": None},
        "data_source": "celltrace records of the Lisbon clinic (sample)",
        "period": {"first_administration": "2024-01-15", "last_administration": "2025-06-02"},
        "cutoff": "2026-01-31",
        "analysis_plan": {"version": PLAN["version"], "sha256": plan_sha256(PLAN)},
        "rules": {"small_cell": SMALL_CELL, "completeness_flag": 0.9},
        "flow": {
            "enquired": 40,
            "screened": 25,
            "eligible": 15,
            "treated": 12,
            "closed": [{"reason": "no reply", "n": 10}, {"reason": "declined", "n": 5}],
            "not_eligible": [
                {"reason": "contraindication", "n": 6},
                {"reason": "outside the criteria", "n": 4},
            ],
            "excluded": [{"reason": "eligible, not treated by the cut-off", "n": 3}],
        },  # fmt: skip
        "timepoints": [_timepoint(rows, name, window) for name, _, window in TIMEPOINTS],
        "follow_up": {
            "clarks_c": 0.87,
            "observed_days": 3480,
            "potential_days": 4000,
            "median_follow_up_days": 371.0,
            "median_follow_up_ci95": [365.0, 380.0],
        },  # fmt: skip
        "baseline": {
            "n": 12,
            "age": {"n": 12, "median": 44.5, "iqr": [38.0, 51.0]},
            "sex": {"female": 8, "male": 4, "not_recorded": 0},
            "disease_duration_years": {"n": 11, "median": 9.0, "iqr": [5.0, 14.0]},
            "prior_therapy": {"yes": 9, "no": 2, "not_recorded": 1},
            "scores": [
                {"instrument": "edss", "n": 12, "median": 3.75, "iqr": [2.875, 5.125]},
                {"instrument": "msis29_physical", "n": 12, "median": 46.5, "iqr": [39.0, 56.0]},
            ],
        },
        "outcomes": [
            _outcome(rows, instrument, name)
            for instrument in BASELINES
            for name, _, _ in TIMEPOINTS
        ],
        "time_to_event": [_survival()],
        "benchmarks": [],
        "safety": _safety(),
        "subgroups": [
            {
                "name": "sex",
                "exploratory": True,
                "rows": [
                    {"value": "female", "n": 8, "mean_change": None, "ci95": None},
                    {"value": "male", "n": 4, "mean_change": None, "ci95": None},
                ],
            },
        ],  # fmt: skip
        "limitations": list(PLAN["limitations"]),
    }


def without(report: dict, *keys: str) -> dict:
    """A copy of the report with these sections emptied (their data absent)."""
    report = copy.deepcopy(report)
    for key in keys:
        report[key] = [] if isinstance(report[key], list) else None
    return report


def _timepoint(rows: list[dict], name: str, window: tuple[int, int]) -> dict:
    statuses = {r["patient"]: r["status"] for r in rows if r["timepoint"] == name
                and r["instrument"] == "edss"}  # fmt: skip
    count = {s: list(statuses.values()).count(s) for s in (A, M, W, D, N)}
    due = count[A] + count[M] + count[W]
    completeness = count[A] / due if due >= SMALL_CELL else None
    return {
        "name": name, "window_days": list(window), "due": due, "assessed": count[A],
        "missed": count[M], "withdrawn": count[W], "died": count[D], "not_yet_due": count[N],
        "completeness": completeness,
        "flagged": completeness is not None and completeness < 0.9,
    }  # fmt: skip


def _outcome(rows: list[dict], instrument: str, name: str) -> dict:
    mine = [r for r in rows if r["instrument"] == instrument and r["timepoint"] == name]
    changes = [r["value"] - r["baseline"] for r in mine if r["value"] is not None]
    due = [r for r in mine if r["status"] in (A, M, W)]
    n = len(changes)
    big = n >= SMALL_CELL
    mean = statistics.fmean(changes) if big else None
    ci = list(stats.ttest_1samp(changes, 0).confidence_interval(0.95)) if big else None
    spec = PLAN["instruments"][instrument]["mcid"]
    better = -1 if PLAN["instruments"][instrument]["lower_is_better"] else 1
    paired = [(r["baseline"], r["value"] - r["baseline"]) for r in mine if r["value"] is not None]
    improved = sum(1 for b, c in paired if better * c >= _threshold(instrument, b))
    worsened = sum(1 for b, c in paired if -better * c >= _threshold(instrument, b))
    missing = len(due) - n
    return {
        "instrument": instrument, "label": LABELS[instrument][0], "unit": LABELS[instrument][1],
        "timepoint": name, "due": len(due), "assessed": n, "no_baseline": 0, "n": n,
        "mean_change": mean, "ci95": ci,
        "median_change": statistics.median(changes) if big else None,
        "iqr": list(statistics.quantiles(changes, n=4)[::2]) if big else None,
        "range": [min(changes), max(changes)] if big else None,
        "improved": improved, "no_clear_change": n - improved - worsened, "worsened": worsened,
        "mcid": {"kind": spec["kind"], "improvement": spec.get("improvement"),
                 "worsening": spec.get("worsening"), "text": spec["text"],
                 "source": spec["source"]},
        "responders": {
            "completers": _proportion(improved, n),
            "worst_case": _proportion(improved, len(due)),
            "best_case": _proportion(improved + missing, len(due)),
        },
    }  # fmt: skip


def _threshold(instrument: str, baseline: float) -> float:
    spec = PLAN["instruments"][instrument]["mcid"]
    if spec["kind"] == "disability_course":
        return measures.minimum_change(instrument, baseline, None)
    return spec["improvement"]


def _proportion(k: int, n: int) -> dict:
    ci = list(proportion_confint(k, n, method="wilson")) if n >= SMALL_CELL else None
    return {"k": k, "n": n, "ci95": ci}


def _survival() -> dict:
    fitter = KaplanMeierFitter().fit(KM_DAYS, KM_EVENTS)
    band = fitter.confidence_interval_survival_function_
    table = fitter.event_table
    at_days = []
    for day in (182, 365, 730):
        at_risk = sum(1 for d in KM_DAYS if d >= day)
        big = at_risk >= SMALL_CELL
        at_days.append({
            "day": day, "at_risk": at_risk,
            "survival": float(fitter.predict(day)) if big else None,
            "ci95": None,
        })  # fmt: skip
    return {
        "name": "confirmed_disability_worsening",
        "label": "Confirmed disability worsening (EDSS)",
        "patients": len(KM_DAYS), "events": sum(KM_EVENTS),
        "censored": len(KM_DAYS) - sum(KM_EVENTS),
        "times_days": [float(t) for t in fitter.timeline],
        "survival": [float(s) for s in fitter.survival_function_.iloc[:, 0]],
        "ci95_lower": [float(s) for s in band.iloc[:, 0]],
        "ci95_upper": [float(s) for s in band.iloc[:, 1]],
        "at_risk": [int(n) for n in table["at_risk"]],
        "at_days": at_days,
    }  # fmt: skip


def _safety() -> dict:
    low, high = stats.binomtest(4, 12).proportion_ci(0.95, method="exact")
    return {
        "treated": 12, "patients_with_event": 4, "patients_with_event_ci95": [low, high],
        "events": 5, "administrations": 24, "events_per_administration": 5 / 24,
        "patient_years": 11.6, "rate_per_100_patient_years": 43.1,
        "rate_ci95": [14.0, 100.6],
        "by_grade": [{"grade": 1, "patients": 3, "events": 3},
                     {"grade": 2, "patients": 1, "events": 1},
                     {"grade": 3, "patients": 1, "events": 1}],
        "by_seriousness": [{"serious": False, "patients": 3, "events": 4},
                           {"serious": True, "patients": 1, "events": 1}],
        "by_relatedness": [{"relatedness": "related", "patients": 2, "events": 2},
                           {"relatedness": "unlikely", "patients": 2, "events": 3}],
        "by_lot": [{"lot": "L-0001", "patients": 2, "events": 3},
                   {"lot": "L-0003", "patients": 2, "events": 2}],
        "serious": [{"patient": "P006", "term": "Pulmonary embolism", "grade": 3, "day": 40,
                     "relatedness": "unlikely", "outcome": "recovered", "lot": "L-0003"}],
        "deaths": [{"patient": "P011", "day": 140, "cause": "Road traffic accident",
                    "relatedness": "not related"}],
        "claims": [{"name": "fever", "text": "Fever in no more than 2 % of cases", "k": 1,
                    "n": 24, "ci95": [0.001, 0.211], "verdict": "not shown: the upper bound "
                    "of the 95 % CI is above 2 %"}],
    }  # fmt: skip


def sci_sample() -> tuple[dict, list[dict]]:
    """An SCI report and rows with AIS grades at 12 months, worked out by hand.

    12 due: A->A x5, A->B x2, B->C x1, C->C x1, C->B x1 (worse), 1 missed (baseline A),
    1 withdrawn (baseline B): 3 better, 6 unchanged, 1 worse, 2 no data; AIS A 2 of 7
    graded converted.
    """
    grades = "ABCDE"
    moves = [("A", "A")] * 5 + [("A", "B")] * 2 + [("B", "C"), ("C", "C"), ("C", "B")]
    moves += [("A", None), ("B", None)]
    rows = []
    for number, (start, end) in enumerate(moves, start=1):
        status = A if end else (M if number == 11 else W)
        rows.append({
            "patient": pseudonym(number), "patient_id": 200 + number, "instrument": "ais",
            "timepoint": "12 months", "baseline": float(grades.index(start)),
            "value": None if end is None else float(grades.index(end)), "status": status,
            "day": 365 if end else None, "category": end, "baseline_category": start,
        })  # fmt: skip
    report = ms_report()
    report.update(
        title="Cumulative statistical report: Spinal cord injury",
        condition={"code": "sci", "name": "Spinal cord injury"},
        timepoints=[_timepoint_of(rows, "12 months", (300, 450))],
        outcomes=[_outcome(rows, "ais", "12 months")], time_to_event=[],
    )  # fmt: skip
    report["outcomes"][0]["transitions"] = {
        "grades": list(grades), "columns": [*grades, "no data", "died"],
        "rows": [{"baseline": "A", "counts": [5, 2, 0, 0, 0, 1, 0]},
                 {"baseline": "B", "counts": [0, 0, 1, 0, 0, 1, 0]},
                 {"baseline": "C", "counts": [0, 1, 1, 0, 0, 0, 0]}],
        "better": 3, "same": 6, "worse": 1,
    }  # fmt: skip
    return report, classified(rows)


def _timepoint_of(rows: list[dict], name: str, window: tuple[int, int]) -> dict:
    statuses = [r["status"] for r in rows]
    due = sum(statuses.count(s) for s in (A, M, W))
    return {
        "name": name, "window_days": list(window), "due": due,
        "assessed": statuses.count(A), "missed": statuses.count(M),
        "withdrawn": statuses.count(W), "died": 0, "not_yet_due": 0,
        "completeness": statuses.count(A) / due, "flagged": statuses.count(A) / due < 0.9,
    }  # fmt: skip


def sci_benchmark() -> dict:
    """The SCI benchmark as the core computes it: 3/10 injured under a year before, 4/10 at
    1-5 years, 1/2 with no injury date."""

    def row(pid, grade):
        return {"patient": pseudonym(pid), "patient_id": pid, "instrument": "ais",
                "timepoint": "12 months", "baseline": 0.0, "value": float("ABCDE".index(grade)),
                "status": A, "day": 365, "category": grade, "baseline_category": "A"}  # fmt: skip

    grades = {**dict.fromkeys(range(1, 4), "B"), **dict.fromkeys(range(4, 11), "A")}
    grades |= {**dict.fromkeys(range(11, 15), "C"), **dict.fromkeys(range(15, 21), "A")}
    grades |= {21: "B", 22: "A"}
    day_0 = date(2025, 1, 1)
    years = {pid: 0.5 if pid <= 10 else 3.0 if pid <= 20 else None for pid in grades}
    patients = tuple(
        TreatedPatient(pid, day_0, 1, "MSC-UC", "iv", "main", "female",
                       disease_onset=y and day_0 - timedelta(days=round(y * 365.25)))
        for pid, y in years.items()
    )  # fmt: skip
    inputs = ReportInputs("sci", "SCI", date(2026, 6, 1), "sample", True,
                          Flow(22, 22, 22), patients,
                          ordinal_grades={"ais": tuple("ABCDE")})  # fmt: skip
    rows = [row(pid, grade) for pid, grade in grades.items()]
    (benchmark,) = benchmark_section(inputs, load_plan(PLAN), rows)
    return benchmark
