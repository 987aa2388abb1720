import datetime as dt

import pytest
from django.utils import timezone

from celltrace.catalog.models import Condition
from celltrace.followup.models import FollowUpItem
from celltrace.outcomes.summary import condition_summary
from celltrace.outcomes.tests.conftest import event
from testkit.journey import make_patient, make_plan, make_stay


@pytest.fixture
def ms(catalog):
    return Condition.objects.get(code="ms")


def checkup(patient, *, due):
    return FollowUpItem.objects.create(
        patient=patient,
        stay=patient.stays.get(),
        kind=FollowUpItem.Kind.CHECKUP,
        title="Three-month check-up",
        due_date=due,
    )


def groups(stats):
    return (stats.analysed, stats.no_baseline, stats.not_yet_due, stats.lost)


def test_stages_are_derived_from_the_records(cohort, ms, manager):
    stages = {s.code: s.patients for s in condition_summary(ms, manager).stages}
    assert stages == {
        "request": 2,
        "screened": 1,
        "planned": 1,
        "in_lab": 1,
        "on_ward": 1,
        "follow_up": 3,
    }


def test_the_edss_summary_matches_the_hand_computation(cohort, ms, manager):
    summary = condition_summary(ms, manager)
    assert summary.treated == 4
    (edss,) = summary.instruments
    stats = edss.stats
    # P4 is still on the ward with no check-up due: not yet due, not lost.
    assert groups(stats) == (3, 0, 1, 0) and stats.n == 3
    assert sum(groups(stats)) == stats.treated == summary.treated
    assert stats.baseline.mean == pytest.approx(13 / 3)
    assert stats.latest.mean == pytest.approx(12.5 / 3)
    assert stats.change.mean == pytest.approx(-1 / 6)
    # sd of (-1, 0.5, 0) = 0.76376; se = 0.44096; t(2) = 4.3027
    assert stats.change.low == pytest.approx(-2.0640, abs=1e-3)
    assert stats.change.high == pytest.approx(1.7306, abs=1e-3)
    # 6 -> 5 clears the 0.5 step above EDSS 5.0; 4 -> 4.5 is within the 1.0 step.
    assert (stats.improved, stats.no_clear_change, stats.worsened) == (1, 2, 0)


def test_a_check_up_due_before_today_without_a_value_is_loss_to_follow_up(cohort, ms, manager):
    checkup(cohort.p4, due=timezone.localdate() - dt.timedelta(days=1))
    (edss,) = condition_summary(ms, manager).instruments
    assert groups(edss.stats) == (3, 0, 0, 1)


def test_a_check_up_due_today_or_later_is_not_yet_due(cohort, ms, manager):
    checkup(cohort.p4, due=timezone.localdate())
    (edss,) = condition_summary(ms, manager).instruments
    assert groups(edss.stats) == (3, 0, 1, 0)


def test_treated_patients_without_a_baseline_are_counted_not_dropped(
    cohort, ms, manager, doctor, site, nurse, lab_technician
):
    from celltrace.outcomes.tests.conftest import measure, treated_patient

    patient, _ = treated_patient(site, doctor, nurse, lab_technician)
    measure(patient, doctor, 4.0, on=dt.date(2026, 6, 1), timepoint="follow_up")
    treated_patient(site, doctor, nurse, lab_technician)  # no EDSS at all
    summary = condition_summary(ms, manager)
    (edss,) = summary.instruments
    assert summary.treated == 6 and groups(edss.stats) == (3, 2, 1, 0)


def test_adverse_events_count_patients_over_the_treated_with_wilson_intervals(
    cohort, ms, manager, doctor, nurse, site
):
    event(cohort.p1.stay, nurse, "Fever again", 1)  # a second event of the same patient
    untreated_stay = make_stay(make_plan(make_patient(site), doctor), nurse)
    event(untreated_stay, nurse, "Fever", 4)  # no product given in this stay: not counted
    summary = condition_summary(ms, manager)
    rows = {r.code: r for r in summary.adverse_events}
    assert {code: (r.patients.events, r.patients.n, r.events) for code, r in rows.items()} == {
        "any": (2, 4, 3),
        "grade_1": (1, 4, 2),
        "grade_2": (1, 4, 1),
        "grade_3": (0, 4, 0),
        "grade_4": (0, 4, 0),
        "grade_5": (0, 4, 0),
        "grade_3_plus": (0, 4, 0),
        "serious": (0, 4, 0),
    }
    # Wilson 2/4: 0.1500 to 0.8500; 0/4: 0 to 0.4899
    assert rows["any"].patients.low == pytest.approx(0.1500, abs=1e-4)
    assert rows["any"].patients.high == pytest.approx(0.8500, abs=1e-4)
    assert rows["serious"].patients.rate == 0 and rows["serious"].patients.high == pytest.approx(
        0.4899, abs=1e-4
    )
    fever = summary.fever
    assert (fever.events, fever.n, fever.rate) == (1, 4, 0.25)
    assert fever.low == pytest.approx(0.0456, abs=1e-4)
    assert fever.high == pytest.approx(0.6994, abs=1e-4)
    assert summary.fever_claim == 0.02 and summary.fever_verdict == "contradicted"


def test_an_administrator_sees_every_site(cohort, ms, admin_user):
    summary = condition_summary(ms, admin_user)
    assert summary.treated == 5
    assert summary.instruments[0].stats.n == 4
    assert summary.fever.events == 2  # "fever after infusion" counts as a fever event


def test_a_condition_without_treated_patients_has_no_rates(ms, manager):
    summary = condition_summary(ms, manager)
    assert summary.treated == 0 and summary.instruments == []
    assert all(r.patients.rate is None for r in summary.adverse_events)
    assert summary.fever_verdict == "no_data"


def test_every_instrument_has_a_documented_clear_change_threshold():
    from celltrace.clinical.outcome_summary import SUMMARISED_INSTRUMENTS, instrument

    for code in SUMMARISED_INSTRUMENTS:
        better, worse = instrument(code).clear_change(5.0)
        assert better > 0 and worse > 0 and instrument(code).threshold_note
