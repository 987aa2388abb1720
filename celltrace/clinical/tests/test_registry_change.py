"""Change from baseline, MCID classes, responders and time-point completeness."""

from collections import Counter

import numpy as np
import pytest
from scipy import stats as scipy_stats

from celltrace.clinical.registry.change import outcome_cell
from celltrace.clinical.registry.mcid import classify_change
from celltrace.clinical.registry.report import build_report
from celltrace.clinical.registry.timepoints import timepoint_row
from testkit.registry_cohort import latest_plan, registry_cohort
from testkit.registry_sample import sci_sample

PLAN = latest_plan()
AIS = ("A", "B", "C", "D", "E")


def row(baseline, value, status=None):
    status = status or ("assessed" if value is not None else "missed")
    return {"baseline": baseline, "value": value, "status": status}


def cell(code, rows):
    return outcome_cell(PLAN.instruments[code], "6 months", rows, PLAN)


CHANGES = [-3.0, -2.0, -2.0, -1.0, 0.0, 1.0, -4.0, -2.5, 0.5, -1.5]


def test_nine_pairs_show_counts_only():
    result = cell("pain", [row(6.0, 6.0 + c) for c in CHANGES[:9]])
    assert (result["n"], result["assessed"], result["due"]) == (9, 9, 9)
    estimates = ("mean_change", "ci95", "median_change", "iqr", "range")
    assert [result[key] for key in estimates] == [None] * 5
    assert result["improved"] + result["no_clear_change"] + result["worsened"] == 9
    assert all(p["ci95"] is None for p in result["responders"].values())


def test_ten_pairs_show_the_paired_t_interval_median_iqr_and_range():
    baselines = [6.0, 5.0, 7.0, 8.0, 4.0, 6.0, 9.0, 5.0, 3.0, 7.0]
    after = [b + c for b, c in zip(baselines, CHANGES, strict=True)]
    result = cell("pain", [row(b, a) for b, a in zip(baselines, after, strict=True)])
    paired = scipy_stats.ttest_rel(after, baselines).confidence_interval(0.95)
    assert result["n"] == 10
    assert result["mean_change"] == pytest.approx(np.mean(CHANGES))
    assert result["ci95"] == pytest.approx([paired.low, paired.high])
    assert result["median_change"] == pytest.approx(-1.75)
    assert result["iqr"] == pytest.approx([-2.375, -0.25])  # numpy's linear quartiles
    assert result["range"] == [-4.0, 1.0]


def test_identical_changes_have_no_interval_and_say_why():
    # A paired t interval of 0 to 0 would claim certainty that ten patients cannot give.
    result = cell("pain", [row(6.0, 5.0)] * 10)
    assert (result["mean_change"], result["ci95"]) == (-1.0, None)
    assert result["withheld_reason"] == "no spread: all 10 changes equal"
    assert (result["median_change"], result["iqr"], result["range"]) == (
        -1.0, [-1.0, -1.0], [-1.0, -1.0]
    )  # fmt: skip


def test_changes_with_spread_withhold_nothing():
    result = cell("pain", [row(6.0, 6.0 + c) for c in CHANGES])
    assert result["ci95"] is not None and result["withheld_reason"] is None


@pytest.mark.parametrize(
    ("code", "baseline", "value", "verdict"),
    [
        ("edss", 5.5, 6.0, "worsened"),  # the engine: 0.5 is enough above 5.0
        ("edss", 5.0, 5.5, "no_clear_change"),  # up to 5.0 a full point is needed
        ("edss", 5.0, 6.0, "worsened"),
        ("edss", 0.0, 1.0, "no_clear_change"),  # from 0, 1.5
        ("edss", 0.0, 1.5, "worsened"),
        ("edss", 4.0, 3.0, "improved"),
        ("sdmt", 50, 54, "improved"),  # higher is better; 20 % capped at 4 points
        ("sdmt", 50, 53, "no_clear_change"),
        ("sdmt", 10, 8, "worsened"),  # 20 % of 10
        ("t25fw", 10.0, 12.0, "worsened"),  # 20 % slower
        ("t25fw", 10.0, 8.5, "no_clear_change"),
        ("egfr", 60, 78, "improved"),  # relative: 30 % of 60 is 18
        ("egfr", 60, 77, "no_clear_change"),
        ("egfr", 60, 42, "worsened"),
        ("uacr", 100, 70, "improved"),  # lower is better
        ("uacr", 100, 71, "no_clear_change"),
        ("uacr", 100, 130, "worsened"),
        ("uacr", 0, 0, "not_classifiable"),  # 30 % of 0 is no threshold at all
        ("uacr", 0, 10, "not_classifiable"),
        ("egfr", 0, 5, "not_classifiable"),
        ("t25fw", 0.0, 6.0, "not_classifiable"),  # the engine's 20 %: the same rule
        ("nhpt", 0.0, 0.0, "not_classifiable"),
        ("sdmt", 0, 5, "not_classifiable"),
        ("edss", 0.0, 0.0, "no_clear_change"),  # 1.5 from EDSS 0 is a threshold
        ("msis29_psychological", 40, 20, "not_classifiable"),  # no MCID
        ("updrs3", 30, 26.75, "improved"),  # asymmetric: 3.25 better
        ("updrs3", 30, 34, "no_clear_change"),  # 4.63 worse
        ("updrs3", 30, 34.63, "worsened"),
    ],
)
def test_a_change_is_classified_by_the_instruments_mcid(code, baseline, value, verdict):
    assert classify_change(PLAN.instruments[code], baseline, value) == verdict


