import datetime as dt

from celltrace.clinical.lot_readiness import lot_risks

TODAY = dt.date(2025, 3, 10)


def risks(admission_in: int, *, planned_in=(), expires_in=30):
    return lot_risks(
        admission=TODAY + dt.timedelta(days=admission_in),
        planned_days=[TODAY + dt.timedelta(days=n) for n in planned_in],
        expires_on=TODAY + dt.timedelta(days=expires_in),
        today=TODAY,
    )


def test_a_lot_for_a_patient_arriving_in_three_days_that_keeps_is_on_track():
    assert risks(3, planned_in=[4]) == []


def test_an_admission_within_two_days_puts_an_unreleased_lot_at_risk():
    assert risks(2, planned_in=[3]) == [
        "Admission in 2 days (2025-03-12) and the lot is not released."
    ]
    assert "Admission tomorrow" in risks(1, planned_in=[2])[0]
    assert "Admission today" in risks(0, planned_in=[1])[0]
    assert "was admitted on 2025-03-09" in risks(-1, planned_in=[0])[0]


def test_a_lot_expiring_before_the_first_planned_dose_is_at_risk_even_far_ahead():
    assert risks(10, planned_in=[12, 11], expires_in=10) == [
        "Expires on 2025-03-20, before the dose planned on 2025-03-21."
    ]


def test_a_lot_expiring_on_the_day_of_the_dose_is_not_flagged():
    assert risks(10, planned_in=[11], expires_in=11) == []


def test_a_lot_no_dose_waits_for_any_more_is_at_no_risk():
    assert risks(1, planned_in=[], expires_in=0) == []
