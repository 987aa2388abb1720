"""Laboratory analytes the rules know, their units, and exact conversions between them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Analyte:
    """One laboratory quantity, compared in its canonical unit."""

    label: str
    unit: str  # canonical, as written in rules and explanations
    # Accepted spellings (normalised, see `normalise`) -> factor to the canonical unit.
    factors: dict[str, Decimal]


_PER_LITRE_COUNT = {
    "10^9/l": Decimal(1),
    "x10^9/l": Decimal(1),
    "10*9/l": Decimal(1),  # UCUM
    "10e9/l": Decimal(1),
    "10^3/ul": Decimal(1),  # 10^3 per microlitre is 10^9 per litre
    "10*3/ul": Decimal(1),
    "k/ul": Decimal(1),
    "10^3/mm3": Decimal(1),  # a cubic millimetre is a microlitre
    "/ul": Decimal("0.001"),
    "/mm3": Decimal("0.001"),
}

_ENZYME = {
    "u/l": Decimal(1),
    "iu/l": Decimal(1),
    # 1 U = 1 umol/min and 1 ukat = 1 umol/s, so 1 ukat/L = 60 U/L (IFCC/SI, exact).
    "ukat/l": Decimal(60),
}

ANALYTES: dict[str, Analyte] = {
    "haemoglobin": Analyte(
        "Haemoglobin",
        "g/dL",
        {
            "g/dl": Decimal(1),
            "g/l": Decimal("0.1"),
            # mmol/L counts the haem monomer, 16 114.5 g/mol (ICSH): 1 mmol/L = 1.6114 g/dL.
            "mmol/l": Decimal("1.6114"),
        },
    ),
    "platelets": Analyte("Platelets", "x10^9/L", dict(_PER_LITRE_COUNT)),
    "white_cells": Analyte("White cells", "x10^9/L", dict(_PER_LITRE_COUNT)),
    # An INR is a ratio without a unit; reports write it bare, as "INR" or as UCUM "1".
    "inr": Analyte(
        "INR", "INR", {"inr": Decimal(1), "ratio": Decimal(1), "1": Decimal(1), "": Decimal(1)}
    ),
    "creatinine": Analyte(
        "Creatinine",
        "umol/L",
        {
            "umol/l": Decimal(1),
            # Creatinine 113.12 g/mol: 1 mg/dL = 10 mg/L / 113.12 g/mol = 88.4 umol/L.
            "mg/dl": Decimal("88.4"),
            "mg/l": Decimal("8.84"),
            "mmol/l": Decimal(1000),
        },
    ),
    "egfr": Analyte(
        "eGFR",
        "mL/min/1.73m2",
        {
            "ml/min/1.73m2": Decimal(1),
            "ml/min/1.73m^2": Decimal(1),
            "ml/min/1.73m²": Decimal(1),
            "ml/min/{1.73_m2}": Decimal(1),  # UCUM
        },
    ),
    "alt": Analyte("ALT", "U/L", dict(_ENZYME)),
    "ast": Analyte("AST", "U/L", dict(_ENZYME)),
    "crp": Analyte(
        "CRP",
        "mg/L",
        {"mg/l": Decimal(1), "ug/ml": Decimal(1), "mg/dl": Decimal(10)},
    ),
}


class UnitError(ValueError):
    """A unit or analyte the engine cannot read."""


def normalise(unit: str) -> str:
    """Spell a unit the one way the tables use: lower case, no spaces, 'u' for micro."""
    text = unit.strip().lower().replace(" ", "").replace("µ", "u").replace("μ", "u")
    return text.replace("×", "x")


def analyte(name: str) -> Analyte:
    """Return the analyte called `name`, or fail naming the known ones."""
    try:
        return ANALYTES[name]
    except KeyError:
        raise UnitError(f"unknown analyte {name!r}; known: {sorted(ANALYTES)}") from None


def check_unit(name: str, unit: str) -> None:
    """Fail unless `unit` is an accepted unit of the analyte `name`."""
    known = analyte(name).factors
    if normalise(unit) not in known:
        raise UnitError(f"unknown unit {unit!r} for {name}; known: {sorted(known)}")


def to_canonical(name: str, value: float | Decimal, unit: str) -> Decimal:
    """Convert a value of analyte `name` from `unit` to the analyte's canonical unit."""
    check_unit(name, unit)
    # str() keeps the decimal the user typed, so 16.5 g/dL stays exactly 16.5.
    return Decimal(str(value)) * analyte(name).factors[normalise(unit)]


def show(value: Decimal | float) -> str:
    """Write a number the way a lab report would, without float noise."""
    rounded = round(Decimal(str(value)), 2).normalize()
    return f"{rounded:f}"
