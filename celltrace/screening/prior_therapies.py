"""The coded prior therapies of each condition (prior_therapies.json): choices and categories.

The list is reference data shipped with the code, as the CTCAE terms are: a code names one
therapy or class, its category is what the outcome report's baseline table counts.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LIST = Path(__file__).resolve().parent / "prior_therapies.json"
NONE = "none"
OTHER = "other"


@dataclass(frozen=True)
class CodedTherapy:
    code: str
    label: str
    category: str


@cache
def _listed() -> dict[str, tuple[CodedTherapy, ...]]:
    content = json.loads(LIST.read_text(encoding="utf-8"))
    return {
        condition: tuple(CodedTherapy(**row) for row in rows)
        for condition, rows in content.items()
        if not condition.startswith("_")
    }


def therapies_for(condition_code: str) -> tuple[CodedTherapy, ...]:
    """The condition's coded therapies, then 'none' and 'other'."""
    listed = _listed()
    return (*listed.get(condition_code, ()), *listed["any"])


def coded(condition_code: str, code: str) -> CodedTherapy | None:
    """The coded therapy of the condition, or None for a code it does not list."""
    return next((t for t in therapies_for(condition_code) if t.code == code), None)