def test_an_instrument_without_an_mcid_has_no_classes_and_no_responders():
    result = cell("msis29_psychological", [row(40, 30)] * 12)
    assert (result["improved"], result["no_clear_change"], result["worsened"]) == (None,) * 3
    assert result["not_classifiable"] is None
    assert result["responders"] is None
    assert result["mean_change"] == -10.0  # the change is still described


def test_responders_under_three_denominators():
    rows = [
        row(6, 4), row(6, 3), row(6, 6), row(6, 7),  # 4 pairs, 2 improved (pain MCID 1.8)
        row(None, 2),  # assessed without a baseline
        row(6, None), row(None, None),  # missed
        row(6, None, "withdrawn"), row(6, None, "died"), row(6, None, "not_yet_due"),
    ]  # fmt: skip
    result = cell("pain", rows)
    assert (result["due"], result["assessed"], result["no_baseline"], result["n"]) == (8, 5, 1, 4)
    assert (result["improved"], result["no_clear_change"], result["worsened"]) == (2, 2, 0)
    assert result["responders"] == {
        "completers": {"k": 2, "n": 4, "ci95": None},
        # everyone whose time point has come, the dead too (not the one not yet due)
        "worst_case": {
            "k": 2,
            "n": 9,
            "ci95": None,
            "non_responders": {  # the 4 due without a pair and the dead fail
                "died": 1,
                "withdrawn": 1,
                "missed": 2,
                "no_baseline": 1,
                "not_classifiable": 0,
                "not_improved": 2,
            },
        },  # fmt: skip
        "best_case": {
            "k": 6,
            "n": 9,
            "ci95": None,
            "imputed_responders": {
                "withdrawn": 1,
                "missed": 2,
                "no_baseline": 1,
                "not_classifiable": 0,
            },
            "non_responders": {"died": 1, "not_improved": 2},  # the dead never respond
        },
    }


def test_a_change_from_a_zero_baseline_of_a_relative_mcid_is_counted_not_classifiable():
    rows = [row(100, 60), row(100, 100), row(100, 140), row(0, 0), row(0, 25), row(50, None)]
    result = cell("uacr", rows)
    assert (result["due"], result["n"]) == (6, 5)
    assert (result["improved"], result["no_clear_change"], result["worsened"]) == (1, 1, 1)
    assert result["not_classifiable"] == 2
    assert result["mean_change"] is None  # under ten pairs; the change is still counted in n
    assert result["responders"] == {
        "completers": {"k": 1, "n": 3, "ci95": None},  # classified pairs only
        "worst_case": {  # not classifiable: not a responder
            "k": 1,
            "n": 6,
            "ci95": None,
            "non_responders": {
                "died": 0,
                "withdrawn": 0,
                "missed": 1,
                "no_baseline": 0,
                "not_classifiable": 2,
                "not_improved": 2,
            },
        },
        "best_case": {  # ... or one, like a missing value
            "k": 4,
            "n": 6,
            "ci95": None,
            "imputed_responders": {
                "withdrawn": 0,
                "missed": 1,
                "no_baseline": 0,
                "not_classifiable": 2,
            },
            "non_responders": {"died": 0, "not_improved": 2},
        },
    }


