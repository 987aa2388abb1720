"""The per-condition report: where patients are in the journey, outcomes, adverse events.

The stage of each patient is derived from the records (never stored), so it cannot
drift from them; the statistics come from celltrace.clinical.outcome_summary.
"""

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from celltrace.accounts.access import scope_to_site
from celltrace.catalog.models import Condition
from celltrace.clinical.outcome_summary import (
    SUMMARISED_INSTRUMENTS,
    InstrumentSummary,
    Observation,
    Proportion,
    compare_with_claim,
    summarize_instrument,
    wilson_interval,
)
from celltrace.followup.models import FollowUpItem
from celltrace.intake.models import ConsultationRequest
from celltrace.lab.models import ProductLot
from celltrace.outcomes import instruments
from celltrace.outcomes.models import Measurement
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
# The coded CTCAE term, and an "Other, specify" that names fever (MedDRA's pyrexia) in words.
FEVER_TERMS = (
    Q(term__code="fever")
    | Q(term__code="other", term_detail__icontains="fever")
    | Q(term__code="other", term_detail__icontains="pyrexia")
)
CLAIMED_FEVER_MAX = 0.02  # the clinic states fever in no more than 2 % of cases
GRADES = range(1, 6)


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
class EventRow:
    """Treated patients with at least one such adverse event, and the number of events."""

    code: str
    label: str
    patients: Proportion
    events: int


@dataclass(frozen=True)
class ConditionSummary:
    condition: Condition
    stages: list[Stage]
    treated: int
    instruments: list[InstrumentRow]
    adverse_events: list[EventRow]
    fever: Proportion
    fever_claim: float
    fever_verdict: str


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


def _instruments(patients, treated, treated_ids: set[int]) -> list[InstrumentRow]:
    rows = Measurement.objects.filter(patient__in=patients).values_list(
        "instrument", "patient_id", "timepoint", "measured_on", "value"
    )
    by_instrument: dict[str, list[Observation]] = {}
    for code, *fields in rows:
        by_instrument.setdefault(code, []).append(Observation(*fields))
    checkup_due_ids = set(
        FollowUpItem.objects.filter(
            patient__in=treated,
            kind=FollowUpItem.Kind.CHECKUP,
            due_date__lt=timezone.localdate(),
        ).values_list("patient_id", flat=True)
    )
    # This summary knows the six instruments of outcome_summary; the others wait for the
    # registry report.
    labels = {
        code: label
        for code, label in instruments.measure_choices()
        if code in SUMMARISED_INSTRUMENTS
    }
    return [
        InstrumentRow(
            labels[code],
            summarize_instrument(
                code, obs, treated_ids=treated_ids, checkup_due_ids=checkup_due_ids
            ),
        )
        for code, obs in sorted(by_instrument.items())
        if code in labels
    ]


def _adverse_events(treated_ids: set[int]) -> tuple[list[EventRow], Proportion]:
    """Count treated patients with each kind of event, in stays where a product was given.

    Filtering on the very ids that make the denominator keeps every numerator within it,
    even if a patient is treated while the report is being built.
    """
    treated_stays = Stay.objects.filter(
        Exists(Administration.objects.filter(stay=OuterRef("pk"))), patient__in=treated_ids
    )
    kinds = [("any", "Any adverse event", Q())]
    kinds += [(f"grade_{g}", f"CTCAE grade {g}", Q(ctcae_grade=g)) for g in GRADES]
    kinds += [
        ("grade_3_plus", "CTCAE grade 3 or higher", Q(ctcae_grade__gte=3)),
        ("serious", "Serious", Q(serious=True)),
        ("fever", "Fever", FEVER_TERMS),
    ]
    counts = AdverseEvent.objects.filter(stay__in=treated_stays).aggregate(
        **{
            f"{code}_patients": Count("stay__patient", distinct=True, filter=q)
            for code, _, q in kinds
        },
        **{f"{code}_events": Count("pk", filter=q) for code, _, q in kinds},
    )
    n = len(treated_ids)
    rows = [
        EventRow(
            code, label, wilson_interval(counts[f"{code}_patients"], n), counts[f"{code}_events"]
        )
        for code, label, _ in kinds
    ]
    return [r for r in rows if r.code != "fever"], rows[-1].patients


def condition_summary(condition: Condition, user) -> ConditionSummary:
    """Summarize a condition over the patients the user may see (every site for an admin)."""
    patients = scope_to_site(Patient.objects.filter(condition=condition), user)
    treated = patients.filter(
        Exists(Administration.objects.filter(stay__patient=OuterRef("pk")))
    ).values("pk")
    treated_ids = set(treated.values_list("pk", flat=True))
    adverse_events, fever = _adverse_events(treated_ids)
    return ConditionSummary(
        condition=condition,
        stages=_stages(patients, condition, user),
        treated=len(treated_ids),
        instruments=_instruments(patients, treated, treated_ids),
        adverse_events=adverse_events,
        fever=fever,
        fever_claim=CLAIMED_FEVER_MAX,
        fever_verdict=compare_with_claim(fever, CLAIMED_FEVER_MAX),
    )


def conditions_with_counts(user):
    """Every condition with how many of the user's patients have it."""
    in_scope = Q() if user.sees_every_site else Q(patients__site_id=user.site_id)
    return Condition.objects.annotate(patient_count=Count("patients", filter=in_scope))
