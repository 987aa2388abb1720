import datetime as dt
import math

import pytest

from celltrace.clinical.outcome_summary import (
    CONTRADICTED,
    INCONCLUSIVE,
    NO_DATA,
    SUPPORTED,
    Observation,
    baseline_and_latest,
    classify_change,
    compare_with_claim,
    mean_with_ci,
    summarize_instrument,
    t_quantile_975,
    timepoint_problem,
    wilson_interval,
)

D = dt.date


def test_t_quantiles_come_from_the_exact_table_and_a_close_approximation_above_30():
    assert t_quantile_975(1) == pytest.approx(12.706, abs=1e-3)
    assert t_quantile_975(4) == pytest.approx(2.776, abs=1e-3)
    assert t_quantile_975(30) == pytest.approx(2.042, abs=1e-3)
    assert t_quantile_975(40) == pytest.approx(2.0211, abs=1e-4)
    assert t_quantile_975(120) == pytest.approx(1.9799, abs=1e-4)
    with pytest.raises(ValueError):
        t_quantile_975(0)


def test_the_mean_and_its_interval_are_withheld_below_two_patients():
    assert mean_with_ci([]).mean is None
    one = mean_with_ci([1.5])
    assert one.n == 1 and one.too_small
    assert (one.mean, one.low, one.high) == (None, None, None)


def test_the_mean_interval_matches_a_hand_computation():
    # values -1, -0.5, 0: mean -0.5, sd 0.5, se 0.5/sqrt(3), t(2) 4.3027
    ci = mean_with_ci([-1.0, -0.5, 0.0])
    half = 4.3027 * 0.5 / math.sqrt(3)
    assert ci.mean == pytest.approx(-0.5)
    assert (ci.low, ci.high) == (pytest.approx(-0.5 - half), pytest.approx(-0.5 + half))


def test_the_wilson_interval_matches_published_values():
    # Newcombe (1998): 0/10 -> 0 to 0.2775; 1/10 -> 0.0179 to 0.4042
    zero = wilson_interval(0, 10)
    assert zero.rate == 0 and zero.low == 0 and zero.high == pytest.approx(0.2775, abs=1e-4)
    one = wilson_interval(1, 10)
    assert (one.low, one.high) == (
        pytest.approx(0.0179, abs=1e-4),
        pytest.approx(0.4042, abs=1e-4),
    )


def test_a_rate_over_no_patients_has_no_value():
    assert wilson_interval(0, 0).rate is None
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_the_last_baseline_is_paired_with_the_last_follow_up_after_it():
    obs = [
        Observation(1, "baseline", D(2026, 1, 1), 6.0),
        Observation(1, "baseline", D(2026, 1, 10), 5.5),
        Observation(1, "stay", D(2026, 1, 12), 5.5),
        Observation(1, "follow_up", D(2026, 4, 1), 5.0),
        Observation(1, "follow_up", D(2026, 7, 1), 4.5),
        Observation(2, "follow_up", D(2026, 4, 1), 3.0),  # no baseline
        Observation(3, "baseline", D(2026, 2, 1), 3.0),  # no follow-up
    ]
    pairs = baseline_and_latest(obs)
    assert [(p.patient_id, p.baseline, p.latest) for p in pairs] == [(1, 5.5, 4.5)]


def test_every_treated_patient_falls_in_exactly_one_follow_up_group():
    # EDSS. 1: 6 -> 5 (analysed), 2: 4 -> 4.5 (analysed), 3: 3 -> 3 (analysed),
    # 4: baseline only, check-up due (lost), 5: baseline only, nothing due (not yet due),
    # 6: follow-up without a baseline, 7: no value at all (no usable baseline),
    # 8: follow-up dated before its only baseline (no usable baseline), 9: untreated.
    obs = [
        Observation(1, "baseline", D(2026, 1, 1), 6.0),
        Observation(1, "follow_up", D(2026, 4, 1), 5.0),
        Observation(2, "baseline", D(2026, 1, 1), 4.0),
        Observation(2, "follow_up", D(2026, 4, 1), 4.5),
        Observation(3, "baseline", D(2026, 1, 1), 3.0),
        Observation(3, "follow_up", D(2026, 4, 1), 3.0),
        Observation(4, "baseline", D(2026, 1, 1), 7.0),
        Observation(5, "baseline", D(2026, 1, 1), 2.0),
        Observation(6, "follow_up", D(2026, 4, 1), 2.0),
        Observation(8, "follow_up", D(2026, 1, 1), 2.0),
        Observation(8, "baseline", D(2026, 2, 1), 2.0),
        Observation(9, "baseline", D(2026, 1, 1), 2.0),
        Observation(9, "follow_up", D(2026, 4, 1), 0.0),
    ]
    treated = {1, 2, 3, 4, 5, 6, 7, 8}
    summary = summarize_instrument("edss", obs, treated_ids=treated, checkup_due_ids={1, 4, 6})
    assert summary.treated == 8
    groups = (summary.analysed, summary.no_baseline, summary.not_yet_due, summary.lost)
    assert groups == (3, 3, 1, 1)
    assert sum(groups) == summary.treated and summary.n == summary.analysed
    assert summary.baseline.mean == pytest.approx(13 / 3)
    assert summary.latest.mean == pytest.approx(12.5 / 3)
    assert summary.change.mean == pytest.approx(-1 / 6)
    # 6 -> 5 is a clear improvement from above 5.0; +0.5 from 4.0 is within the threshold.
    assert (summary.improved, summary.no_clear_change, summary.worsened) == (1, 2, 0)


