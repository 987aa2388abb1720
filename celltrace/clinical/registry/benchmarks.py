"""The benchmark panel: what the treated patients did beside what published natural history
(or a sham arm) leads one to expect.

A benchmark is data in the plan. One with "expected_low"/"expected_high" is a proportion:
patients with the baseline grade who reached a better grade at the time point (exact
Clopper-Pearson CI). One with "expected_change" is a mean change from baseline at the time
point (Student's t CI, scipy). Observed and expected are compared only when the observed
interval exists (n at least plan.small_cell); the words say where the whole interval lies
against the expected range and claim nothing more: the patients were not compared with a
control group. docs/clinical/outcome-report.md ("Benchmarks") gives the rules.

A proportion whose source is stratified carries its strata in the plan ("strata": each a
label, the years since disease onset or injury at the first administration it holds, and
its own expected range). The patients are then compared stratum by stratum, and those
outside every stratum (later, or with no onset date recorded) are shown with no
expectation. The benchmark's headline (observed, expected, comparison) is the stratum
whose expected range is the benchmark's own, so a patient injured years before treatment
is never held against a first-year recovery rate; "observed_all" keeps every patient.
"""

from __future__ import annotations

from scipy import stats

from .inputs import ReportInputs, TreatedPatient
from .plan import AnalysisPlan, PlanError
from .safety import exact_proportion

HIGHER = "higher than expected"
LOWER = "lower than expected"
OVERLAPS = "overlaps the expected range"
TOO_FEW = "too few patients to compare"
NO_EXPECTATION = "no published expectation for this group"
OTHER_STRATUM = "other or unknown time since injury"
DAYS_PER_YEAR = 365.25


def benchmark_section(inputs: ReportInputs, plan: AnalysisPlan, rows: list[dict]) -> list[dict]:
    """Return the condition's benchmarks, each observed beside expected."""
    names = plan.condition(inputs.condition_code).benchmarks
    if not names:
        return []
    years = years_since_onset(inputs.patients)
    return [
        _benchmark(name, plan.benchmarks[name], plan, rows, years, inputs.ordinal_grades)
        for name in names
    ]


def years_since_onset(patients: tuple[TreatedPatient, ...]) -> dict[int, float | None]:
    """Each patient's years from disease onset (or injury) to the first administration."""
    return {
        p.patient_id: (p.first_administration - p.disease_onset).days / DAYS_PER_YEAR
        if p.disease_onset is not None
        else None
        for p in patients
    }


def _benchmark(
    name: str, spec: dict, plan: AnalysisPlan, rows, years: dict, ordinal_grades: dict
) -> dict:
    at_timepoint = [
        r
        for r in rows
        if r["instrument"] == spec["instrument"] and r["timepoint"] == spec["timepoint"]
    ]
    if "expected_low" in spec:
        # A conversion: "better" is a later grade on the measure's own scale, worst to best.
        grades = ordinal_grades.get(spec["instrument"])
        if not grades:
            raise PlanError(
                f"The benchmark {name!r} counts better grades, but {spec['instrument']!r} "
                "is not measured on a graded scale."
            )
        spec = {**spec, "grades": grades}
    if "expected_low" in spec and spec.get("strata"):
        return _stratified(name, spec, plan, at_timepoint, years)
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


def _stratified(name: str, spec: dict, plan: AnalysisPlan, rows: list[dict], years) -> dict:
    """Observed beside expected in each stratum of time since onset; the headline is the
    stratum whose expected range is the benchmark's own."""
    strata, placed = [], set()
    for stratum in spec["strata"]:
        low, high = stratum["years"]
        members = [
            r for r in rows if years.get(r["patient_id"]) is not None
            and low <= years[r["patient_id"]] < high
        ]  # fmt: skip
        placed.update(id(r) for r in members)
        observed, expected = _conversion(_what(spec) | stratum, members, plan.small_cell)
        range_ = [stratum["expected_low"], stratum["expected_high"]]
        strata.append(_stratum(stratum["label"], stratum.get("text", ""), observed, expected,
                               compare(observed["ci95"], range_)))  # fmt: skip
    others = [r for r in rows if id(r) not in placed]
    observed, _ = _conversion(_what(spec), others, plan.small_cell)
    strata.append(_stratum(OTHER_STRATUM, "", observed, None, NO_EXPECTATION))
    headline = next(
        (s for s, given in zip(strata, spec["strata"], strict=False)
         if [given["expected_low"], given["expected_high"]]
         == [spec["expected_low"], spec["expected_high"]]),
        strata[0],
    )  # fmt: skip
    everyone, _ = _conversion(_what(spec), rows, plan.small_cell)
    return {
        "name": name,
        "label": spec["label"],
        "text": spec["text"],
        "source": spec["source"],
        "observed": {**headline["observed"], "stratum": headline["label"]},
        "expected": headline["expected"],
        "comparison": headline["comparison"],
        "stratified_by": "years from disease onset or injury to the first administration",
        "strata": strata,
        "observed_all": everyone,
    }


def _what(spec: dict) -> dict:
    """The parts of a conversion benchmark that every stratum shares."""
    return {
        "timepoint": spec["timepoint"],
        "baseline_category": spec["baseline_category"],
        "grades": spec["grades"],
        "expected_low": None,
        "expected_high": None,
    }


def _stratum(label: str, text: str, observed: dict, expected: dict | None, comparison: str):
    return {
        "label": label,
        "text": text,
        "observed": observed,
        "expected": expected,
        "comparison": comparison,
    }


def _conversion(spec: dict, rows: list[dict], small_cell: int) -> tuple[dict, dict]:
    """Patients with the baseline grade assessed at the time point who reached a better one."""
    start = spec["baseline_category"]
    with_baseline = [r for r in rows if r["baseline_category"] == start]
    assessed = [r for r in with_baseline if r["status"] == "assessed" and r["category"]]
    grades = [g.upper() for g in spec["grades"]]
    k = sum(grades.index(r["category"].upper()) > grades.index(start.upper()) for r in assessed)
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