def test_a_patient_who_died_before_the_time_point_is_a_worst_case_non_responder():
    rows = [row(6, 3)] * 10 + [row(6, None, "died")] * 2
    responders = cell("pain", rows)["responders"]
    assert (responders["completers"]["k"], responders["completers"]["n"]) == (10, 10)
    worst, best = responders["worst_case"], responders["best_case"]
    assert (worst["k"], worst["n"], worst["non_responders"]["died"]) == (10, 12, 2)
    assert (best["k"], best["n"], best["non_responders"]["died"]) == (10, 12, 2)
    wilson = scipy_stats.binomtest(10, 12).proportion_ci(0.95, method="wilson")
    assert worst["ci95"] == pytest.approx([wilson.low, wilson.high])


def test_responder_intervals_are_wilson_from_ten_up():
    rows = [row(6, 3)] * 7 + [row(6, 6)] * 5 + [row(6, None)] * 3
    responders = cell("pain", rows)["responders"]
    for name, k, n in (("completers", 7, 12), ("worst_case", 7, 15), ("best_case", 10, 15)):
        wilson = scipy_stats.binomtest(k, n).proportion_ci(0.95, method="wilson")
        assert (responders[name]["k"], responders[name]["n"]) == (k, n)
        assert responders[name]["ci95"] == pytest.approx([wilson.low, wilson.high])


def counts(**given):
    return Counter(given)


def test_completeness_is_withheld_below_ten_due():
    row9 = timepoint_row("6 months", [150, 240], counts(assessed=8, missed=1, died=3), PLAN)
    assert (row9["due"], row9["died"], row9["completeness"], row9["flagged"]) == (9, 3, None, False)
    row10 = timepoint_row("6 months", [150, 240], counts(assessed=9, withdrawn=1), PLAN)
    assert (row10["due"], row10["completeness"], row10["flagged"]) == (10, 0.9, False)


def test_completeness_under_ninety_percent_is_flagged():
    row = timepoint_row("6 months", [150, 240], counts(assessed=89, missed=11, not_yet_due=4), PLAN)
    assert (row["due"], row["not_yet_due"], row["completeness"], row["flagged"]) == (
        100,
        4,
        0.89,
        True,
    )


def test_the_ais_grade_is_ordinal_shown_as_transitions_never_as_a_mean():
    _, rows = sci_sample()  # 12 due: A->A x5, A->B x2, B->C, C->C, C->B, A missed, B withdrew
    rows.append(dict(rows[0], patient="P013", status="died", value=None, category=None))
    result = outcome_cell(PLAN.instruments["ais"], "12 months", rows, PLAN, grades=AIS)
    assert result["n"] == 10
    estimates = ("mean_change", "ci95", "median_change", "iqr", "range")
    assert [result[key] for key in estimates] == [None] * 5
    assert result["withheld_reason"] == "ordinal grade: shown as transitions"
    assert result["transitions"] == {
        "grades": ["A", "B", "C", "D", "E"],
        "columns": ["A", "B", "C", "D", "E", "no data", "died"],
        "rows": [
            {"baseline": "A", "counts": [5, 2, 0, 0, 0, 1, 1]},
            {"baseline": "B", "counts": [0, 0, 1, 0, 0, 1, 0]},
            {"baseline": "C", "counts": [0, 1, 1, 0, 0, 0, 0]},
        ],
        "better": 3,
        "same": 6,
        "worse": 1,
    }
    assert (result["improved"], result["worsened"]) == (3, 1)  # the MCID: one grade


def test_a_score_has_no_transitions():
    result = cell("pain", [row(6.0, 6.0 + c) for c in CHANGES])
    assert result["transitions"] is None and result["mean_change"] is not None


def test_the_report_shows_the_ais_as_transitions_from_the_grades_its_inputs_carry():
    cohort = registry_cohort(seed=23, patients=60, condition="sci")
    assert cohort.ordinal_grades == {"ais": AIS}
    report = build_report(cohort, PLAN)
    ais = [c for c in report["outcomes"] if c["instrument"] == "ais"]
    assert ais and all(c["mean_change"] is None and c["transitions"] for c in ais)
    assert any(c["n"] >= PLAN.small_cell for c in ais)  # withheld for the scale, not for n
    motor = [c for c in report["outcomes"] if c["instrument"] == "isncsci_motor"]
    assert any(c["mean_change"] is not None for c in motor)
    assert all(c["transitions"] is None for c in motor)
