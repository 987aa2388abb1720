"""Between the database and the rules engine: gather a patient's facts, run, store the result."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

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
        on=min(timezone.localdate(), treatment_date),
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


def day_one_problem(stay) -> str:
    """Return why no cell product may be given during the stay now, or "" when it may."""
    latest = latest_day_one(stay)
    if latest is None:
        return (
            "No day-one screening for this stay: enter today's lab results and screen again "
            "before any cell product is given."
        )
    sources = plan_sources(stay.plan)
    blocked = blocking_finding(latest, sources)
    if blocked:
        return (
            f"Day-one screening found {blocked}: administration blocked until the doctors' "
            "team reviews it."
        )
    earlier = stay.screenings.filter(purpose=Screening.Purpose.DAY_ONE, pk__lt=latest.pk)
    if not latest.is_final and any(blocking_finding(s, sources) for s in earlier):
        return (
            "An earlier day-one screening found a contraindication: administration blocked "
            f"until the doctors' team reviews it ({latest.signatures.count()} of "
            f"{required_signatures()} signatures on the new screening)."
        )
    return ""


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
