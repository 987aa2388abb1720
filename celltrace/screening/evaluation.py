"""Between the database and the rules engine: gather a patient's facts, run, store the result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from celltrace.accounts import site_time
from celltrace.clinical import eligibility
from celltrace.clinical.eligibility.facts import describe
from celltrace.screening.models import PatientFact, RuleSet, Screening

ALLOWING = {Screening.Decision.ELIGIBLE, Screening.Decision.ELIGIBLE_WITH_CAUTIONS}


def required_signatures() -> int:
    return settings.CELLTRACE_SCREENING_SIGNATURES


def current_ruleset() -> RuleSet | None:
    """Return the newest published rule set, the one new screenings use (None: none yet)."""
    published = RuleSet.objects.filter(status=RuleSet.Status.PUBLISHED)
    return published.order_by("-version").first()


def patient_facts(patient, treatment_date: dt.date) -> list[eligibility.Fact]:
    """Return the patient's recorded facts and the sex and birth date of the patient record."""
    recorded = [fact.to_domain() for fact in PatientFact.objects.filter(patient=patient)]
    person = eligibility.Person(
        sex=eligibility.Sex(patient.sex) if patient.sex else None,
        birth_date=patient.date_of_birth,
        on=min(site_time.today(patient.site), treatment_date),
        provenance="patient record",
    )
    return [person, *recorded]


def run_rules(patient, ruleset: RuleSet, *, treatment_date, source) -> eligibility.Evaluation:
    facts = patient_facts(patient, treatment_date)
    return eligibility.evaluate(
        ruleset.to_domain(), facts, treatment_date=treatment_date, source=source
    )


def screening_fields(evaluation: eligibility.Evaluation) -> dict:
    """Return the Screening fields that record an evaluation."""
    allowed = [source.value for source in evaluation.allowed_sources]
    return {
        "decision": evaluation.decision.value,
        "treatment_date": evaluation.treatment_date,
        "source": evaluation.source.value,
        "results": [result_dict(result) for result in evaluation.results],
        "needed": list(evaluation.needed),
        "allowed_sources": allowed,
        "donor_products_only": allowed == [eligibility.Source.ALLOGENEIC.value],
        "reasons": summary(evaluation),
    }


def result_dict(result: eligibility.RuleResult) -> dict:
    return {
        "rule_id": result.rule_id,
        "label": result.label,
        "kind": result.kind.value,
        "outcome": result.outcome.value,
        "reason": result.reason,
        "facts": [describe(fact) for fact in result.facts],
        "needed": result.needed,
    }


def summary(evaluation: eligibility.Evaluation) -> str:
    """Say in one paragraph why the engine decided as it did."""
    met = [r.label for r in evaluation.results if r.outcome is eligibility.Outcome.MET]
    parts = [f"Rule set version {evaluation.ruleset_version}, {evaluation.source.value} cells "]
    parts.append(f"on {evaluation.treatment_date}: {evaluation.decision.value.replace('_', ' ')}.")
    if met:
        parts.append(" Found: " + "; ".join(met) + ".")
    if evaluation.needed:
        parts.append(" Needed: " + "; ".join(evaluation.needed) + ".")
    return "".join(parts)


def plan_sources(plan) -> list[str]:
    return sorted({planned.product.source for planned in plan.products.select_related("product")})


def latest_day_one(stay) -> Screening | None:
    return stay.screenings.filter(purpose=Screening.Purpose.DAY_ONE).order_by("-pk").first()


@dataclass(frozen=True)
class DayOneCheck:
    """Whether the stay's day-one re-checks let a product be given, and what they wait for.

    `review` is the latest re-check while it waits for the doctors' signatures (a new caution,
    or an earlier re-check that held administration); `cleared_at` is when the stay was
    cleared: nothing may be given before it.
    """

    problem: str = ""
    review: Screening | None = None
    signed: int = 0
    cleared_at: dt.datetime | None = None

    @property
    def missing(self) -> int:
        return max(required_signatures() - self.signed, 0)


def day_one_check(stay) -> DayOneCheck:
    """Read the stay's day-one re-checks the way the bedside gate and the stay page do."""
    latest = latest_day_one(stay)
    if latest is None:
        return DayOneCheck(
            "No day-one screening for this stay: enter today's lab results and screen again "
            "before any cell product is given."
        )
    sources = plan_sources(stay.plan)
    blocked = blocking_finding(latest, sources)
    if blocked:
        return DayOneCheck(
            f"Day-one screening found {blocked}: administration blocked until the doctors' "
            "team reviews it."
        )
    held = _held_by(latest, stay, sources)
    if held and not latest.is_final:
        signed = latest.signatures.count()
        signatures = f"{signed} of {required_signatures()} signatures"
        return DayOneCheck(f"{held} ({signatures}).", review=latest, signed=signed)
    # A re-check the team had to sign clears the stay from its last required signature on.
    return DayOneCheck(cleared_at=latest.finalized_at if held else latest.decided_at)


def _held_by(latest: Screening, stay, sources: list[str]) -> str:
    """Say why an unsigned re-check waits for the doctors' review, or "" when it does not."""
    if latest.new_cautions:
        return (
            f"The day-one re-check found a new caution ({'; '.join(latest.new_cautions)}): it "
            "needs the doctors' review with a written justification before any product is given"
        )
    earlier = stay.screenings.filter(purpose=Screening.Purpose.DAY_ONE, pk__lt=latest.pk)
    if any(blocking_finding(s, sources) for s in earlier):
        return (
            "An earlier day-one screening found a contraindication: administration blocked "
            "until the doctors' team reviews it"
        )
    if any(s.new_cautions and not s.is_final for s in earlier):
        # Otherwise a changed answer and a new run would clear a caution nobody reviewed.
        return (
            "An earlier day-one re-check found a new caution no doctor reviewed: administration "
            "blocked until the doctors' team signs the new screening"
        )
    return ""


def day_one_problem(stay) -> str:
    """Return why no cell product may be given during the stay now, or "" when it may."""
    return day_one_check(stay).problem


def blocking_finding(screening: Screening, sources: list[str]) -> str:
    """Name what a day-one screening found that stops administration, or ""."""
    if screening.new_exclusions:
        return " and ".join(screening.new_exclusions)
    if screening.decision not in ALLOWING and screening.decision != Screening.Decision.DONOR_ONLY:
        return f"the decision “{screening.get_decision_display().lower()}”"
    refused = [s for s in sources if s not in screening.allowed_sources]
    if refused:
        return f"that {', '.join(refused)} products are no longer allowed"
    return ""
