"""Read rule sets from plain dicts or JSON strictly, and write them back."""

from __future__ import annotations

import json
import math
import re
from enum import StrEnum
from pathlib import Path
from typing import Any

from . import units
from .codes import CodePattern
from .facts import QUESTIONS, Sex
from .rules import (
    AgeTest,
    AnswerTest,
    DiagnosisTest,
    Kind,
    LabTest,
    ReferenceRange,
    Rule,
    RuleSet,
    Test,
    Timing,
)

_RULE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TEST_FIELDS = {
    "diagnosis": {"type", "codes", "timing", "within_days", "history_max_age_days"},
    "lab": {"type", "analyte", "unit", "max_age_days", "ranges"},
    "answer": {"type", "question", "max_age_days", "only_for_sex"},
    "age": {"type", "older_than_years"},
}
_RANGE_FIELDS = {"low", "high", "sex", "min_age_years", "below_age_years"}


class RuleSetError(ValueError):
    """A rule set that cannot be used; the message names the rule at fault."""


class _Fields:
    """Read one dict's fields, failing with a message that names where they came from."""

    def __init__(self, data: Any, where: str, allowed: set[str]) -> None:
        if not isinstance(data, dict):
            raise RuleSetError(f"{where}: expected an object, got {type(data).__name__}")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise RuleSetError(f"{where}: unknown field(s) {unknown}")
        self.data, self.where = data, where

    def fail(self, message: str) -> RuleSetError:
        return RuleSetError(f"{self.where}: {message}")

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{key!r} must be a non-empty string")
        return value

    def choice[E: StrEnum](self, key: str, enum: type[E]) -> E:
        value = self.data.get(key)
        try:
            return enum(value)
        except ValueError:
            known = [member.value for member in enum]
            raise self.fail(f"unknown {key} {value!r}; known: {known}") from None

    def optional_choice[E: StrEnum](self, key: str, enum: type[E]) -> E | None:
        return None if self.data.get(key) is None else self.choice(key, enum)

    def count(self, key: str, *, minimum: int = 1) -> int:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(f"{key!r} must be a whole number of at least {minimum}")
        return value

    def optional_count(self, key: str, *, minimum: int = 1) -> int | None:
        return None if self.data.get(key) is None else self.count(key, minimum=minimum)

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise self.fail(f"{key!r} must be a finite number")
        return value

    def items(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(f"{key!r} must be a non-empty list")
        return value


def ruleset_from_dict(data: Any) -> RuleSet:
    """Build a RuleSet from plain data, refusing anything unknown or inconsistent."""
    top = _Fields(data, "rule set", {"version", "rules"})
    version = top.count("version")
    rules = tuple(_rule(item, number) for number, item in enumerate(top.items("rules"), 1))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleSetError(f"rule {rule.id!r}: the id is used twice")
        seen.add(rule.id)
    return RuleSet(version=version, rules=rules)


def load_ruleset(path: str | Path) -> RuleSet:
    """Read a rule set from a JSON file."""
    return ruleset_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def _rule(data: Any, number: int) -> Rule:
    rule_id = data.get("id") if isinstance(data, dict) else None
    name = f"rule {rule_id!r}" if isinstance(rule_id, str) else f"rule number {number}"
    fields = _Fields(data, name, {"id", "label", "kind", "test"})
    if not isinstance(rule_id, str) or not _RULE_ID.match(rule_id):
        raise fields.fail("'id' must be lower-case letters, digits, '-' or '_'")
    kind = fields.choice("kind", Kind)
    test = _test(data.get("test"), name)
    return Rule(id=rule_id, label=fields.text("label"), kind=kind, test=test)


def _test(data: Any, name: str) -> Test:
    kind = data.get("type") if isinstance(data, dict) else None
    if kind not in _TEST_FIELDS:
        raise RuleSetError(f"{name}: unknown test type {kind!r}; known: {sorted(_TEST_FIELDS)}")
    fields = _Fields(data, f"{name}, {kind} test", _TEST_FIELDS[kind])
    reader = {"diagnosis": _diagnosis, "lab": _lab, "answer": _answer, "age": _age}[kind]
    return reader(fields)


def _diagnosis(fields: _Fields) -> DiagnosisTest:
    codes = tuple(fields.items("codes"))
    for code in codes:
        try:
            CodePattern.parse(code if isinstance(code, str) else "")
        except ValueError as error:
            raise fields.fail(f"code {code!r}: {error}") from None
    timing = fields.choice("timing", Timing)
    within = fields.optional_count("within_days")
    if timing is Timing.RECENT:
        within = fields.count("within_days")
    if timing is not Timing.RECENT and within is not None:
        raise fields.fail("'within_days' belongs only to timing 'recent'")
    return DiagnosisTest(
        codes=codes,
        timing=timing,
        history_max_age_days=fields.count("history_max_age_days", minimum=0),
        within_days=within,
    )


def _lab(fields: _Fields) -> LabTest:
    analyte, unit = fields.text("analyte"), fields.text("unit")
    try:
        units.check_unit(analyte, unit)
    except units.UnitError as error:
        raise fields.fail(str(error)) from None
    ranges = tuple(
        _range(item, f"{fields.where}, range {number}")
        for number, item in enumerate(fields.items("ranges"), 1)
    )
    max_age = fields.count("max_age_days", minimum=0)
    return LabTest(analyte=analyte, unit=unit, max_age_days=max_age, ranges=ranges)


def _range(data: Any, where: str) -> ReferenceRange:
    fields = _Fields(data, where, _RANGE_FIELDS)
    low, high = fields.number("low"), fields.number("high")
    if low is None and high is None:
        raise fields.fail("a range needs 'low', 'high' or both")
    if low is not None and high is not None and low >= high:
        raise fields.fail("'low' must be below 'high'")
    first = fields.optional_count("min_age_years", minimum=0)
    below = fields.optional_count("below_age_years")
    if first is not None and below is not None and first >= below:
        raise fields.fail("'min_age_years' must be below 'below_age_years'")
    sex = fields.optional_choice("sex", Sex)
    return ReferenceRange(low, high, sex, first, below)


def _answer(fields: _Fields) -> AnswerTest:
    question = fields.text("question")
    if question not in QUESTIONS:
        raise fields.fail(f"unknown question {question!r}; known: {sorted(QUESTIONS)}")
    return AnswerTest(
        question=question,
        max_age_days=fields.count("max_age_days", minimum=0),
        only_for_sex=fields.optional_choice("only_for_sex", Sex),
    )


def _age(fields: _Fields) -> AgeTest:
    return AgeTest(older_than_years=fields.count("older_than_years"))


def ruleset_to_dict(ruleset: RuleSet) -> dict[str, Any]:
    """Write a RuleSet as plain data that ruleset_from_dict reads back unchanged."""
    return {
        "version": ruleset.version,
        "rules": [
            {"id": r.id, "label": r.label, "kind": r.kind.value, "test": _test_to_dict(r.test)}
            for r in ruleset.rules
        ],
    }


def _test_to_dict(test: Test) -> dict[str, Any]:
    match test:
        case DiagnosisTest():
            data = {"type": "diagnosis", "codes": list(test.codes), "timing": test.timing.value}
            data |= {"within_days": test.within_days}
            data |= {"history_max_age_days": test.history_max_age_days}
        case LabTest():
            data = {"type": "lab", "analyte": test.analyte, "unit": test.unit}
            data |= {"max_age_days": test.max_age_days}
            data |= {"ranges": [_range_to_dict(band) for band in test.ranges]}
        case AnswerTest():
            data = {"type": "answer", "question": test.question, "max_age_days": test.max_age_days}
            data |= {"only_for_sex": test.only_for_sex.value if test.only_for_sex else None}
        case AgeTest():
            data = {"type": "age", "older_than_years": test.older_than_years}
    return {key: value for key, value in data.items() if value is not None}


def _range_to_dict(band: ReferenceRange) -> dict[str, Any]:
    data = {
        "sex": band.sex.value if band.sex else None,
        "min_age_years": band.min_age_years,
        "below_age_years": band.below_age_years,
        "low": band.low,
        "high": band.high,
    }
    return {key: value for key, value in data.items() if value is not None}
