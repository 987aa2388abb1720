"""The per-condition report: where patients are in the journey, outcomes, adverse events.

The stage of each patient is derived from the records (never stored), so it cannot
drift from them; the statistics come from celltrace.clinical.outcome_summary.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When

from celltrace.accounts.access import scope_to_site
from celltrace.catalog.models import Condition
from celltrace.clinical.outcome_summary import (
    InstrumentSummary,
    Observation,
    Proportion,
    summarize_instrument,
    wilson_interval,
)
from celltrace.intake.models import ConsultationRequest
from celltrace.lab.models import ProductLot
from celltrace.outcomes.models import Instrument, Measurement
from celltrace.patients.models import Patient
from celltrace.plans.models import TreatmentPlan
from celltrace.screening.models import Screening
from celltrace.stays.models import Administration, AdverseEvent, Stay

STAGES = (
    ("request", "Request only (not yet screened)"),
    ("screened", "Screened"),
    ("planned", "Planned"),
    ("in_lab", "In the lab"),
    ("on_ward", "On the ward"),
    ("follow_up", "Discharged: in follow-up"),
)
FEVER_TERMS = Q(term__icontains="fever") | Q(term__icontains="pyrexia")


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    patients: int


@dataclass(frozen=True)
class InstrumentRow:
    label: str
    stats: InstrumentSummary


@dataclass(frozen=True)
class ConditionSummary:
    condition: Condition
    stages: list[Stage]
    treated: int
    instruments: list[InstrumentRow]
    events_by_grade: dict[int, int]
    serious_events: int
    fever: Proportion


def _stage_of_patient():
    def has(model, **lookup):
        return Exists(model.objects.filter(**lookup))

    patient = OuterRef("pk")
    return Case(
        When(has(Stay, patient=patient, discharged_at__isnull=False), then=Value("follow_up")),
        When(has(Stay, patient=patient, discharged_at__isnull=True), then=Value("on_ward")),
        When(has(ProductLot, plan__patient=patient), then=Value("in_lab")),
        When(has(TreatmentPlan, patient=patient), then=Value("planned")),
        When(has(Screening, patient=patient), then=Value("screened")),
        default=Value("request"),
    )


def _stages(patients, condition, user) -> list[Stage]:
    counts = dict(
        patients.annotate(stage=_stage_of_patient())
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
    )
    waiting = ConsultationRequest.objects.filter(
        condition=condition,
        patient__isnull=True,
        status__in=[ConsultationRequest.Status.NEW, ConsultationRequest.Status.CLAIMED],
    )
    counts["request"] = counts.get("request", 0) + scope_to_site(waiting, user).count()
    return [Stage(code, label, counts.get(code, 0)) for code, label in STAGES]


def _instruments(patients, treated_ids: set[int]) -> list[InstrumentRow]:
    rows = Measurement.objects.filter(patient__in=patients).values_list(
        "instrument", "patient_id", "timepoint", "measured_on", "value"
    )
    by_instrument: dict[str, list[Observation]] = {}
    for code, *fields in rows:
        by_instrument.setdefault(code, []).append(Observation(*fields))
    labels = dict(Instrument.choices)
    return [
        InstrumentRow(labels[code], summarize_instrument(code, obs, treated_ids=treated_ids))
        for code, obs in sorted(by_instrument.items())
        if code in labels
    ]


def condition_summary(condition: Condition, user) -> ConditionSummary:
    """Summarize a condition over the patients the user may see (every site for an admin)."""
    patients = scope_to_site(Patient.objects.filter(condition=condition), user)
    treated_ids = set(
        patients.filter(
            Exists(Administration.objects.filter(stay__patient=OuterRef("pk")))
        ).values_list("pk", flat=True)
    )
    events = AdverseEvent.objects.filter(stay__patient__in=patients)
    grades = events.aggregate(
        serious=Count("pk", filter=Q(serious=True)),
        **{f"g{g}": Count("pk", filter=Q(ctcae_grade=g)) for g in range(1, 6)},
    )
    fever_patients = (
        events.filter(FEVER_TERMS, stay__patient__in=treated_ids)
        .values("stay__patient")
        .distinct()
        .count()
    )
    return ConditionSummary(
        condition=condition,
        stages=_stages(patients, condition, user),
        treated=len(treated_ids),
        instruments=_instruments(patients, treated_ids),
        events_by_grade={g: grades[f"g{g}"] for g in range(1, 6)},
        serious_events=grades["serious"],
        fever=wilson_interval(fever_patients, len(treated_ids)),
    )


def conditions_with_counts(user):
    """Every condition with how many of the user's patients have it."""
    in_scope = Q() if user.sees_every_site else Q(patients__site_id=user.site_id)
    return Condition.objects.annotate(patient_count=Count("patients", filter=in_scope))
