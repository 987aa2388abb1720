import pytest

from celltrace.clinical.disability_course import Options, Visit, detect_events
from celltrace.clinical.registry.inputs import Relapse
from celltrace.clinical.registry.plan import PlanError
from celltrace.clinical.registry.time_to_event import time_to_event_section

from .registry_cases import edss, latest_plan, on, plan_content, report_inputs, treated

# Freireich et al. 1963, 6-MP arm (Klein and Moeschberger's drug6mp): remission in weeks;
# True marks a relapse (the event), False a censored time.
SIX_MP = [(6, True)] * 3 + [(6, False), (7, True), (9, False), (10, True), (10, False),
          (11, False), (13, True), (16, True), (17, False), (19, False), (20, False),
          (22, True), (23, True), (25, False), (32, False), (32, False), (34, False),
          (35, False)]  # fmt: skip
# The published Kaplan-Meier table (R survival: survfit(conf.type = "log-log")), weeks:
# (time, n.risk, survival, lower 95 % CI, upper 95 % CI).
SIX_MP_TABLE = [
    (6, 21, 0.857, 0.620, 0.952),
    (7, 17, 0.807, 0.563, 0.923),
    (10, 15, 0.753, 0.503, 0.889),
    (13, 12, 0.690, 0.432, 0.849),
    (16, 11, 0.627, 0.368, 0.805),
    (22, 7, 0.538, 0.268, 0.747),
    (23, 6, 0.448, 0.188, 0.680),
]

NO_BOUND = {"ci95_lower_one_sided": None, "interval_note": None}


def six_mp_inputs():
    """One MS patient per 6-MP time, the weeks as days x 7: a confirmed rise, or no change."""
    patients, readings = [], []
    for pid, (weeks, relapse) in enumerate(SIX_MP, start=1):
        day = 7 * weeks
        patients.append(treated(pid))
        after = [(day, 3.0), (day + 91, 3.0)] if relapse else [(day, 2.0)]
        readings += edss(pid, (-10, 2.0), *after)
    return report_inputs(patients, readings=readings)


def curve(inputs, plan):
    """The confirmed disability worsening curve (plan 2 adds NEDA-3 beside it)."""
    (result,) = (
        r
        for r in time_to_event_section(inputs, plan)
        if r["name"] == "confirmed_disability_worsening"
    )
    return result


def test_the_curve_matches_the_published_kaplan_meier_table_with_log_log_limits():
    result = curve(six_mp_inputs(), latest_plan(small_cell=1))
    assert (result["patients"], result["events"], result["censored"]) == (21, 9, 12)
    rows = {t: i for i, t in enumerate(result["times_days"])}
    for weeks, at_risk, survival, lower, upper in SIX_MP_TABLE:
        i = rows[7 * weeks]
        assert result["at_risk"][i] == at_risk
        assert result["survival"][i] == pytest.approx(survival, abs=5e-4)
        assert result["ci95_lower"][i] == pytest.approx(lower, abs=5e-4)
        assert result["ci95_upper"][i] == pytest.approx(upper, abs=5e-4)
    assert result["times_days"][0] == 0 and result["survival"][0] == 1.0


def test_an_estimate_is_withheld_below_10_at_risk_but_its_number_at_risk_is_kept():
    result = curve(six_mp_inputs(), latest_plan())
    rows = {t: i for i, t in enumerate(result["times_days"])}
    ten, nine = rows[7 * 17], rows[7 * 19]
    assert (result["at_risk"][ten], result["at_risk"][nine]) == (10, 9)
    assert result["survival"][ten] == pytest.approx(0.627, abs=5e-4)
    assert result["ci95_lower"][ten] is not None and result["ci95_upper"][ten] is not None
    assert (result["survival"][nine], result["ci95_lower"][nine]) == (None, None)
    assert result["ci95_upper"][nine] is None


def test_the_report_days_read_the_step_function_and_withhold_below_10_at_risk():
    content = plan_content()
    content["time_to_event"]["confirmed_disability_worsening"]["report_at_days"] = [84, 140]
    result = curve(six_mp_inputs(), latest_plan(time_to_event=content["time_to_event"]))
    twelve_weeks, twenty_weeks = result["at_days"]
    assert (twelve_weeks["day"], twelve_weeks["at_risk"]) == (84, 12)
    assert twelve_weeks["survival"] == pytest.approx(0.753, abs=5e-4)
    assert twelve_weeks["ci95"] == pytest.approx([0.503, 0.889], abs=5e-4)
    assert twenty_weeks == {"day": 140, "survival": None, "ci95": None, "at_risk": 8, **NO_BOUND}


