import json
from dataclasses import replace

import pytest

from celltrace.clinical.registry.inputs import FollowUpEnd, MriScan, Relapse
from celltrace.clinical.registry.plan import check_successor, load_plan
from celltrace.clinical.registry.rules import check_report
from celltrace.clinical.registry.time_to_event import time_to_event_section

from .registry_cases import PLAN_FILE, edss, latest_plan, on, report_inputs, treated

V2 = load_plan(json.loads(PLAN_FILE.with_name("v2.json").read_text()))


def v2_plan(small_cell=None):
    """The plan version 2 (NEDA-3 for MS), or a copy with a smaller small cell."""
    return V2 if small_cell is None else replace(V2, small_cell=small_cell)


def test_plan_2_adds_neda_3_for_ms_and_keeps_everything_of_plan_1():
    check_successor(latest_plan(), V2)
    assert V2.condition("ms").time_to_event == ("confirmed_disability_worsening", "ms_neda3_loss")
    assert "NEDA-3" in V2.content["changes"]


STEADY = ((-5, 2.0), (182, 2.0), (365, 2.0), (730, 2.0))


def neda(inputs, plan=None):
    plan = plan or v2_plan(small_cell=1)
    cdw, entry = time_to_event_section(inputs, plan)
    assert (cdw["name"], entry["name"]) == ("confirmed_disability_worsening", "ms_neda3_loss")
    return entry


def one(*pairs, relapses=(), scans=(), cutoff_day=1000, end=None):
    inputs = report_inputs(
        [treated(1, end=end)],
        cutoff_day=cutoff_day,
        readings=edss(1, *pairs),
        relapses=[Relapse(1, on(day)) for day in relapses],
        mri_scans=[MriScan(1, on(day), t2, gd) for day, t2, gd in scans],
    )
    return neda(inputs)


def test_the_entry_has_the_keys_of_every_time_to_event_entry_and_the_status():
    entry = one(*STEADY, scans=[(300, 0, 0)])
    cdw_keys = set(time_to_event_section(report_inputs([treated(1)]), V2)[0])
    assert cdw_keys | {"status_at"} == set(entry)
    assert [s["timepoint"] for s in entry["status_at"]] == ["12 months", "24 months"]


def test_a_relapse_ends_neda_3_at_its_onset():
    entry = one(*STEADY, relapses=[100], scans=[(300, 0, 0)])
    assert (entry["events"], entry["times_days"]) == (1, [0, 100])


def test_a_new_t2_or_a_gd_enhancing_lesion_ends_it_at_the_scan_and_no_contrast_does_not():
    assert one(*STEADY, scans=[(200, 1, None)])["times_days"] == [0, 200]
    assert one(*STEADY, scans=[(150, 0, 2)])["times_days"] == [0, 150]
    quiet = one(*STEADY, scans=[(150, 0, None)])
    assert (quiet["events"], quiet["times_days"]) == (0, [0, 730])


def test_a_confirmed_worsening_ends_it_as_the_cdw_curve_finds_it():
    worse = ((-5, 2.0), (90, 3.0), (180, 3.0))
    entry = one(*worse, scans=[(300, 0, 0)])
    assert (entry["events"], entry["times_days"]) == (1, [0, 90])


def test_the_first_of_the_three_counts():
    worse = ((-5, 2.0), (90, 3.0), (180, 3.0))
    assert one(*worse, relapses=[60], scans=[(30, 1, 0)])["times_days"] == [0, 30]


def test_activity_before_day_0_or_after_the_cut_off_does_not_count():
    entry = one(*STEADY, relapses=[-30, 900], scans=[(-10, 3, 1)], cutoff_day=800)
    assert (entry["events"], entry["times_days"]) == (0, [0, 730])


def test_without_activity_it_is_censored_at_the_last_edss_or_mri_and_the_end_of_follow_up():
    assert one(*STEADY, scans=[(760, 0, 0)])["times_days"] == [0, 760]
    ended = FollowUpEnd(on(400), "withdrawn")
    assert one(*STEADY, scans=[(760, 0, 0)], end=ended)["times_days"] == [0, 400]


def test_a_patient_without_a_baseline_edss_is_not_analysed_and_counted():
    entry = one((30, 2.0), scans=[(30, 0, 0)])
    assert (entry["patients"], entry["no_baseline"]) == (0, 1)


def cohort():
    """Twelve patients followed two years: 9 quiet with MRI, 1 relapse, 1 without MRI, 1
    without an EDSS reading in the 12-month window (but MRI), and one treated late."""
    patients, readings, scans = [], [], []
    for pid in range(1, 13):
        patients.append(treated(pid))
        pairs = STEADY if pid != 11 else ((-5, 2.0), (182, 2.0), (730, 2.0))
        readings += edss(pid, *pairs)
        if pid != 10:
            scans.append(MriScan(pid, on(360), 0, 0))
    late = treated(13)
    patients.append(late.__class__(**{**_fields(late), "first_administration": on(600)}))
    readings += edss(13, (595, 2.0))
    return report_inputs(
        patients, cutoff_day=1000, readings=readings, relapses=[Relapse(12, on(200))],
        mri_scans=scans,
    )  # fmt: skip


def _fields(patient):
    return {name: getattr(patient, name) for name in patient.__slots__}


def test_neda_3_at_12_months_counts_only_patients_whose_data_allow_and_says_why_not():
    twelve, _ = neda(cohort(), V2)["status_at"]
    assert twelve["due"] == 12 and twelve["not_due"] == 1
    assert (twelve["k"], twelve["n"], twelve["lost"]) == (9, 10, 1)
    assert twelve["not_evaluable"] == {"no_baseline": 0, "no_mri": 1, "no_edss": 1}
    assert twelve["proportion"] == pytest.approx(0.9)
    assert twelve["ci95"] == pytest.approx([0.5550, 0.9975], abs=5e-4)  # Clopper-Pearson
    assert twelve["period_days"] == [1, 450]


def test_at_24_months_a_missing_12_month_reading_no_longer_matters():
    _, twenty_four = neda(cohort(), V2)["status_at"]
    assert (twenty_four["k"], twenty_four["n"]) == (10, 11)
    assert twenty_four["not_evaluable"] == {"no_baseline": 0, "no_mri": 1, "no_edss": 0}


def test_neda_3_is_withheld_below_10_evaluable_and_passes_the_report_rules():
    inputs = report_inputs(
        [treated(1)], readings=edss(1, *STEADY), mri_scans=[MriScan(1, on(300), 0, 0)]
    )
    entry = neda(inputs, V2)
    twelve, _ = entry["status_at"]
    assert (twelve["k"], twelve["n"], twelve["proportion"], twelve["ci95"]) == (1, 1, None, None)
    assert entry["at_days"][0]["survival"] is None
    check_report({"time_to_event": [entry]}, V2)
