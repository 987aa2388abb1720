"""Turn the rules' outcomes into one decision, with a precedence that never guesses."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from .facts import Source
from .rules import Kind


class Outcome(StrEnum):
    """What one rule found: a contraindication present, absent, or not yet known."""

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


class Decision(StrEnum):
    ELIGIBLE = "eligible"
    ELIGIBLE_WITH_CAUTIONS = "eligible_with_cautions"
    DONOR_ONLY = "donor_products_only"
    INCOMPLETE = "incomplete"
    NOT_ELIGIBLE = "not_eligible"


# How much each decision allows of the requested treatment, least first. Incomplete ranks above
# donor-only and not-eligible because more data may still allow the request; those two refuse
# it for good (donor-only refuses the patient's own cells, not-eligible refuses every source).
PERMISSIVENESS: dict[Decision, int] = {
    Decision.NOT_ELIGIBLE: 0,
    Decision.DONOR_ONLY: 1,
    Decision.INCOMPLETE: 2,
    Decision.ELIGIBLE_WITH_CAUTIONS: 3,
    Decision.ELIGIBLE: 4,
}

ALLOWING = frozenset({Decision.ELIGIBLE, Decision.ELIGIBLE_WITH_CAUTIONS})

Findings = Iterable[tuple[Kind, Outcome]]


def decide(findings: Findings, source: Source) -> Decision:
    """Decide for the requested `source` from each rule's kind and outcome."""
    findings = list(findings)
    met = {kind for kind, outcome in findings if outcome is Outcome.MET}
    if Kind.EXCLUDES in met:
        # More data cannot undo a present exclusion, so unknowns elsewhere do not matter.
        return Decision.NOT_ELIGIBLE
    if any(is_blocking(kind, outcome, findings, source) for kind, outcome in findings):
        return Decision.INCOMPLETE
    if source is Source.AUTOLOGOUS and Kind.EXCLUDES_HARVEST in met:
        return Decision.DONOR_ONLY
    if Kind.CAUTION in met:
        return Decision.ELIGIBLE_WITH_CAUTIONS
    return Decision.ELIGIBLE


def is_blocking(kind: Kind, outcome: Outcome, findings: Findings, source: Source) -> bool:
    """Say whether an outcome is an unknown that could still change the decision."""
    if outcome is not Outcome.UNKNOWN:
        return False
    if kind is not Kind.EXCLUDES_HARVEST:
        return True
    # Harvest rules matter only for the patient's own cells, and only until one is met.
    harvest_excluded = any(k is Kind.EXCLUDES_HARVEST and o is Outcome.MET for k, o in findings)
    return source is Source.AUTOLOGOUS and not harvest_excluded


def allowed_sources(findings: Findings) -> tuple[Source, ...]:
    """Return the sources the findings allow now, whichever was requested."""
    findings = list(findings)
    return tuple(source for source in Source if decide(findings, source) in ALLOWING)
