"""The EQ-5D-5L index from the five dimension levels, by a published value set held as data.

Herdman M, Gudex C, Lloyd A, et al. Development and preliminary testing of the new five-level
version of EQ-5D (EQ-5D-5L). Qual Life Res 2011;20:1727-36. The five levels (1 = no problems
to 5 = unable / extreme) form a profile such as "21341"; a country's value set turns it into an
index where 1 is full health and 0 is as bad as being dead. Value sets differ between countries,
so the set is a parameter, named with the index wherever it is kept; each lives in
value_sets/eq5d5l_<code>.json with its citation (docs/clinical/eq5d5l.md says which the clinic
uses and why). The EQ VAS (0-100, the patient's own rating of their health today) is carried
beside the index, never mixed into it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from celltrace.clinical.item_scores import ItemError, check_score

DIMENSIONS = (
    "mobility",
    "self_care",
    "usual_activities",
    "pain_discomfort",
    "anxiety_depression",
)
LEVELS = (1, 2, 3, 4, 5)
VAS_SCORES = tuple(range(101))
VALUE_SET_DIR = Path(__file__).resolve().parent / "value_sets"


@dataclass(frozen=True, slots=True)
class Eq5d5lResponse:
    """One completed EQ-5D-5L: a level 1-5 per dimension and the EQ VAS (None if left blank)."""

    mobility: int
    self_care: int
    usual_activities: int
    pain_discomfort: int
    anxiety_depression: int
    vas: int | None = None

    def __post_init__(self) -> None:
        for name in DIMENSIONS:
            check_score(name, getattr(self, name), LEVELS, optional=False)
        check_score("vas", self.vas, VAS_SCORES, optional=True)

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(getattr(self, name) for name in DIMENSIONS)

    @property
    def profile(self) -> str:
        """Return the five-digit health state, e.g. "21341" (mobility first)."""
        return "".join(map(str, self.levels))


@dataclass(frozen=True, slots=True)
class ValueSet:
    """A country's EQ-5D-5L value set: the decrement of each level of each dimension."""

    code: str
    label: str
    citation: str
    full_health: Decimal
    decrements: dict[str, tuple[Decimal, ...]]


@dataclass(frozen=True, slots=True)
class Eq5d5lScore:
    index: float
    profile: str
    vas: int | None
    value_set: str


def value_set_codes() -> tuple[str, ...]:
    """Return the codes of the value sets that ship with celltrace, e.g. ("england", ...)."""
    return tuple(
        sorted(p.stem.removeprefix("eq5d5l_") for p in VALUE_SET_DIR.glob("eq5d5l_*.json"))
    )


@cache
def load_value_set(code: str) -> ValueSet:
    """Read one value set from its JSON file; refuse an unknown code or a malformed table."""
    if code not in value_set_codes():
        raise ItemError("value_set", f"No EQ-5D-5L value set {code!r}; known: {value_set_codes()}.")
    data = json.loads((VALUE_SET_DIR / f"eq5d5l_{code}.json").read_text(encoding="utf-8"))
    decrements = {
        name: tuple(Decimal(str(value)) for value in data["decrements"][name])
        for name in DIMENSIONS
    }
    if any(len(row) != len(LEVELS) or row[0] != 0 for row in decrements.values()):
        raise ValueError(
            f"Value set {code!r} must give five decrements per dimension, level 1 none."
        )
    return ValueSet(
        code=data["code"],
        label=data["label"],
        citation=data["citation"],
        full_health=Decimal(str(data["full_health"])),
        decrements=decrements,
    )


def score_eq5d5l(response: Eq5d5lResponse, value_set: ValueSet) -> Eq5d5lScore:
    """Value the response's profile with the value set (decimal arithmetic, no rounding)."""
    # Decimal, because the tables are published to three decimals and 1 - 0.058 - 0.05 must be
    # 0.892 exactly, not a binary fraction next to it.
    index = value_set.full_health - sum(
        value_set.decrements[name][level - 1]
        for name, level in zip(DIMENSIONS, response.levels, strict=True)
    )
    return Eq5d5lScore(
        index=float(index), profile=response.profile, vas=response.vas, value_set=value_set.code
    )
