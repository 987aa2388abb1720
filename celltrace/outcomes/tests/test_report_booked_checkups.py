"""A check-up booked in its window counts as assessed in the outcome report (issue 13).

The report judges each time point by the analysis plan's window (REPORT.md section 2;
docs/clinical/outcome-report.md, "Statuses"): a booking is not a value, so it never makes
a visit assessed by itself, but a patient booked inside a window still open at the cut-off
is "not yet due", never missed, even when the check-up's target day has passed and the
follow-up list calls the item overdue; once attended with measurements in the window, the
visit is assessed. Windows of 3 months from a first dose on 10 January 2026: day 60-120,
11 March to 10 May, target 11 April.
"""

import datetime as dt

import pytest

from celltrace.catalog.models import Condition
from celltrace.clinical.follow_up import checkup_schedule
from celltrace.followup.actions import book_appointment, record_appointment_outcome
from celltrace.followup.models import FollowUpItem
from celltrace.outcomes.actions import record_measurement
from celltrace.outcomes.reports import ReportQuestion, make_report
from celltrace.outcomes.tests.reporting import FIRST_DOSE, treat

OPENS, TARGET, CLOSES = dt.date(2026, 3, 11), dt.date(2026, 4, 11), dt.date(2026, 5, 10)
VISIT = dt.date(2026, 5, 5)  # booked inside the window, after its target day


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), dt.UTC)


def with_check_ups(patient, doctor):
    """The check-ups a discharge schedules (stays.actions.discharge_patient), windows and all."""
    for planned in checkup_schedule(FIRST_DOSE.date()):
        FollowUpItem.objects.create(
            patient=patient, stay=patient.stays.get(), kind=planned.kind, title=planned.title,
            due_date=planned.due_date, window_opens=planned.window_opens,
            window_closes=planned.window_closes,
        )  # fmt: skip
    return patient.follow_up.get(due_date=TARGET)


def three_months(cutoff: dt.date, manager) -> dict:
    ms = Condition.objects.get(code="ms")
    report = make_report(ReportQuestion(ms, cutoff), manager)
    (row,) = [tp for tp in report.data["timepoints"] if tp["name"] == "3 months"]
    edss = [r for r in report.rows if (r["timepoint"], r["instrument"]) == ("3 months", "edss")]
    return {k: row[k] for k in ("due", "assessed", "missed", "not_yet_due")} | {
        "statuses": sorted(r["status"] for r in edss)  # the CSV's rows, one per patient
    }


@pytest.fixture
def treated(catalog, site, doctor, nurse, lab_technician, coordinator, time_machine):
    """Three MS patients: booked and attended, booked and not come, never booked."""
    time_machine.move_to(FIRST_DOSE + dt.timedelta(days=1), tick=False)
    staff = (doctor, nurse, lab_technician)
    return [with_check_ups(treat(site, *staff), doctor) for _ in range(3)]


def test_a_check_up_booked_in_its_open_window_is_not_yet_due_never_missed(
    treated, coordinator, manager, time_machine
):
    time_machine.move_to(at(dt.date(2026, 4, 1)), tick=False)
    attends, stays_away, _never_booked = treated
    for item in (attends, stays_away):
        booking = book_appointment(item, coordinator, day=VISIT, time=dt.time(10), place="clinic")
        assert not booking.outside_window
    # 20 April: the target day has passed (the follow-up list says overdue), the window not.
    assert three_months(dt.date(2026, 4, 20), manager) == {
        "due": 0, "assessed": 0, "missed": 0, "not_yet_due": 3,
        "statuses": ["not_yet_due"] * 3,
    }  # fmt: skip


def test_once_attended_with_measurements_in_the_window_the_visit_is_assessed(
    treated, coordinator, doctor, manager, time_machine
):
    time_machine.move_to(at(dt.date(2026, 4, 1)), tick=False)
    attends, stays_away, _never_booked = treated
    first, second = (
        book_appointment(item, coordinator, day=VISIT, time=dt.time(10), place="clinic")
        for item in (attends, stays_away)
    )
    time_machine.move_to(at(VISIT, 11), tick=False)
    record_appointment_outcome(first, coordinator, status="attended")
    record_measurement(
        attends.patient, doctor, instrument="edss", value=3.5, timepoint="follow_up",
        measured_on=VISIT,
    )  # fmt: skip
    record_appointment_outcome(second, coordinator, status="no_show")
    attends.refresh_from_db()
    assert attends.completed_at is not None
    # Still inside the window: the one measured is assessed, the others not yet due.
    assert three_months(VISIT, manager) == {
        "due": 1, "assessed": 1, "missed": 0, "not_yet_due": 2,
        "statuses": ["assessed", "not_yet_due", "not_yet_due"],
    }  # fmt: skip
    # After the window closed: a booking without a value in the window is a missed visit.
    assert three_months(CLOSES + dt.timedelta(days=1), manager) == {
        "due": 3, "assessed": 1, "missed": 2, "not_yet_due": 0,
        "statuses": ["assessed", "missed", "missed"],
    }  # fmt: skip
