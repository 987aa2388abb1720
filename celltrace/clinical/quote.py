"""The all-inclusive quote of a treatment plan: every administration, therapy and service."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

PER_DAY = "per_day"
PER_STAY = "per_stay"


@dataclass(frozen=True, slots=True)
class Administration:
    """One planned administration of a cell product, priced per administration."""

    description: str
    price: Decimal


@dataclass(frozen=True, slots=True)
class TherapySessions:
    description: str
    sessions: int
    price_per_session: Decimal


@dataclass(frozen=True, slots=True)
class HomeDoses:
    """The doses of a product the patient takes at home after the stay, priced per dose."""

    description: str
    doses: int
    price_per_dose: Decimal


@dataclass(frozen=True, slots=True)
class Fee:
    """A service every stay includes, priced per day of stay or once per stay."""

    description: str
    unit: str
    price: Decimal


@dataclass(frozen=True, slots=True)
class Line:
    description: str
    quantity: int
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Quote:
    lines: tuple[Line, ...]
    total: Decimal


def _line(description: str, quantity: int, unit_price: Decimal) -> Line:
    unit_price = Decimal(unit_price)
    return Line(description, quantity, unit_price, unit_price * quantity)


def build_quote(
    *,
    administrations: Iterable[Administration],
    therapies: Iterable[TherapySessions],
    fees: Iterable[Fee],
    stay_days: int,
    home_doses: Iterable[HomeDoses] = (),
) -> Quote:
    """Return the quote's lines and total; nothing the stay or the home care costs is left out."""
    lines = [_line(a.description, 1, a.price) for a in administrations]
    lines += [_line(t.description, t.sessions, t.price_per_session) for t in therapies]
    lines += [_line(h.description, h.doses, h.price_per_dose) for h in home_doses]
    for fee in fees:
        if fee.unit == PER_DAY:
            lines.append(_line(f"{fee.description} ({stay_days} days)", stay_days, fee.price))
        elif fee.unit == PER_STAY:
            lines.append(_line(fee.description, 1, fee.price))
        else:
            raise ValueError(f"unknown fee unit {fee.unit!r}")
    return Quote(tuple(lines), sum((line.amount for line in lines), Decimal("0")))


def fingerprint(lines: Iterable[Line], currency: str) -> str:
    """Return a hash of the quote as given, so an acceptance is bound to exactly these lines.

    A patient accepts a price list, not a plan number: any change to a line, its order or the
    currency gives another fingerprint, and the acceptance no longer matches.
    """
    text = "\n".join(
        f"{line.description}|{line.quantity}|{Decimal(line.unit_price):.2f}|"
        f"{Decimal(line.amount):.2f}"
        for line in lines
    )
    return hashlib.sha256(f"{currency}\n{text}".encode()).hexdigest()
