import datetime as dt

from celltrace.clinical.lot_readiness import (
    ENOUGH,
    NO_LOT,
    TOO_FEW,
    UNKNOWN,
    LotState,
    OrderState,
    content_status,
    lot_risks,
    order_warnings,
)

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


# Production orders

ZONE = dt.timezone(dt.timedelta(hours=1))
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=ZONE)
NEED_BY = dt.datetime(2026, 12, 3, 10, 0, tzinfo=ZONE)


def order(*lots, start_in_days=-1.0, required=1.5e8, last_dose=NEED_BY):
    return OrderState(
        need_by=NEED_BY,
        start_by=NOW + dt.timedelta(days=start_in_days),
        last_dose_at=last_dose,
        required=required,
        unit="viable_cells",
        lots=lots,
    )


def lot(*, hours_left=0.0, content=None, expires=NEED_BY + dt.timedelta(days=1), code="L-1"):
    return LotState(code, hours_left > 0 or content is None, hours_left, content, expires)


def test_an_order_whose_start_by_passed_without_a_lot_cannot_be_ready():
    assert order_warnings(order(start_in_days=-1), now=NOW) == [
        "Cannot be ready: no lot was started by 2026-11-19 and the first dose is due "
        "2026-12-03 10:00."
    ]
    assert order_warnings(order(start_in_days=1), now=NOW) == []


def test_a_lot_whose_steps_left_exceed_the_time_left_cannot_be_ready():
    hours_to_need = (NEED_BY - NOW).total_seconds() / 3600
    late = order(lot(hours_left=hours_to_need + 1))
    assert order_warnings(late, now=NOW)[0].startswith(
        "Cannot be ready: lot L-1 still needs about 314 hours"
    )
    assert order_warnings(order(lot(hours_left=hours_to_need - 1)), now=NOW) == []


def test_a_formulated_lot_holding_less_than_the_doses_need_is_too_few():
    small = order(lot(content=1.0e8))
    assert content_status(small) == TOO_FEW
    assert order_warnings(small, now=NOW) == [
        "Too few: the lots hold 1.0 × 10⁸ viable cells, the doses need 1.5 × 10⁸ viable cells."
    ]
    assert content_status(order(lot(content=2.0e8))) == ENOUGH


def test_before_formulation_the_content_is_unknown_and_not_a_warning():
    unformulated = order(lot(hours_left=1))
    assert content_status(unformulated) == UNKNOWN
    assert order_warnings(unformulated, now=NOW) == []
    assert content_status(order()) == NO_LOT


def test_a_lot_expiring_before_the_last_planned_dose_expires_before_use():
    last = NEED_BY + dt.timedelta(days=2)
    early = order(lot(content=2e8, expires=NEED_BY + dt.timedelta(days=1)), last_dose=last)
    assert order_warnings(early, now=NOW) == [
        "Expires before use: lot L-1 expires 2026-12-04 10:00, before the last planned dose "
        "2026-12-05 10:00."
    ]
