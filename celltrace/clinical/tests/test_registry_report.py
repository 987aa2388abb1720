"""The assembled report: every key of the JSON contract, the header, the sections in order."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from celltrace.clinical.registry.report import build_report
from testkit.registry_cohort import latest_plan, registry_cohort

PLAN = latest_plan()

# docs/clinical/outcome-report.md, "The JSON": a key is never left out.
REPORT_KEYS = [
    "title", "design", "synthetic", "condition", "filters", "data_source", "period", "cutoff",
    "analysis_plan", "rules", "flow", "timepoints", "follow_up", "baseline", "outcomes",
    "time_to_event", "benchmarks", "safety", "subgroups", "limitations",
]  # fmt: skip
TIMEPOINT_KEYS = [
    "name", "window_days", "due", "assessed", "missed", "withdrawn", "died", "not_yet_due",
    "completeness", "flagged",
]  # fmt: skip
OUTCOME_KEYS = [
    "instrument", "label", "unit", "lower_is_better", "timepoint", "due", "assessed",
    "no_baseline", "n", "mean_change", "ci95", "median_change", "iqr", "range",
    "withheld_reason", "transitions", "improved", "no_clear_change", "worsened",
    "not_classifiable", "mcid", "responders",
]  # fmt: skip


def test_the_report_holds_every_key_of_the_contract_and_is_json():
    cohort = registry_cohort(patients=30)
    report = build_report(cohort, PLAN)
    assert list(report) == REPORT_KEYS
    assert [list(row) for row in report["timepoints"]] == [TIMEPOINT_KEYS] * 4
    assert [list(cell) for cell in report["outcomes"]] == [OUTCOME_KEYS] * 8 * 4
    assert list(report["outcomes"][0]["mcid"]) == [
        "kind",
        "improvement",
        "worsening",
        "text",
        "source",
    ]
    assert json.loads(json.dumps(report)) == report


def test_the_header_names_the_design_the_period_the_cut_off_and_the_plan():
    cohort = registry_cohort(patients=30)
    report = build_report(cohort, PLAN)
    first = sorted(p.first_administration for p in cohort.patients)
    assert report["title"] == "Cumulative statistical report: Multiple sclerosis"
    assert (
        report["design"] == "Uncontrolled treatment registry (case series), not a controlled trial"
    )
    assert report["synthetic"] is True
    assert report["condition"] == {"code": "ms", "name": "Multiple sclerosis"}
    assert report["filters"] == {"product": None, "route": None}
    assert report["period"] == {
        "first_administration": first[0].isoformat(),
        "last_administration": first[-1].isoformat(),
    }
    assert report["cutoff"] == "2026-11-01"
    assert report["analysis_plan"] == {"version": PLAN.version, "sha256": PLAN.sha256}
    assert report["rules"] == {"small_cell": 10, "completeness_flag": 0.9}
    assert report["limitations"] == list(PLAN.content["limitations"])


def test_outcomes_follow_the_plan_instrument_by_instrument_and_time_point_by_time_point():
    report = build_report(registry_cohort(patients=30, condition="ckd"), PLAN)
    cells = [(c["instrument"], c["timepoint"]) for c in report["outcomes"]]
    names = ["3 months", "6 months", "12 months", "24 months"]
    assert cells == [(code, name) for code in ("egfr", "uacr", "eq5d5l") for name in names]


def test_a_report_without_treated_patients_still_has_every_key():
    report = build_report(registry_cohort(patients=0), PLAN)
    assert report["period"] == {"first_administration": None, "last_administration": None}
    assert {row["due"] for row in report["timepoints"]} == {0}
    assert {cell["n"] for cell in report["outcomes"]} == {0}


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    patients=st.integers(0, 40),
    condition=st.sampled_from(["ms", "sci", "parkinsons", "t2d", "ckd", "lyme"]),
)
def test_every_treated_patient_is_counted_once_per_time_point(seed, patients, condition):
    report = build_report(registry_cohort(seed=seed, patients=patients, condition=condition), PLAN)
    for row in report["timepoints"]:
        assert row["due"] + row["died"] + row["not_yet_due"] == patients
        assert row["due"] == row["assessed"] + row["missed"] + row["withdrawn"]
    died = {row["name"]: row["died"] for row in report["timepoints"]}
    for cell in report["outcomes"]:
        assert cell["n"] + cell["no_baseline"] == cell["assessed"] <= cell["due"]
        if cell["responders"] is not None:
            worst, best = cell["responders"]["worst_case"], cell["responders"]["best_case"]
            everyone = cell["due"] + died[cell["timepoint"]]  # the dead are non-responders
            assert worst["k"] <= best["k"] <= best["n"] == worst["n"] == everyone
            assert worst["k"] + sum(worst["non_responders"].values()) == worst["n"]
            assert best["k"] + sum(best["non_responders"].values()) == best["n"]
            assert cell["improved"] + cell["no_clear_change"] + cell["worsened"] == cell["n"]
