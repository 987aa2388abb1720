"""The demo clinic makes the cumulative outcome report meaningful and honest.

Per time point of the analysis plan (days after the first administration), the MS report
has enough patients to show more than counts (n >= 10), some check-ups are missed (so
completeness is below 100 %), every value is in a window, in the baseline window, or one of
the few check-ups done just past a window, and results go both ways.
"""

import datetime as dt

import pytest
from django.db.models import Min
from django.utils import timezone

from celltrace.catalog.models import Condition
from celltrace.clinical.follow_up import CHECKUPS
from celltrace.demo.stories import PAST_WINDOW_DAYS, TIMEPOINTS
from celltrace.followup.models import FollowUpEnd, FollowUpItem
from celltrace.outcomes import instruments
from celltrace.outcomes.models import Measurement, MriScan, Relapse
from celltrace.outcomes.reports import ReportQuestion, make_report
from celltrace.patients.models import Patient
from celltrace.screening.models import PriorTherapy

SMALL_CELL = 10
BASELINE_FIRST_DAY = -90


def _day_zero() -> dict[int, dt.date]:
    """Each treated patient's first administration, the report's day 0."""
    first = Patient.objects.annotate(first=Min("stays__administrations__given_at"))
    return {p.pk: timezone.localdate(p.first) for p in first.exclude(first=None)}


def _edss_days(day_zero) -> dict[int, list[tuple[int, float, str]]]:
    """MS patients' EDSS readings as (day after day 0, value, timepoint)."""
    readings = {}
    for m in Measurement.objects.filter(patient__condition__code="ms", instrument="edss"):
        day = (m.measured_on - day_zero[m.patient_id]).days
        readings.setdefault(m.patient_id, []).append((day, m.value, m.timepoint))
    return readings


def _in_window(readings, timepoint) -> set[int]:
    return {
        pid
        for pid, rows in readings.items()
        if any(timepoint.holds(day) and kind == "follow_up" for day, _v, kind in rows)
    }


def test_the_ms_report_has_ten_or_more_patients_at_3_6_and_12_months_and_some_at_24(demo):
    readings = _edss_days(_day_zero())
    counts = {tp.name: len(_in_window(readings, tp)) for tp in TIMEPOINTS}
    for name in ("3 months", "6 months", "12 months"):
        assert counts[name] >= SMALL_CELL, counts
    assert counts["24 months"] >= 1, counts


def test_some_ms_patients_missed_the_6_and_the_12_month_check_up(demo):
    day_zero, today = _day_zero(), timezone.localdate()
    ms = set(Patient.objects.filter(condition__code="ms").values_list("pk", flat=True))
    readings = _edss_days(day_zero)
    for timepoint in TIMEPOINTS[1:3]:
        closed = {
            pid
            for pid, first in day_zero.items()
            if pid in ms and (today - first).days > timepoint.last_day
        }
        assessed = _in_window(readings, timepoint) & closed
        assert closed - assessed, timepoint.name  # completeness below 100 %
        assert len(assessed) / len(closed) >= 0.6, (timepoint.name, len(assessed), len(closed))


def test_every_value_is_in_the_baseline_window_a_time_points_window_or_just_past_one(demo):
    day_zero, past = _day_zero(), []
    measurements = Measurement.objects.filter(patient_id__in=day_zero)
    assert measurements.filter(timepoint="follow_up").exists()
    for m in measurements:
        day = (m.measured_on - day_zero[m.patient_id]).days
        if m.timepoint == "baseline":
            assert BASELINE_FIRST_DAY <= day <= 0, m
        elif not any(tp.holds(day) for tp in TIMEPOINTS):
            # A check-up done a few days after its window closed counts for no time point.
            assert any(0 < day - tp.last_day <= PAST_WINDOW_DAYS[1] for tp in TIMEPOINTS), m
            past.append(m)
    assert past, "no check-up done past its window"
    assert len(past) < measurements.filter(timepoint="follow_up").count() / 10


def test_each_check_up_is_due_on_its_time_points_target_day_after_the_first_administration(
    demo,
):
    day_zero = _day_zero()
    targets = {day for _months, day in CHECKUPS}
    checkups = FollowUpItem.objects.filter(kind="checkup")
    assert checkups.exists()
    for item in checkups:
        assert (item.due_date - day_zero[item.patient_id]).days in targets, item


def test_ms_disability_goes_both_ways_and_a_few_patients_had_a_relapse(demo):
    day_zero = _day_zero()
    readings = _edss_days(day_zero)
    changes = []
    for rows in readings.values():
        base = [value for _day, value, kind in rows if kind == "baseline"]
        later = [value for _day, value, kind in rows if kind == "follow_up"]
        if base and later:
            changes.append(later[-1] - base[-1])
    assert any(c > 0 for c in changes) and any(c < 0 for c in changes)
    assert sum(c == 0 for c in changes) > len(changes) / 3  # mostly stable
    relapses = Relapse.objects.select_related("patient__condition")
    assert 1 <= relapses.count() <= len(readings) / 4
    for relapse in relapses:
        assert relapse.patient.condition.code == "ms" and relapse.patient.synthetic
        assert relapse.note.startswith("Synthetic"), relapse
        assert relapse.onset > day_zero[relapse.patient_id], relapse


def test_all_the_registry_data_is_synthetic(demo):
    treated = Patient.objects.filter(stays__administrations__isnull=False).distinct()
    assert treated.exists() and not treated.filter(synthetic=False).exists()
    assert not Patient.objects.filter(measurements__isnull=False, synthetic=False).exists()


def _report(code: str) -> dict:
    """The condition's cumulative report today over every site, as the command line makes it."""
    question = ReportQuestion(Condition.objects.get(code=code), timezone.localdate())
    return make_report(question, None).data


