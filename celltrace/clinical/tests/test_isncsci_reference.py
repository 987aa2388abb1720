"""The engine agrees with the reference algorithm's 2019 cases, field by field.

The cases are praxis-isncsci/algorithm `specs/2019.json` (Apache-2.0), shipped with their
licence notice in reference/isncsci/.
"""

from __future__ import annotations

import pytest

from celltrace.clinical.isncsci import classify, parse_exam, to_reference_dict

from .reference_cases import isncsci_cases

CASES = isncsci_cases()


def test_the_reference_set_holds_all_128_cases():
    assert len(CASES) == 128
    assert len({case["id"] for case in CASES}) == 128


@pytest.mark.parametrize("case", CASES, ids=[f"case-{case['id']}" for case in CASES])
def test_it_classifies_each_reference_case_as_the_reference_does(case):
    got = to_reference_dict(classify(parse_exam(case["exam"])))

    expected = case["expected"]
    assert got["classification"] == expected["classification"]
    assert got["totals"] == expected["totals"]
