import numpy as np
import pytest
from lifelines import KaplanMeierFitter
from statsmodels.duration.survfunc import SurvfuncRight

from celltrace.clinical.registry.follow_up_time import follow_up_section, follow_up_times
from celltrace.clinical.registry.inputs import DIED, WITHDRAWN, FollowUpEnd, Reading

from .registry_builders import CUTOFF, START, day, patient, plan, report_inputs

PLAN = plan()


def _alive(patient_id, last_day):
    return patient(patient_id, last_contact=day(last_day))


def _died(patient_id, last_day, death_day):
    return patient(patient_id, last_contact=day(last_day), end=FollowUpEnd(day(death_day), DIED))


def _three_patients():
    """Cut-off day 366 (2025-01-01, 2024 being a leap year)."""
    withdrawn = patient(3, end=FollowUpEnd(day(150), WITHDRAWN))
    readings = (
        Reading(3, "edss", day(60), 3.0),
        Reading(3, "edss", day(30), 3.5),
        Reading(1, "edss", day(200), 2.0),  # before patient 1's last contact: not the last
    )
    patients = [_alive(1, 300), _died(2, 91, 182), withdrawn]
    return report_inputs(patients, readings=readings, cutoff=day(366))


def test_clarks_c_is_observed_over_potential_follow_up_time():
    section = follow_up_section(_three_patients(), plan(small_cell=3))

    # observed: 300 (last contact) + 91 (last contact before death) + 60 (last reading);
    # potential: 366 (cut-off) + 182 (death) + 366 (withdrawn: runs to the cut-off).
    assert section["observed_days"] == 300 + 91 + 60
    assert section["potential_days"] == 366 + 182 + 366
    assert section["clarks_c"] == pytest.approx(451 / 914)
    assert section["flagged"] is True  # under 90 %
    assert section["patients"] == 3


def test_a_reading_after_the_cutoff_or_after_the_last_contact_is_handled():
    late = report_inputs(
        [_alive(1, 100)],
        readings=(Reading(1, "edss", day(120), 2.0), Reading(1, "edss", day(400), 2.0)),
        cutoff=day(366),
    )

    [time] = follow_up_times(late)

    assert (time.observed, time.potential) == (120, 366)


def test_a_patient_without_any_contact_after_the_first_administration_observed_nothing():
    [time] = follow_up_times(report_inputs([patient(1)], cutoff=day(50)))

    assert (time.observed, time.potential) == (0, 50)


def test_below_the_small_cell_follow_up_shows_times_but_no_index_or_median():
    nine = report_inputs([_alive(i, 300) for i in range(1, 10)], cutoff=day(366))

    section = follow_up_section(nine, PLAN)

    assert section["observed_days"] == 9 * 300
    assert section["potential_days"] == 9 * 366
    assert section["clarks_c"] is None
    assert section["median_follow_up_days"] is None
    assert section["median_follow_up_ci95"] is None
    assert section["flagged"] is False


def test_at_the_small_cell_follow_up_shows_index_and_median():
    ten = report_inputs([_alive(i, 30 * i) for i in range(1, 11)], cutoff=day(366))

    section = follow_up_section(ten, PLAN)

    assert section["clarks_c"] == pytest.approx(sum(30 * i for i in range(1, 11)) / (10 * 366))
    # The estimate is exactly one half from day 150 (the fifth of ten last contacts) to
    # day 180; the median is the first time it falls below one half (lifelines, statsmodels).
    assert section["median_follow_up_days"] == 180
    assert section["median_follow_up_ci95"] is not None


def _known_set():
    """Seven followed to a last contact, three who died (censored in reverse)."""
    alive = [_alive(i, d) for i, d in enumerate([100, 200, 300, 400, 500, 600, 700], 1)]
    died = [_died(8, 100, 150), _died(9, 300, 350), _died(10, 500, 550)]
    return report_inputs(alive + died, cutoff=day(800))


def test_median_follow_up_by_reverse_kaplan_meier_worked_by_hand():
    # At risk and "events" (last contacts): 100: 9/10 -> 0.9; 150 death censored;
    # 200: x7/8 -> 0.7875; 300: x6/7 -> 0.675; 350 censored; 400: x4/5 -> 0.54;
    # 500: x3/4 -> 0.405, the first time at or below one half.
    section = follow_up_section(_known_set(), PLAN)

    assert section["median_follow_up_days"] == 500


def test_median_follow_up_and_its_interval_match_lifelines_and_statsmodels():
    durations = np.array([100, 200, 300, 400, 500, 600, 700, 150, 350, 550], float)
    followed = np.array([1, 1, 1, 1, 1, 1, 1, 0, 0, 0])

    section = follow_up_section(_known_set(), PLAN)

    lifelines_fit = KaplanMeierFitter().fit(durations, followed)
    assert section["median_follow_up_days"] == lifelines_fit.median_survival_time_
    independent = SurvfuncRight(durations, followed)
    assert section["median_follow_up_days"] == independent.quantile(0.5)
    assert section["median_follow_up_ci95"] == pytest.approx(
        list(independent.quantile_ci(0.5, method="cloglog"))
    )


def test_deaths_do_not_shorten_the_median_follow_up():
    section = follow_up_section(_known_set(), PLAN)

    naive = np.median([t.observed for t in follow_up_times(_known_set())])
    assert naive < section["median_follow_up_days"]


def test_a_median_not_reached_is_null():
    alive = [_alive(i, 100 * i) for i in range(1, 4)]
    died = [_died(i, 300, 400 + 50 * i) for i in range(4, 11)]

    section = follow_up_section(report_inputs(alive + died, cutoff=START.replace(2026)), PLAN)

    assert section["median_follow_up_days"] is None
    assert section["median_follow_up_ci95"] is None


def test_potential_follow_up_of_the_living_runs_to_the_cutoff():
    times = follow_up_times(report_inputs([_alive(1, 10)], cutoff=CUTOFF))

    assert times[0].potential == (CUTOFF - START).days
