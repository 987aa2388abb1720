"""The report's rules are checked in code: a report that breaks one is never returned."""

import json

import pytest

from celltrace.clinical.registry.plan import PlanError, load_plan
from celltrace.clinical.registry.report import build_report
from celltrace.clinical.registry.rules import (
    DESIGN,
    LIMITATIONS,
    ReportRuleBroken,
    check_report,
)
from testkit.registry_cohort import LATEST_PLAN_FILE, latest_plan, registry_cohort

PLAN = latest_plan()
V1 = json.loads(LATEST_PLAN_FILE.read_text(encoding="utf-8"))


def test_a_mean_over_fewer_than_ten_patients_is_refused():
    with pytest.raises(ReportRuleBroken, match=r"outcomes\[0\]: mean_change .* n = 9"):
        check_report({"outcomes": [{"n": 9, "mean_change": 1.0, "ci95": None}]}, PLAN)
    check_report({"outcomes": [{"n": 10, "mean_change": 1.0, "ci95": [0.1, 1.9]}]}, PLAN)


@pytest.mark.parametrize("key", ["ci95", "median", "iqr", "range", "percentage", "rate_ci95"])
def test_no_estimate_is_shown_for_a_small_cell(key):
    with pytest.raises(ReportRuleBroken, match=key):
        check_report({"cell": {"n": 4, key: [1, 2]}}, PLAN)
    check_report({"cell": {"n": 4, key: None}}, PLAN)


def test_a_completeness_needs_ten_due_and_its_counts():
    with pytest.raises(ReportRuleBroken, match="completeness"):
        check_report({"timepoints": [{"due": 9, "assessed": 9, "completeness": 1.0}]}, PLAN)
    with pytest.raises(ReportRuleBroken, match="without assessed and due"):
        check_report({"timepoints": [{"completeness": 0.95}]}, PLAN)


def test_a_survival_estimate_needs_ten_at_risk():
    with pytest.raises(ReportRuleBroken, match="survival"):
        check_report({"at_days": [{"day": 365, "survival": 0.9, "at_risk": 8}]}, PLAN)


def test_a_proportion_needs_its_n():
    with pytest.raises(ReportRuleBroken, match="its n"):
        check_report({"claims": [{"k": 3, "ci95": None}]}, PLAN)


def test_the_word_significant_appears_nowhere():
    with pytest.raises(ReportRuleBroken, match="significant"):
        check_report({"limitations": ["No Significant change was seen."]}, PLAN)


def test_build_report_checks_the_rules_before_it_returns():
    content = json.loads(LATEST_PLAN_FILE.read_text(encoding="utf-8"))
    content["limitations"].append("The improvement is statistically significant.")
    with pytest.raises(ReportRuleBroken, match="limitations"):
        build_report(registry_cohort(patients=12), load_plan(content))


@pytest.mark.parametrize(
    ("key", "value", "named"),
    [
        ("small_cell", 2, "small_cell"),
        ("completeness_flag", 0.5, "completeness_flag"),
        ("design", "Treatment outcomes", "design"),
        ("limitations", [], "fixed limitation"),
    ],
)
def test_a_plan_cannot_switch_a_rule_off(key, value, named):
    content = {**json.loads(json.dumps(V1)), "version": "2", key: value}
    with pytest.raises(PlanError, match=named):
        load_plan(content)


def test_a_plan_may_be_stricter_than_the_rules():
    extra = "Most patients paid for their treatment."
    content = {**json.loads(json.dumps(V1)), "small_cell": 20, "completeness_flag": 0.95}
    content["limitations"] = [*content["limitations"], extra]
    plan = load_plan(content)
    report = build_report(registry_cohort(patients=12), plan)
    assert report["limitations"][-1] == extra and report["design"] == DESIGN
    assert all(text in report["limitations"] for text in LIMITATIONS)
    assert report["outcomes"][0]["n"] < 20 and report["outcomes"][0]["mean_change"] is None


def test_a_report_without_the_design_or_a_fixed_limitation_is_refused():
    report = build_report(registry_cohort(patients=3), PLAN)
    with pytest.raises(ReportRuleBroken, match="design"):
        check_report({**report, "design": "Outcomes"}, PLAN)
    with pytest.raises(ReportRuleBroken, match="fixed limitation"):
        check_report({**report, "limitations": report["limitations"][1:]}, PLAN)
