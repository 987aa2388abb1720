"""May this patient be planned, harvested or treated now? Every screen and gate asks here.

The answer comes from the patient's latest screening before planning (a day-one re-check is
not one), read by the core's verdict (celltrace.clinical.eligibility.verdict), so a
dashboard, a plan, a harvest and the bedside can never disagree.
"""

from django.db.models import OuterRef, Subquery

from celltrace.clinical import eligibility
from celltrace.screening.evaluation import plan_sources
from celltrace.screening.models import Screening


def _planning_latest_first():
    """Screenings before planning, the latest first: the one order "latest" is read in."""
    planning = Screening.objects.filter(purpose=Screening.Purpose.PLANNING)
    return planning.order_by("-decided_at", "-pk")


def latest_planning_screening(patient) -> Screening | None:
    """Return the patient's latest screening before planning, or None."""
    return _planning_latest_first().filter(patient=patient).first()


def recorded_decision(screening: Screening | None) -> eligibility.RecordedDecision | None:
    """Return the latest screening as the core's verdict reads it (None: never screened)."""
    return screening.to_domain() if screening is not None else None


def plan_verdict(patient, *, sources=()) -> eligibility.Verdict:
    """Say whether a plan (using products of `sources`) may be made for the patient now."""
    return eligibility.may_plan(
        recorded_decision(latest_planning_screening(patient)), sources=sources
    )


def harvest_verdict(patient) -> eligibility.Verdict:
    """Say whether the patient's own cells may be harvested now."""
    return eligibility.may_harvest(recorded_decision(latest_planning_screening(patient)))


def treatment_verdict(plan) -> eligibility.Verdict:
    """Say whether the latest decision still allows the plan's products (admission, bedside)."""
    return plan_verdict(plan.patient, sources=plan_sources(plan))


def plannable(patients) -> list:
    """Return those of `patients` whose latest decision allows a plan now, in their order."""
    latest = _planning_latest_first().filter(patient=OuterRef("pk"))
    rows = list(patients.annotate(latest_screening_id=Subquery(latest.values("pk")[:1])))
    screenings = Screening.objects.filter(
        pk__in=[row.latest_screening_id for row in rows if row.latest_screening_id]
    ).prefetch_related("signatures")
    by_id = {screening.pk: screening for screening in screenings}
    return [
        row
        for row in rows
        if eligibility.may_plan(recorded_decision(by_id.get(row.latest_screening_id)))
    ]
