"""The advisor's consultation: when a slot may be booked, and what the treatment may cost.

DOMAIN section 1: the advisor answers three questions, the last "what does it cost". Before
the doctors have made a plan, that answer is an estimate: the catalog items the advisor
expects the plan to hold, priced from today's catalog, with every service the stay
includes, over the stay's likely length. The quote of the signed plan (quote.py) is what
binds; the estimate says only what to expect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from celltrace.clinical.quote import PER_DAY, PER_STAY, Fee

MIN_MINUTES, MAX_MINUTES = 15, 120
# DOMAIN section 3: a stay of 5 to 9 days; the advisor may narrow it, or widen it for a case.
STAY_DAYS = (5, 9)
MAX_STAY_DAYS = 60
MAX_QUANTITY = 100


@dataclass(frozen=True, slots=True)
class Slot:
    """The time an advisor is taken by one consultation."""

    starts_at: dt.datetime
    minutes: int

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.minutes)


def overlaps(a: Slot, b: Slot) -> bool:
    """Whether two slots share a moment; one ending as the next starts does not."""
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def first_clash(slot: Slot, booked: Iterable[Slot]) -> Slot | None:
    """Return the earliest booked slot that overlaps this one, or None if it is free."""
    clashes = [other for other in booked if overlaps(slot, other)]
    return min(clashes, key=lambda other: other.starts_at, default=None)


def slot_problems(slot: Slot, *, now: dt.datetime) -> dict[str, str]:
    """Return what is wrong with the slot itself, by field; none means it may be booked."""
    problems = {}
    if slot.starts_at <= now:
        problems["starts_at"] = "A consultation is booked for a time still to come."
    if not MIN_MINUTES <= slot.minutes <= MAX_MINUTES:
        problems["minutes"] = f"A consultation lasts {MIN_MINUTES} to {MAX_MINUTES} minutes."
    return problems


@dataclass(frozen=True, slots=True)
class Item:
    """A catalog item the advisor expects the plan to hold: administrations or sessions."""

    description: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True, slots=True)
class EstimateLine:
    """One line of the estimate; a per-day service costs more on a longer stay."""

    description: str
    unit_price: Decimal
    quantity_low: int
    quantity_high: int

    @property
    def low(self) -> Decimal:
        return self.unit_price * self.quantity_low

    @property
    def high(self) -> Decimal:
        return self.unit_price * self.quantity_high


@dataclass(frozen=True, slots=True)
class Estimate:
    lines: tuple[EstimateLine, ...]
    low: Decimal
    high: Decimal
    currency: str

    @property
    def is_range(self) -> bool:
        return self.low != self.high


def estimate_problems(items: Iterable[Item], *, stay_days: tuple[int, int]) -> dict[str, str]:
    """Return what is wrong with an estimate's input, by field; none means it can be priced."""
    problems = {}
    shortest, longest = stay_days
    if not 1 <= shortest <= longest <= MAX_STAY_DAYS:
        problems["stay_days"] = (
            f"The stay is 1 to {MAX_STAY_DAYS} days, the shortest no longer than the longest."
        )
    if any(not 1 <= item.quantity <= MAX_QUANTITY for item in items):
        problems["items"] = f"Each item is planned 1 to {MAX_QUANTITY} times."
    return problems


def build_estimate(
    items: Iterable[Item], fees: Iterable[Fee], *, stay_days: tuple[int, int], currency: str
) -> Estimate:
    """Price the items and every service of the stay, from the shortest to the longest stay."""
    shortest, longest = stay_days
    lines = [
        EstimateLine(i.description, Decimal(i.unit_price), i.quantity, i.quantity) for i in items
    ]
    for fee in fees:
        if fee.unit == PER_DAY:
            lines.append(EstimateLine(fee.description, Decimal(fee.price), shortest, longest))
        elif fee.unit == PER_STAY:
            lines.append(EstimateLine(fee.description, Decimal(fee.price), 1, 1))
        else:
            raise ValueError(f"unknown fee unit {fee.unit!r}")
    low = sum((line.low for line in lines), Decimal("0"))
    high = sum((line.high for line in lines), Decimal("0"))
    return Estimate(tuple(lines), low, high, currency)
