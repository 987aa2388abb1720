import datetime as dt
from decimal import Decimal

import pytest

from celltrace.clinical.consultations import (
    Item,
    Slot,
    build_estimate,
    estimate_problems,
    first_clash,
    overlaps,
    slot_problems,
)
from celltrace.clinical.quote import PER_DAY, PER_STAY, Fee

NOON = dt.datetime(2026, 5, 4, 12, 0, tzinfo=dt.UTC)


def at(minutes: int, length: int = 30) -> Slot:
    return Slot(NOON + dt.timedelta(minutes=minutes), length)


@pytest.mark.parametrize(
    ("start", "length", "clash"),
    [
        (0, 30, True),  # the same slot
        (15, 30, True),  # starts inside
        (-15, 30, True),  # ends inside
        (-30, 120, True),  # contains it
        (30, 30, False),  # starts as the other ends
        (-30, 30, False),  # ends as the other starts
    ],
)
def test_slots_overlap_only_when_they_share_a_moment(start, length, clash):
    assert overlaps(at(0), at(start, length)) is clash
    assert overlaps(at(start, length), at(0)) is clash


def test_the_earliest_clash_is_named():
    booked = [at(60), at(20), at(-120)]
    assert first_clash(at(10, 90), booked) == at(20)
    assert first_clash(at(-60), booked) is None


def test_a_slot_in_the_past_or_too_long_is_refused():
    assert set(slot_problems(at(0), now=NOON + dt.timedelta(minutes=1))) == {"starts_at"}
    assert set(slot_problems(at(0), now=NOON)) == {"starts_at"}
    assert set(slot_problems(at(10, 121), now=NOON)) == {"minutes"}
    assert set(slot_problems(at(10, 10), now=NOON)) == {"minutes"}
    assert slot_problems(at(10, 45), now=NOON) == {}


FEES = [
    Fee("Room and care", PER_DAY, Decimal("400.00")),
    Fee("Airport transfers", PER_STAY, Decimal("150.00")),
]


def test_the_estimate_runs_from_the_shortest_to_the_longest_stay():
    items = [
        Item("Umbilical-cord MSCs", 2, Decimal("3900.00")),
        Item("Physiotherapy", 6, Decimal("80.00")),
    ]
    estimate = build_estimate(items, FEES, stay_days=(5, 9), currency="EUR")
    # 7800 + 480 + 150, and the room 5 or 9 days at 400
    assert estimate.low == Decimal("10430.00")
    assert estimate.high == Decimal("12030.00")
    assert estimate.currency == "EUR"
    assert estimate.is_range
    room = estimate.lines[2]
    assert (room.quantity_low, room.quantity_high, room.low, room.high) == (
        5,
        9,
        Decimal("2000.00"),
        Decimal("3600.00"),
    )


def test_a_stay_of_known_length_gives_one_total():
    estimate = build_estimate(
        [Item("Exosomes", 1, Decimal("1200"))], FEES, stay_days=(7, 7), currency="CHF"
    )
    assert estimate.low == estimate.high == Decimal("4150")
    assert not estimate.is_range


def test_an_unknown_fee_unit_is_an_error_not_a_free_service():
    with pytest.raises(ValueError, match="unknown fee unit"):
        build_estimate(
            [], [Fee("Meals", "per_meal", Decimal(10))], stay_days=(5, 9), currency="EUR"
        )


def test_estimate_input_out_of_bounds_is_named():
    assert set(estimate_problems([], stay_days=(9, 5))) == {"stay_days"}
    assert set(estimate_problems([], stay_days=(0, 5))) == {"stay_days"}
    assert set(estimate_problems([Item("X", 0, Decimal(1))], stay_days=(5, 9))) == {"items"}
    assert estimate_problems([Item("X", 3, Decimal(1))], stay_days=(5, 9)) == {}