def test_before_the_first_event_the_curve_has_an_exact_one_sided_lower_bound_not_1_to_1():
    # No event among the 21 at risk: Clopper-Pearson's one-sided 95 % bound for 0 of 21,
    # 1 - (1 - 0.05^(1/21)), rather than lifelines' degenerate log-log interval [1, 1].
    content = plan_content()
    content["time_to_event"]["confirmed_disability_worsening"]["report_at_days"] = [28, 84]
    plan = latest_plan(small_cell=1, time_to_event=content["time_to_event"])
    result = curve(six_mp_inputs(), plan)
    assert (result["times_days"][0], result["at_risk"][0]) == (0, 21)
    assert (result["ci95_lower"][0], result["ci95_upper"][0]) == (None, None)
    assert result["ci95_lower_one_sided"][0] == pytest.approx(0.05 ** (1 / 21))
    first_event = result["times_days"].index(42)
    assert result["ci95_lower"][first_event] == pytest.approx(0.620, abs=5e-4)
    assert result["ci95_lower_one_sided"][first_event] is None

    four_weeks, twelve_weeks = result["at_days"]
    assert four_weeks == {
        "day": 28,
        "survival": 1.0,
        "ci95": None,
        "at_risk": 21,
        "ci95_lower_one_sided": pytest.approx(0.05 ** (1 / 21)),
        "interval_note": "no event yet: exact one-sided 95 % lower bound "
        "(Clopper-Pearson, 0 events among the 21 at risk)",
    }
    assert twelve_weeks["ci95"] == pytest.approx([0.503, 0.889], abs=5e-4)
    assert (twelve_weeks["ci95_lower_one_sided"], twelve_weeks["interval_note"]) == (None, None)


def one_patient(*pairs, relapses=()):
    inputs = report_inputs(
        [treated(1)],
        readings=edss(1, *pairs),
        relapses=[Relapse(1, on(day)) for day in relapses],
    )
    return curve(inputs, latest_plan(small_cell=1))


def test_a_rise_from_5_5_to_6_0_confirmed_12_weeks_later_is_a_worsening():
    result = one_patient((-5, 5.5), (90, 6.0), (174, 6.0))
    assert (result["events"], result["times_days"]) == (1, [0, 90])


def test_a_rise_from_5_0_to_5_5_is_below_the_one_point_needed_and_is_censored():
    # The plan's cut: 1.0 point from a baseline of 0.5-5.0, 0.5 only above 5.0.
    result = one_patient((-5, 5.0), (90, 5.5), (174, 5.5))
    assert (result["events"], result["censored"], result["times_days"]) == (0, 1, [0, 174])


def test_an_unconfirmed_rise_is_censored_at_the_last_edss_reading():
    result = one_patient((0, 2.0), (90, 3.0), (200, 2.0), (400, 2.5))
    assert (result["events"], result["times_days"][-1]) == (0, 400)


def test_a_relapse_associated_worsening_counts_as_a_worsening():
    result = one_patient((-5, 2.0), (90, 3.0), (180, 3.0), relapses=[80])
    assert (result["events"], result["times_days"]) == (1, [0, 90])


def test_readings_after_the_cut_off_do_not_confirm_a_worsening():
    readings = edss(1, (-5, 2.0), (90, 3.0), (180, 3.0))
    inputs = report_inputs([treated(1)], cutoff_day=150, readings=readings)
    result = curve(inputs, latest_plan(small_cell=1))
    assert (result["events"], result["times_days"]) == (0, [0, 90])


def test_the_baseline_is_the_last_reading_of_the_plans_baseline_window():
    # From the day -400 score of 4.0 the rise to 3.0 is no worsening; from day -30's 2.0 it is.
    result = one_patient((-400, 4.0), (-30, 2.0), (90, 3.0), (180, 3.0))
    assert result["events"] == 1
    no_baseline = one_patient((-120, 2.0), (90, 3.0), (180, 3.0))
    assert (no_baseline["patients"], no_baseline["no_baseline"]) == (0, 1)
    assert no_baseline["at_days"][0] == {
        "day": 182, "survival": None, "ci95": None, "at_risk": 0, **NO_BOUND
    }  # fmt: skip


def test_the_first_worsening_is_the_one_the_engine_finds_with_its_first_cdw_option():
    pairs = [(-5, 4.0), (60, 3.0), (150, 3.0), (240, 4.5), (330, 4.5), (420, 5.5), (510, 5.5)]
    (expected,) = detect_events(
        [Visit("p", on(day), score) for day, score in pairs], [], "edss", Options(event="firstCDW")
    )
    result = one_patient(*pairs)
    assert result["events"] == 1
    assert result["times_days"][-1] == (expected.date - on(0)).days


def test_a_condition_without_time_to_event_outcomes_has_none_and_unknown_ones_are_refused():
    assert time_to_event_section(report_inputs([treated(1)], condition="sci"), latest_plan()) == []
    content = plan_content()
    content["conditions"]["ms"]["time_to_event"] = ["neda_3"]
    with pytest.raises(PlanError, match="neda_3"):
        time_to_event_section(
            report_inputs([treated(1)]), latest_plan(conditions=content["conditions"])
        )
