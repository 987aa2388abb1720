"""The engine agrees with the reference algorithm's 2019 cases, field by field.

The cases are praxis-isncsci/algorithm `specs/2019.json` (Apache-2.0), kept read-only in
<repo root>/../shared/reference; the other ISNCSCI tests load them from here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from celltrace.clinical.isncsci import classify, parse_exam, to_reference_dict

REPO_ROOT = Path(__file__).resolve().parents[3]


def reference_dir() -> Path:
    """Return <repo root>/../shared/reference; fail (never skip) if it is missing."""
    path = (REPO_ROOT / ".." / "shared" / "reference").resolve()
    if not path.is_dir():
        raise FileNotFoundError(
            f"The shared reference data is missing: expected {path} "
            "(CI clones the repository with shared/ beside it)."
        )
    return path


def load_isncsci_cases() -> list[dict[str, Any]]:
    """Return the 128 ISNCSCI 2019 reference cases (praxis-isncsci/algorithm, Apache-2.0)."""
    return json.loads((reference_dir() / "isncsci" / "cases_2019.json").read_text("utf-8"))


CASES = load_isncsci_cases()


def test_the_reference_set_holds_all_128_cases():
    assert len(CASES) == 128
    assert len({case["id"] for case in CASES}) == 128


@pytest.mark.parametrize("case", CASES, ids=[f"case-{case['id']}" for case in CASES])
def test_it_classifies_each_reference_case_as_the_reference_does(case):
    got = to_reference_dict(classify(parse_exam(case["exam"])))

    expected = case["expected"]
    assert got["classification"] == expected["classification"]
    assert got["totals"] == expected["totals"]
