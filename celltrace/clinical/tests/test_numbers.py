import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from celltrace.clinical.numbers import (
    amount,
    cells,
    dose_per_kg,
    is_cell_unit,
    money,
    plain,
    quantity,
)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (2_000_000.0, "2.0 × 10⁶"),
        (2e6, "2.0 × 10⁶"),
        (1_500_000, "1.5 × 10⁶"),
        (12_500_000.0, "1.25 × 10⁷"),
        (2_000_001.0, "2.000001 × 10⁶"),
        (9_999_999.9, "1.0 × 10⁷"),
        (1000.0, "1.0 × 10³"),
        (5.0e11, "5.0 × 10¹¹"),
        (500.0, "500"),
        (0.0, "0"),
        (0.5, "0.5"),
        (-3e6, "-3.0 × 10⁶"),
        (math.inf, "∞"),
        (math.nan, "not a number"),
    ],
)
def test_cells_are_written_as_clinicians_write_them(value, written):
    assert cells(value) == written


def test_a_dose_carries_its_products_unit():
    assert dose_per_kg(2e6, "viable_cells") == "2.0 × 10⁶ viable cells/kg"
    assert dose_per_kg(5e9, "particles") == "5.0 × 10⁹ particles/kg"
    assert dose_per_kg(50.0, "ug_protein") == "50 µg protein/kg"


def test_an_amount_for_a_patient_carries_the_unit_without_per_kg():
    assert amount(7.2e7, "viable_cells") == "7.2 × 10⁷ viable cells"
    assert amount(3500.0, "ug_protein") == "3,500 µg protein"


@given(st.floats(min_value=1e3, max_value=1e15))
def test_a_cell_count_reads_back_as_the_same_number(value):
    mantissa, power = cells(value).split(" × 10")
    exponent = int(power.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")))
    assert 1 <= float(mantissa) < 10
    assert math.isclose(float(mantissa) * 10**exponent, value, rel_tol=1e-6)


@pytest.mark.parametrize(
    ("value", "written"),
    [(10_000_000.0, "10,000,000"), (70.0, "70"), (0.5, "0.5"), (98.25, "98.25"), (0.0, "0")],
)
def test_other_numbers_are_written_without_float_noise(value, written):
    assert plain(value) == written


def test_a_quantity_uses_the_cells_notation_only_for_cell_units():
    assert quantity(1e7, "cells") == "1.0 × 10⁷ cells"
    assert quantity(70.0, "%") == "70 %"
    assert quantity(0.5, "EU/mL") == "0.5 EU/mL"
    assert quantity(3.0) == "3"
    assert is_cell_unit("Cells/mL") and not is_cell_unit("% marker-positive")


@pytest.mark.parametrize(
    ("amount", "currency", "written"),
    [
        (Decimal("12400"), "EUR", "EUR 12,400.00"),
        (Decimal("0.5"), "CHF", "CHF 0.50"),
        (Decimal("1234567.891"), "USD", "USD 1,234,567.89"),
        (60, "EUR", "EUR 60.00"),
    ],
)
def test_money_is_written_with_its_currency_and_two_decimals(amount, currency, written):
    assert money(amount, currency) == written
