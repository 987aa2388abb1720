"""May a patient be planned, harvested or treated now? One answer, from the latest decision.

The rules engine decides one screening; this module reads the latest recorded decision before
planning and says whether a plan, a harvest of the patient's own cells, or treatment with
products of given sources may go ahead, and if not, why, in words a doctor can act on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .decision import Decision
from .facts import Source

# Decisions a plan may rest on, once final: donor-only allows a plan of donor products.
PLANNABLE = frozenset({Decision.ELIGIBLE, Decision.ELIGIBLE_WITH_CAUTIONS, Decision.DONOR_ONLY})

LABELS = {
    Decision.ELIGIBLE: "Eligible",
    Decision.ELIGIBLE_WITH_CAUTIONS: "Eligible with cautions",
    Decision.DONOR_ONLY: "Donor products only",
    Decision.INCOMPLETE: "Incomplete",
    Decision.NOT_ELIGIBLE: "Not eligible",
}


@dataclass(frozen=True, slots=True)
class RecordedDecision:
    """A screening decision as recorded: what it decided, for which sources, and its sign-off."""

    decision: Decision
    allowed_sources: frozenset[Source]
    decided_on: date
    final: bool
    signatures: int = 0
    required_signatures: int = 0


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether the step may go ahead; when not, a code and the reason for the user."""

    allowed: bool
    code: str = ""
    reason: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Verdict(allowed=True)


def may_plan(latest: RecordedDecision | None, *, sources: Iterable[Source] = ()) -> Verdict:
    """Say whether a plan using products of `sources` may rest on the latest decision."""
    if latest is None:
        return Verdict(
            False,
            "not_screened",
            "This patient has not been screened; a plan needs an eligible screening.",
        )
    when = latest.decided_on.isoformat()
    if latest.decision not in PLANNABLE:
        label = LABELS[latest.decision]
        return Verdict(
            False,
            "decision_not_eligible",
            f"The latest screening ({when}) decided “{label}”; a plan needs an eligible screening.",
            (("date", when), ("decision", label)),
        )
    if not latest.final:
        return Verdict(
            False,
            "decision_not_final",
            f"The latest screening ({when}) is not final: {latest.signatures} of "
            f"{latest.required_signatures} doctors have signed it; a plan needs a final "
            "eligible screening.",
            (("date", when), ("signed", str(latest.signatures))),
        )
    refused = sorted(Source(s).value for s in sources if Source(s) not in latest.allowed_sources)
    if refused:
        return Verdict(
            False,
            "source_not_allowed",
            f"The latest screening ({when}) no longer allows {' or '.join(refused)} products.",
            (("date", when), ("sources", ", ".join(refused))),
        )
    return ALLOWED


def may_harvest(latest: RecordedDecision | None) -> Verdict:
    """Say whether the patient's own cells may be harvested: an invasive step of its own."""
    verdict = may_plan(latest, sources=[Source.AUTOLOGOUS])
    if verdict.code == "source_not_allowed":
        return Verdict(
            False,
            "harvest_excluded",
            f"The latest screening ({latest.decided_on.isoformat()}) excludes harvesting this "
            "patient's own cells.",
            verdict.params,
        )
    return verdict
