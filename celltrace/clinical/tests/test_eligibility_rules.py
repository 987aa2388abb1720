"""Rule sets load from plain data strictly, name the rule at fault, and write back unchanged."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from celltrace.clinical.eligibility import (
    QUESTIONS,
    Kind,
    RuleSetError,
    ruleset_from_dict,
    ruleset_to_dict,
)

from .test_eligibility_patients import starting_ruleset

PLATELETS = {
    "id": "platelets",
    "label": "Platelets outside the reference range",
    "kind": "excludes",
    "test": {
        "type": "lab",
        "analyte": "platelets",
        "unit": "x10^9/L",
        "max_age_days": 30,
        "ranges": [{"low": 150, "high": 450}],
    },
}
STROKE = {
    "id": "stroke",
    "label": "Stroke in the last 3 months",
    "kind": "excludes",
    "test": {
        "type": "diagnosis",
        "codes": ["I60-I64", "G45"],
        "timing": "recent",
        "within_days": 92,
        "history_max_age_days": 30,
    },
}


def _with(rule: dict, path: tuple[str, ...], value) -> dict:
    """Return a one-rule set whose rule has `value` at `path` (None removes the field)."""
    rule = copy.deepcopy(rule)
    target = rule
    for key in path[:-1]:
        target = target[key]
    if value is None:
        target.pop(path[-1])
    else:
        target[path[-1]] = value
    return {"version": 1, "rules": [rule]}


def test_the_starting_set_survives_a_round_trip_through_plain_data():
    ruleset = starting_ruleset()

    assert ruleset_from_dict(ruleset_to_dict(ruleset)) == ruleset


@pytest.mark.parametrize(
    ("rule", "path", "value", "message"),
    [
        (PLATELETS, ("kind",), "forbids", "rule 'platelets': unknown kind 'forbids'"),
        (PLATELETS, ("test", "type"), "mood", "rule 'platelets': unknown test type 'mood'"),
        (PLATELETS, ("test", "unit"), "mg", "rule 'platelets', lab test: unknown unit 'mg'"),
        (PLATELETS, ("test", "analyte"), "glucose", "rule 'platelets', lab test: unknown analyte"),
        (PLATELETS, ("test", "ranges"), [], "rule 'platelets', lab test: 'ranges' must be"),
        (PLATELETS, ("test", "ranges"), [{"sex": "female"}], "range 1: a range needs 'low'"),
        (PLATELETS, ("test", "ranges"), [{"low": 5, "high": 1}], "'low' must be below 'high'"),
        (PLATELETS, ("test", "ranges"), [{"low": 1, "sex": "x"}], "range 1: unknown sex 'x'"),
        (
            PLATELETS,
            ("test", "ranges"),
            [{"low": 1, "min_age_years": 70, "below_age_years": 18}],
            "'min_age_years' must be below",
        ),  # fmt: skip
        (PLATELETS, ("test", "max_age_days"), None, "'max_age_days' must be a whole number"),
        (PLATELETS, ("test", "max_age_days"), True, "'max_age_days' must be a whole number"),
        (PLATELETS, ("test", "colour"), "red", "rule 'platelets', lab test: unknown field(s)"),
        (PLATELETS, ("label",), "", "rule 'platelets': 'label' must be a non-empty string"),
        (PLATELETS, ("id",), "Platelets!", "'id' must be lower-case"),
        (STROKE, ("test", "codes"), ["stroke"], "rule 'stroke', diagnosis test: code 'stroke'"),
        (STROKE, ("test", "timing"), "soon", "rule 'stroke', diagnosis test: unknown timing"),
        (STROKE, ("test", "within_days"), None, "'within_days' must be a whole number"),
        (STROKE, ("test", "history_max_age_days"), None, "'history_max_age_days' must be"),
    ],
)
def test_it_refuses_a_bad_rule_and_names_it(rule, path, value, message):
    with pytest.raises(RuleSetError) as error:
        ruleset_from_dict(_with(rule, path, value))

    assert message in str(error.value)


def test_it_refuses_a_window_on_a_diagnosis_that_is_not_recent():
    data = _with(STROKE, ("test", "timing"), "current")

    with pytest.raises(RuleSetError, match="'within_days' belongs only to timing 'recent'"):
        ruleset_from_dict(data)


def test_it_refuses_an_unknown_question():
    rule = {"id": "q", "label": "Q", "kind": "caution", "test": {"type": "answer"}}
    rule["test"] |= {"question": "pregnent", "max_age_days": 7}

    with pytest.raises(RuleSetError, match="rule 'q', answer test: unknown question 'pregnent'"):
        ruleset_from_dict({"version": 1, "rules": [rule]})


def test_it_refuses_two_rules_with_one_id():
    with pytest.raises(RuleSetError, match="rule 'platelets': the id is used twice"):
        ruleset_from_dict({"version": 1, "rules": [PLATELETS, PLATELETS]})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rules": [PLATELETS]}, "'version' must be a whole number"),
        ({"version": 0, "rules": [PLATELETS]}, "'version' must be a whole number"),
        ({"version": "1", "rules": [PLATELETS]}, "'version' must be a whole number"),
        ({"version": 1, "rules": []}, "'rules' must be a non-empty list"),
        ({"version": 1, "rules": [PLATELETS], "extra": 1}, "unknown field(s) ['extra']"),
        ({"version": 1, "rules": ["platelets"]}, "rule number 1: expected an object"),
        ([], "rule set: expected an object"),
    ],
)
def test_it_refuses_a_malformed_rule_set(data, message):
    with pytest.raises(RuleSetError) as error:
        ruleset_from_dict(data)

    assert message in str(error.value)


_bounds = st.integers(min_value=0, max_value=1000)
_answer_tests = st.fixed_dictionaries(
    {
        "type": st.just("answer"),
        "question": st.sampled_from(sorted(QUESTIONS)),
        "max_age_days": st.integers(0, 400),
    },
    optional={"only_for_sex": st.sampled_from(["female", "male"])},
)
_lab_tests = st.builds(
    lambda low, width, sex, days: {
        "type": "lab",
        "analyte": "crp",
        "unit": "mg/dL",
        "max_age_days": days,
        "ranges": [{"low": low, "high": low + width, **({"sex": sex} if sex else {})}],
    },
    _bounds,
    st.integers(1, 100),
    st.sampled_from([None, "female", "male"]),
    st.integers(0, 400),
)
_diagnosis_tests = st.builds(
    lambda codes, days: {
        "type": "diagnosis",
        "codes": codes,
        "timing": "recent",
        "within_days": days,
        "history_max_age_days": 30,
    },
    st.lists(st.sampled_from(["I63", "G45", "C00-D09", "K22.7"]), min_size=1, unique=True),
    st.integers(1, 400),
)
_rules = st.lists(
    st.tuples(
        st.sampled_from([kind.value for kind in Kind]),
        st.one_of(_answer_tests, _lab_tests, _diagnosis_tests, st.builds(
            lambda years: {"type": "age", "older_than_years": years}, st.integers(1, 120)
        )),
    ),
    min_size=1,
    max_size=6,
)  # fmt: skip


@given(st.integers(1, 10_000), _rules)
def test_any_valid_rule_set_writes_back_to_the_same_data(version, rules):
    data = {
        "version": version,
        "rules": [
            {"id": f"rule-{n}", "label": f"Rule {n}", "kind": kind, "test": test}
            for n, (kind, test) in enumerate(rules)
        ],
    }

    assert ruleset_to_dict(ruleset_from_dict(data)) == data
