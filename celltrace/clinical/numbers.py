"""Numbers as the clinic writes them, one notation for every screen, message and document.

Cell doses and counts are written in scientific notation the way clinicians write them,
"2.0 × 10⁶ cells/kg", never as Python prints floats ("2e+06", "2000000.0"). The mantissa
keeps up to seven significant digits, so that a dose one cell above a limit of a few
million never reads "2.0 × 10⁶ is above the maximum of 2.0 × 10⁶".
"""

import math
from decimal import ROUND_HALF_UP, Decimal

_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
# From a thousand on, a count of cells is written as a power of ten.
_SCIENTIFIC_FROM_EXPONENT = 3
_SIGNIFICANT_DIGITS = 7


def cells(value: float) -> str:
    """Write a number of cells: 2.0 × 10⁶, 1.25 × 10⁷; below a thousand as it is (500)."""
    value = float(value)
    if not math.isfinite(value):
        return "not a number" if math.isnan(value) else ("∞" if value > 0 else "-∞")
    if value == 0 or abs(value) < 10**_SCIENTIFIC_FROM_EXPONENT:
        return plain(value)
    mantissa, exponent = f"{value:.{_SIGNIFICANT_DIGITS - 1}e}".split("e")
    whole, decimals = mantissa.split(".")
    decimals = decimals.rstrip("0") or "0"
    return f"{whole}.{decimals} × 10{str(int(exponent)).translate(_SUPERSCRIPTS)}"


# The dose unit follows the product (LAB.md, MISEV2023): viable cells for cell products,
# particles for exosomes, micrograms of protein for secretome; never "cells" for what holds
# none. The keys are what the catalog stores in CellProduct.dose_unit.
VIABLE_CELLS = "viable_cells"
PARTICLES = "particles"
UG_PROTEIN = "ug_protein"
DOSE_UNITS = {
    VIABLE_CELLS: "viable cells",
    PARTICLES: "particles",
    UG_PROTEIN: "µg protein",
}


def amount(value: float, unit: str) -> str:
    """Write what a lot holds or a patient receives: 7.2 × 10⁷ viable cells, 350 µg protein."""
    # Cells and particles are counted in powers of ten; micrograms are written plainly.
    number = plain(value) if unit == UG_PROTEIN else cells(value)
    return f"{number} {DOSE_UNITS[unit]}"


def dose_per_kg(value: float, unit: str) -> str:
    """Write a dose or a dose limit in the product's unit: 2.0 × 10⁶ viable cells/kg."""
    return f"{amount(value, unit)}/kg"


def plain(value: float) -> str:
    """Write any other number without float noise: 10,000,000 for 1e7, 0.5 for 0.5, 70 for 70.0."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.{_SIGNIFICANT_DIGITS}g}"


def quantity(value: float, unit: str = "") -> str:
    """Write a measured value with its unit, cell counts in the cells' notation."""
    number = cells(value) if is_cell_unit(unit) else plain(value)
    return f"{number} {unit}" if unit else number


def is_cell_unit(unit: str) -> bool:
    """Tell whether a unit counts cells (cells, cells/kg, cells/mL)."""
    return unit.strip().lower().startswith("cells")


def percent(fraction: float | None) -> str:
    """Write a fraction as a percentage with one decimal: 0.02 -> "2.0%" ("—" when unknown)."""
    if fraction is None or not math.isfinite(fraction):
        return "—"
    return f"{fraction * 100:.1f}%"


def money(amount, currency: str) -> str:
    """Write an amount of money with its currency, as a quote shows it: EUR 12,400.00.

    Always two decimals and the ISO code first, so a price never reads without its currency.
    """
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{currency} {value:,.2f}"
