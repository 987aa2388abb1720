import datetime as dt
import math

import pytest

from celltrace.clinical.outcome_summary import (
    Observation,
    baseline_and_latest,
    instrument_range,
    mean_with_ci,
    summarize_instrument,
    t_quantile_975,
    timepoint_problem,
    value_problem,
    wilson_interval,
)

D = dt.date


def test_each_instrument_has_its_range_and_step():
    assert instrument_range("edss") == (0, 10, 0.5)
    assert instrument_range("isncsci_motor") == (0, 100, 1)
    assert instrument_range("pain") == (0, 10, 1)
    assert instrument_range("hba1c") == (3, 20, 0.1)
    assert instrument_range("egfr") == (0, 200, None)
    assert instrument_range("updrs3") == (0, 132, 1)


@pytest.mark.parametrize(
    ("code", "value", "ok"),
    [
        ("edss", 0, True),
        ("edss", 10, True),
        ("edss", 3.5, True),
        ("edss", 3.3, False),
        ("edss", 10.5, False),
        ("edss", -0.5, False),
        ("pain", 7, True),
        ("pain", 7.5, False),
        ("hba1c", 6.8, True),
        ("hba1c", 2.9, False),
        ("egfr", 63.4, True),
        ("egfr", 201, False),
        ("updrs3", 132, True),
        ("updrs3", 133, False),
        ("isncsci_motor", 100, True),
        ("edss", math.nan, False),
    ],
)
def test_values_outside_an_instruments_range_or_step_are_refused(code, value, ok):
    assert (value_problem(code, value) is None) is ok


def test_an_unknown_instrument_is_refused():
    assert value_problem("iq", 100) == "Unknown instrument iq."


def test_t_quantiles_come_from_the_exact_table_and_a_close_approximation_above_30():
    assert t_quantile_975(1) == pytest.approx(12.706, abs=1e-3)
    assert t_quantile_975(4) == pytest.approx(2.776, abs=1e-3)
    assert t_quantile_975(30) == pytest.approx(2.042, abs=1e-3)
    assert t_quantile_975(40) == pytest.approx(2.0211, abs=1e-4)
    assert t_quantile_975(120) == pytest.approx(1.9799, abs=1e-4)
    with pytest.raises(ValueError):
        t_quantile_975(0)


def test_the_mean_change_interval_is_withheld_below_two_patients():
    assert mean_with_ci([]).mean is None
    one = mean_with_ci([1.5])
    assert one.mean == 1.5 and one.low is None and one.too_small


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


def test_an_instrument_summary_counts_direction_and_loss_to_follow_up():
    # EDSS, lower is better. Patient 1: 6 -> 5 (improved), 2: 4 -> 4.5 (worse),
    # 3: 3 -> 3 (unchanged), 4: treated, baseline only (lost), 5: untreated (ignored).
    obs = [
        Observation(1, "baseline", D(2026, 1, 1), 6.0),
        Observation(1, "follow_up", D(2026, 4, 1), 5.0),
        Observation(2, "baseline", D(2026, 1, 1), 4.0),
        Observation(2, "follow_up", D(2026, 4, 1), 4.5),
        Observation(3, "baseline", D(2026, 1, 1), 3.0),
        Observation(3, "follow_up", D(2026, 4, 1), 3.0),
        Observation(4, "baseline", D(2026, 1, 1), 7.0),
        Observation(5, "baseline", D(2026, 1, 1), 2.0),
        Observation(5, "follow_up", D(2026, 4, 1), 0.0),
    ]
    summary = summarize_instrument("edss", obs, treated_ids={1, 2, 3, 4})
    assert summary.n == 3
    assert summary.treated == 4 and summary.without_follow_up == 1
    assert summary.baseline.mean == pytest.approx(13 / 3)
    assert summary.latest.mean == pytest.approx(12.5 / 3)
    assert summary.change.mean == pytest.approx(-1 / 6)
    assert (summary.improved, summary.unchanged, summary.worsened) == (1, 1, 1)


def test_higher_is_better_for_motor_scores():
    obs = [
        Observation(1, "baseline", D(2026, 1, 1), 40),
        Observation(1, "follow_up", D(2026, 4, 1), 46),
    ]
    summary = summarize_instrument("isncsci_motor", obs, treated_ids={1})
    assert (summary.improved, summary.worsened) == (1, 0)
    assert summary.change.too_small


def test_baselines_come_before_treatment_and_follow_up_after_it():
    first = D(2026, 3, 2)
    assert timepoint_problem("baseline", D(2026, 3, 2), first) is None
    assert timepoint_problem("baseline", D(2026, 3, 3), first) is not None
    assert timepoint_problem("follow_up", D(2026, 3, 2), first) is not None
    assert timepoint_problem("follow_up", D(2026, 6, 2), first) is None
    assert timepoint_problem("follow_up", D(2026, 6, 2), None) is not None
    assert timepoint_problem("baseline", D(2026, 6, 2), None) is None