@pytest.fixture
def ms_report(demo):
    return _report("ms")


def test_every_plan_outcome_of_each_condition_is_recorded_at_baseline_and_follow_up(demo):
    for code, condition in instruments.analysis_plan().conditions.items():
        treated = Patient.objects.filter(condition__code=code, stays__administrations__isnull=False)
        for outcome in condition.outcomes:
            for timepoint in ("baseline", "follow_up"):
                readings = Measurement.objects.filter(
                    patient__in=treated, instrument=outcome, timepoint=timepoint
                )
                assert readings.exists(), (code, outcome, timepoint)


def test_questionnaires_keep_their_item_answers_and_are_scored_by_the_product(demo):
    physical = Measurement.objects.filter(instrument="msis29_physical").first()
    items = physical.details["items"]
    assert physical.details["instrument"] == "msis29" and len(items) == 29
    raw = sum(items[f"item_{n}"] for n in range(1, 21))
    assert physical.value == pytest.approx((raw - 20) / 80 * 100, abs=0.01)


def test_the_ms_report_shows_its_statistics_honestly(ms_report):
    timepoints = {tp["name"]: tp for tp in ms_report["timepoints"]}
    assert any(timepoints[name]["completeness"] < 1 for name in ("6 months", "12 months"))
    cells = [o for o in ms_report["outcomes"] if o["n"] >= 10]
    assert cells and all(o["mean_change"] is not None and o["ci95"] for o in cells)
    assert {o["instrument"] for o in cells} >= {"edss", "msis29_physical", "eq5d5l", "sdmt"}
    responders = [o["responders"] for o in cells if o["responders"]]
    assert responders
    for classes in responders:
        assert set(classes) == {"completers", "worst_case", "best_case"}
        assert all(classes[name]["n"] > 0 for name in classes)
    worsening, _neda3 = ms_report["time_to_event"]  # CDW, then NEDA-3 loss (plan 2)
    assert worsening["at_risk"] and worsening["at_risk"][0] > worsening["at_risk"][-1]
    safety = ms_report["safety"]
    assert safety["rate_per_100_patient_years"] is not None and safety["rate_ci95"]
    assert ms_report["limitations"]


def test_ms_results_go_both_ways_on_the_questionnaires(ms_report):
    changes = {
        o["instrument"]: o["mean_change"]
        for o in ms_report["outcomes"]
        if o["timepoint"] == "12 months" and o["n"] >= 10
    }
    classes = [o for o in ms_report["outcomes"] if o["n"] >= 10 and o["improved"] is not None]
    assert any(o["improved"] for o in classes) and any(o["worsened"] for o in classes)
    assert changes.keys() >= {"t25fw", "nhpt", "msis29_psychological", "pain"}


def test_withdrawn_patients_are_counted_as_withdrawn_not_missed(ms_report):
    ends = FollowUpEnd.objects.filter(patient__condition__code="ms")
    assert 1 <= ends.count() <= 2 and not FollowUpEnd.objects.filter(reason="died").exists()
    for end in ends:
        assert end.reason == "withdrawn" and end.detail.startswith("Synthetic")
    withdrawn = {tp["name"]: tp["withdrawn"] for tp in ms_report["timepoints"]}
    assert withdrawn["3 months"] == withdrawn["6 months"] == 0
    assert withdrawn["12 months"] == ends.count()


def test_sci_has_ais_grades_from_the_exams_at_baseline_and_12_months(demo):
    report = _report("sci")
    (ais,) = [s for s in report["baseline"]["scores"] if s["instrument"] == "ais"]
    grades = {c["category"]: c["n"] for c in ais["categories"]}
    assert grades.keys() <= set("ABCD") and grades.get("A", 0) + grades.get("B", 0) > 0
    at_12 = next(
        o for o in report["outcomes"] if (o["instrument"], o["timepoint"]) == ("ais", "12 months")
    )
    assert at_12["assessed"] > 0
    motor = Measurement.objects.filter(instrument="isncsci_motor").first()
    assert motor.details["instrument"] == "isncsci" and "classification" in motor.details
    for patient in Patient.objects.filter(measurements__instrument="ais").distinct():
        readings = patient.measurements.filter(instrument="ais").order_by("measured_on")
        grades = [m.value for m in readings]
        assert max(grades) - grades[0] <= 1 and min(grades) >= grades[0]  # no miracles


def test_the_ms_report_shows_neda_3_with_patients_whose_data_do_not_allow_it(demo):
    report = _report("ms")
    neda = next(t for t in report["time_to_event"] if t["name"] == "ms_neda3_loss")
    assert neda["patients"] >= 10 and 0 < neda["events"] < neda["patients"]
    twelve = neda["status_at"][0]
    assert twelve["n"] >= 10 and twelve["proportion"] is not None
    assert twelve["not_evaluable"]["no_mri"] > 0  # some had no MRI: counted, not dropped
    reasons = sum(twelve["not_evaluable"].values())
    assert twelve["due"] == twelve["lost"] + twelve["k"] + reasons
    scans = MriScan.objects.select_related("patient__condition")
    assert scans.exists() and all(s.patient.condition.code == "ms" for s in scans)
    assert any(s.active for s in scans) and any(s.gd_lesions is None for s in scans)


def test_ms_patients_have_prior_therapies_and_the_baseline_counts_them(demo):
    baseline = _report("ms")["baseline"]
    assert baseline["prior_therapy"]["yes"] > 0 and baseline["prior_therapy"]["no"] > 0
    categories = {c["category"] for c in baseline["prior_therapy_by_category"]}
    assert {"injectable platform therapy", "high-efficacy therapy"} <= categories
    assert PriorTherapy.objects.exclude(patient__condition__code="ms").count() == 0
