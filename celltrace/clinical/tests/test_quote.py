from decimal import Decimal

import pytest

from celltrace.clinical.quote import (
    Administration,
    Fee,
    TherapySessions,
    build_quote,
    fingerprint,
)


def quote(stay_days=6, **parts):
    return build_quote(
        administrations=parts.get("administrations", []),
        therapies=parts.get("therapies", []),
        fees=parts.get("fees", []),
        stay_days=stay_days,
    )


def test_each_administration_is_a_line_at_the_product_price():
    result = quote(
        administrations=[
            Administration("UC MSCs, day 2", Decimal("3900.00")),
            Administration("UC MSCs, day 4", Decimal("3900.00")),
        ]
    )
    assert [line.amount for line in result.lines] == [Decimal("3900.00")] * 2
    assert result.total == Decimal("7800.00")


def test_therapies_cost_sessions_times_the_session_price():
    (line,) = quote(therapies=[TherapySessions("Physiotherapy", 5, Decimal("60.00"))]).lines
    assert (line.quantity, line.unit_price, line.amount) == (5, Decimal("60.00"), Decimal("300.00"))


def test_daily_fees_count_every_day_of_the_stay_and_stay_fees_once():
    fees = [Fee("Meals", "per_day", Decimal("40.00")), Fee("Transfers", "per_stay", Decimal("120"))]
    meals, transfers = quote(stay_days=7, fees=fees).lines
    assert (meals.quantity, meals.amount) == (7, Decimal("280.00"))
    assert (transfers.quantity, transfers.amount) == (1, Decimal("120"))


def test_the_total_is_the_sum_of_every_line():
    result = quote(
        stay_days=5,
        administrations=[Administration("Exosomes", Decimal("1500.00"))],
        therapies=[TherapySessions("Massage", 3, Decimal("45.00"))],
        fees=[Fee("Room and care", "per_day", Decimal("450.00"))],
    )
    assert result.total == Decimal("1500.00") + Decimal("135.00") + Decimal("2250.00")


def test_an_empty_quote_costs_nothing():
    assert quote().total == Decimal("0")


def test_an_unknown_fee_unit_is_an_error_not_a_free_service():
    with pytest.raises(ValueError, match="unknown fee unit"):
        quote(fees=[Fee("Spa", "per_hour", Decimal("10"))])


def test_the_fingerprint_of_a_quote_changes_with_any_line_or_the_currency():
    lines = quote(administrations=[Administration("UC MSCs, day 2", Decimal("3900"))]).lines
    dearer = quote(administrations=[Administration("UC MSCs, day 2", Decimal("3901"))]).lines
    assert fingerprint(lines, "EUR") == fingerprint(tuple(lines), "EUR")
    assert fingerprint(lines, "EUR") != fingerprint(dearer, "EUR")
    assert fingerprint(lines, "EUR") != fingerprint(lines, "USD")