def test_a_treated_patient_without_any_value_still_counts():
    summary = summarize_instrument("pain", [], treated_ids={1, 2}, checkup_due_ids={1})
    assert (summary.treated, summary.analysed, summary.no_baseline) == (2, 0, 2)
    assert summary.change.n == 0 and summary.change.mean is None


@pytest.mark.parametrize(
    ("code", "baseline", "latest", "verdict"),
    [
        ("edss", 0.0, 1.0, 0),  # from 0 a worsening needs 1.5
        ("edss", 0.0, 1.5, -1),
        ("edss", 3.0, 3.5, 0),
        ("edss", 3.0, 4.0, -1),
        ("edss", 5.0, 5.5, 0),  # 5.0 still needs a full point
        ("edss", 5.0, 6.0, -1),
        ("edss", 5.5, 6.0, -1),  # above 5.0 half a point is enough (the engine's rule)
        ("edss", 6.0, 6.5, -1),
        ("edss", 6.0, 5.5, 1),
        ("edss", 4.0, 3.0, 1),
        ("pain", 7, 6, 0),  # Farrar 2001: 2 points
        ("pain", 7, 5, 1),
        ("pain", 3, 5, -1),
        ("hba1c", 8.0, 7.6, 0),
        ("hba1c", 8.0, 7.5, 1),
        ("hba1c", 7.0, 7.5, -1),
        ("egfr", 60, 64.9, 0),
        ("egfr", 60, 65, 1),
        ("egfr", 60, 55, -1),
        ("isncsci_motor", 40, 44, 0),
        ("isncsci_motor", 40, 45, 1),
        ("updrs3", 30, 27, 0),  # Horvath 2015: 3.25 better, 4.63 worse
        ("updrs3", 30, 26, 1),
        ("updrs3", 30, 34, 0),
        ("updrs3", 30, 35, -1),
    ],
)
def test_only_changes_beyond_the_clinical_threshold_count(code, baseline, latest, verdict):
    assert classify_change(code, baseline, latest) == verdict


def test_higher_is_better_for_motor_scores():
    obs = [
        Observation(1, "baseline", D(2026, 1, 1), 40),
        Observation(1, "follow_up", D(2026, 4, 1), 46),
    ]
    summary = summarize_instrument("isncsci_motor", obs, treated_ids={1}, checkup_due_ids=set())
    assert (summary.improved, summary.worsened) == (1, 0)
    assert summary.change.too_small and summary.change.mean is None


def test_a_claimed_maximum_rate_is_judged_by_the_whole_interval():
    assert compare_with_claim(wilson_interval(0, 0), 0.02) == NO_DATA
    assert compare_with_claim(wilson_interval(1, 4), 0.02) == CONTRADICTED
    assert compare_with_claim(wilson_interval(0, 10), 0.02) == INCONCLUSIVE
    assert compare_with_claim(wilson_interval(0, 1000), 0.02) == SUPPORTED


def test_baselines_come_before_treatment_and_follow_up_after_it():
    first = D(2026, 3, 2)
    assert timepoint_problem("baseline", D(2026, 3, 2), first) is None
    assert timepoint_problem("baseline", D(2026, 3, 3), first) is not None
    assert timepoint_problem("follow_up", D(2026, 3, 2), first) is not None
    assert timepoint_problem("follow_up", D(2026, 6, 2), first) is None
    assert timepoint_problem("follow_up", D(2026, 6, 2), None) is not None
    assert timepoint_problem("baseline", D(2026, 6, 2), None) is None
