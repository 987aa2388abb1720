"""Load the public reference cases that ship with the repository (see reference/README.md)."""

import json
from functools import cache
from pathlib import Path
from typing import Any

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


@cache
def _load(relative_path: str) -> Any:
    return json.loads((REFERENCE_DIR / relative_path).read_text(encoding="utf-8"))


def isncsci_cases() -> list[dict[str, Any]]:
    """Return the 128 ISNCSCI 2019 cases (praxis-isncsci/algorithm specs/2019.json, Apache-2.0)."""
    return _load("isncsci/cases_2019.json")


def edss_cases() -> dict[str, Any]:
    """Return the 96 EDSS vectors of public calculators' unit tests (MIT)."""
    return _load("edss/cases.json")


def eq5d5l_cases() -> dict[str, Any]:
    """Return the 31 EQ-5D-5L index values of the R package eq5d's tests (MIT), by value set."""
    return _load("eq5d5l/cases.json")
