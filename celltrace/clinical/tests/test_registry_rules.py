"""The report's rules are checked in code: a report that breaks one is never returned."""

import json

import pytest

from celltrace.clinical.registry.plan import load_plan
from celltrace.clinical.registry.report import build_report
from celltrace.clinical.registry.rules import ReportRuleBroken, check_report
from testkit.registry_cohort import PLAN_V1, plan_v1, registry_cohort

PLAN = plan_v1()


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
    content = json.loads(PLAN_V1.read_text(encoding="utf-8"))
    content["limitations"] = ["The improvement is statistically significant."]
    with pytest.raises(ReportRuleBroken, match="limitations"):
        build_report(registry_cohort(patients=12), load_plan(content))
