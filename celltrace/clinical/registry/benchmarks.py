"""The benchmark panel: what the treated patients did beside what published natural history
(or a sham arm) leads one to expect.

A benchmark is data in the plan. One with "expected_low"/"expected_high" is a proportion:
patients with the baseline grade who reached a better grade at the time point (exact
Clopper-Pearson CI). One with "expected_change" is a mean change from baseline at the time
point (Student's t CI, scipy). Observed and expected are compared only when the observed
interval exists (n at least plan.small_cell); the words say where the whole interval lies
against the expected range and claim nothing more: the patients were not compared with a
control group. docs/clinical/outcome-report.md ("Benchmarks") gives the rules.
"""

from __future__ import annotations

from scipy import stats

from .inputs import ReportInputs
from .plan import AnalysisPlan, PlanError
from .safety import exact_proportion

# ASIA Impairment Scale, from complete (A) to normal (E): a later letter is a better grade.
AIS_GRADES = "ABCDE"
HIGHER = "higher than expected"
LOWER = "lower than expected"
OVERLAPS = "overlaps the expected range"
TOO_FEW = "too few patients to compare"


def benchmark_section(inputs: ReportInputs, plan: AnalysisPlan, rows: list[dict]) -> list[dict]:
    """Return the condition's benchmarks, each observed beside expected."""
    return [
        _benchmark(name, plan.benchmarks[name], plan, rows)
        for name in plan.condition(inputs.condition_code).benchmarks
    ]


def _benchmark(name: str, spec: dict, plan: AnalysisPlan, rows: list[dict]) -> dict:
    at_timepoint = [
        r
        for r in rows
        if r["instrument"] == spec["instrument"] and r["timepoint"] == spec["timepoint"]
    ]
    if "expected_low" in spec:
        observed, expected = _conversion(spec, at_timepoint, plan.small_cell)
        interval, expected_range = observed["ci95"], [spec["expected_low"], spec["expected_high"]]
    elif "expected_change" in spec:
        observed, expected = _mean_change(spec, at_timepoint, plan.small_cell)
        interval, expected_range = observed["ci95"], spec["expected_ci95"]
    else:
        raise PlanError(f"The benchmark {name!r} has neither an expected range nor a change.")
    return {
        "name": name,
        "label": spec["label"],
        "text": spec["text"],
        "source": spec["source"],
        "observed": observed,
        "expected": expected,
        "comparison": compare(interval, expected_range),
    }


def _conversion(spec: dict, rows: list[dict], small_cell: int) -> tuple[dict, dict]:
    """Patients with the baseline grade assessed at the time point who reached a better one."""
    start = spec["baseline_category"]
    with_baseline = [r for r in rows if r["baseline_category"] == start]
    assessed = [r for r in with_baseline if r["status"] == "assessed" and r["category"]]
    k = sum(_better_grade(r["category"], start) for r in assessed)
    proportion, ci = exact_proportion(k, len(assessed), small_cell)
    observed = {
        "timepoint": spec["timepoint"],
        "with_baseline": len(with_baseline),
        "k": k,
        "n": len(assessed),
        "proportion": proportion,
        "ci95": ci,
    }
    return observed, {"low": spec["expected_low"], "high": spec["expected_high"]}


def _better_grade(category: str, start: str) -> bool:
    return AIS_GRADES.index(category.upper()) > AIS_GRADES.index(start.upper())


def _mean_change(spec: dict, rows: list[dict], small_cell: int) -> tuple[dict, dict]:
    """The mean change from baseline of patients with a value in the time point's window."""
    with_baseline = [r for r in rows if r["baseline"] is not None]
    changes = [
        r["value"] - r["baseline"]
        for r in with_baseline
        if r["status"] == "assessed" and r["value"] is not None
    ]
    mean, ci = None, None
    if len(changes) >= max(small_cell, 2):
        result = stats.ttest_1samp(changes, 0.0)
        low, high = result.confidence_interval(confidence_level=0.95)
        mean, ci = float(sum(changes) / len(changes)), [float(low), float(high)]
    observed = {
        "timepoint": spec["timepoint"],
        "with_baseline": len(with_baseline),
        "n": len(changes),
        "mean_change": mean,
        "ci95": ci,
    }
    return observed, {"mean_change": spec["expected_change"], "ci95": list(spec["expected_ci95"])}


def compare(interval: list | None, expected: list) -> str:
    """Say where the whole observed 95 % CI lies against the expected range, if it exists."""
    if interval is None:
        return TOO_FEW
    low, high = sorted(expected)
    if interval[0] > high:
        return HIGHER
    if interval[1] < low:
        return LOWER
    return OVERLAPS
