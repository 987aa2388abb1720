"""Will the lot be ready in time? The lab works to the admission date (DOMAIN section 4).

A lot still in process is at risk when its patient arrives within two days (QC takes
longer than that), or when it expires before the day its dose is planned: released or
not, it could not be given then.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from celltrace.clinical import numbers

# A lot not released this close to the admission is unlikely to pass QC in time.
ADMISSION_SOON_DAYS = 2


def lot_risks(
    *, admission: date, planned_days: Iterable[date], expires_on: date, today: date
) -> list[str]:
    """Return why an in-process lot may not be ready for its patient (empty: on track).

    `planned_days` are the days the lot's product is planned in the plan, not given yet;
    `expires_on` is the lot's expiry day at the site. A lot no dose waits for any more
    (every planned dose of its product was given) is at no risk.
    """
    first = min(planned_days, default=None)
    if first is None:
        return []
    risks = []
    days_left = (admission - today).days
    if days_left < 0:
        risks.append(f"The patient was admitted on {admission} and the lot is not released.")
    elif days_left <= ADMISSION_SOON_DAYS:
        when = {0: "today", 1: "tomorrow"}.get(days_left, f"in {days_left} days")
        risks.append(f"Admission {when} ({admission}) and the lot is not released.")
    if expires_on < first:
        risks.append(f"Expires on {expires_on}, before the dose planned on {first}.")
    return risks


# Production orders (issue 10 part 3): each product a plan in force needs is one order, due
# at its first planned dose, started by that time minus the product's process time.

ENOUGH, TOO_FEW, UNKNOWN, NO_LOT = "enough", "too_few", "unknown", "no_lot"


@dataclass(frozen=True, slots=True)
class LotState:
    code: str
    in_process: bool
    hours_left: float
    viable_content: float | None
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class OrderState:
    """An order's times are aware datetimes in the site's zone; amounts in `unit`."""

    need_by: datetime
    start_by: datetime
    last_dose_at: datetime
    required: float
    unit: str
    lots: tuple[LotState, ...] = ()


def content_status(order: OrderState) -> str:
    """Whether the order's lots hold what the plan needs; unknown until every lot is formulated."""
    if not order.lots:
        return NO_LOT
    if any(lot.viable_content is None for lot in order.lots):
        return UNKNOWN
    held = sum(lot.viable_content for lot in order.lots)
    return ENOUGH if held >= order.required else TOO_FEW


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M}"


def order_warnings(order: OrderState, *, now: datetime) -> list[str]:
    """Return why the order may not be ready, big enough or in date for its doses."""
    warnings = []
    if not order.lots and now > order.start_by:
        warnings.append(
            f"Cannot be ready: no lot was started by {order.start_by:%Y-%m-%d} "
            f"and the first dose is due {_when(order.need_by)}."
        )
    for lot in order.lots:
        if lot.in_process and now + timedelta(hours=lot.hours_left) > order.need_by:
            warnings.append(
                f"Cannot be ready: lot {lot.code} still needs about {lot.hours_left:g} hours "
                f"of processing, and the first dose is due {_when(order.need_by)}."
            )
    if content_status(order) == TOO_FEW:
        held = sum(lot.viable_content for lot in order.lots)
        warnings.append(
            f"Too few: the lots hold {numbers.amount(held, order.unit)}, "
            f"the doses need {numbers.amount(order.required, order.unit)}."
        )
    for lot in order.lots:
        if lot.expires_at < order.last_dose_at:
            warnings.append(
                f"Expires before use: lot {lot.code} expires {_when(lot.expires_at)}, "
                f"before the last planned dose {_when(order.last_dose_at)}."
            )
    return warnings
