"""Screen a patient against a versioned rule set: one call, one recorded evaluation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .checks import Check, Record, check_age, check_answer, check_diagnosis
from .decision import Decision, Outcome, allowed_sources, decide, is_blocking
from .facts import Fact, Source
from .labs import check_lab
from .rules import AgeTest, AnswerTest, DiagnosisTest, Kind, LabTest, Rule, RuleSet


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule's outcome, the facts it used, why, and what is needed when unknown."""

    rule_id: str
    label: str
    kind: Kind
    outcome: Outcome
    reason: str
    facts: tuple[Fact, ...]
    needed: str = ""


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The decision for the requested source, every rule's result, and the rule set version."""

    ruleset_version: int
    treatment_date: date
    source: Source
    decision: Decision
    results: tuple[RuleResult, ...]
    # The sources the data allows now, whichever was requested.
    allowed_sources: tuple[Source, ...]
    # What must be supplied before an incomplete evaluation can be decided.
    needed: tuple[str, ...]

    @property
    def cautions(self) -> tuple[RuleResult, ...]:
        """Return the met cautions; each needs the doctor's written justification."""
        return self._met(Kind.CAUTION)

    @property
    def exclusions(self) -> tuple[RuleResult, ...]:
        """Return the met exclusions, for every source and for harvest only."""
        return self._met(Kind.EXCLUDES) + self._met(Kind.EXCLUDES_HARVEST)

    def result(self, rule_id: str) -> RuleResult:
        """Return the result of the rule with id `rule_id`."""
        for result in self.results:
            if result.rule_id == rule_id:
                return result
        raise KeyError(rule_id)

    def _met(self, kind: Kind) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if r.kind is kind and r.outcome is Outcome.MET)


def evaluate(
    ruleset: RuleSet, facts: Iterable[Fact], *, treatment_date: date, source: Source
) -> Evaluation:
    """Check every rule against the facts and decide for the requested source."""
    source = Source(source)
    record = Record.of(facts, treatment_date)
    results = tuple(_result(rule, record) for rule in ruleset.rules)
    findings = [(r.kind, r.outcome) for r in results]
    decision = decide(findings, source)
    needed: tuple[str, ...] = ()
    if decision is Decision.INCOMPLETE:
        blocking = [r for r in results if is_blocking(r.kind, r.outcome, findings, source)]
        needed = tuple(dict.fromkeys(r.needed for r in blocking))
    return Evaluation(
        ruleset_version=ruleset.version,
        treatment_date=treatment_date,
        source=source,
        decision=decision,
        results=results,
        allowed_sources=allowed_sources(findings),
        needed=needed,
    )


def _result(rule: Rule, record: Record) -> RuleResult:
    check = _check(rule, record)
    return RuleResult(
        rule.id, rule.label, rule.kind, check.outcome, check.reason, check.facts, check.needed
    )


def _check(rule: Rule, record: Record) -> Check:
    match rule.test:
        case AnswerTest():
            return check_answer(rule.test, record)
        case AgeTest():
            return check_age(rule.test, record)
        case DiagnosisTest():
            return check_diagnosis(rule.test, record)
        case LabTest():
            return check_lab(rule.test, record)
    raise TypeError(f"rule {rule.id!r}: no check for {type(rule.test).__name__}")
