"""API endpoints of the plans stage: parse input, check access, call actions."""

from datetime import date
from decimal import Decimal

from ninja import Router, Schema, Status
from pydantic import Field

from celltrace.accounts.access import RoleSession
from celltrace.catalog.models import CellProduct, Therapy
from celltrace.clinical.dosing import DEFAULT_DOSE_TIME
from celltrace.patients.access import get_patient_for_user
from celltrace.plans import actions
from celltrace.plans.access import (
    PLAN_CANCELLERS,
    PLAN_MAKERS,
    PLAN_VIEWERS,
    QUOTE_RECORDERS,
    get_plan_for_user,
)
from celltrace.plans.requests import (
    PlanRequest,
    RequestedDose,
    RequestedHomeCare,
    RequestedTherapy,
)
from celltrace.schemas import AwareDatetime, LocalTime
from celltrace.signatures.schemas import ElectronicSignatureOut, e_signatures_out

router = Router(tags=["plans"])


class PlannedProductIn(Schema):
    product: str
    route: str
    dose_per_kg: float
    day_of_stay: int
    # "HH:MM", the clinic's local time; 10:00 when not given.
    planned_time: LocalTime = DEFAULT_DOSE_TIME


class PlannedTherapyIn(Schema):
    therapy: str
    sessions: int


class PlannedHomeCareIn(Schema):
    # A catalog product's code, or none for medication guidance named in `medication`.
    product: str | None = None
    medication: str = ""
    route: str
    dose_per_kg: float | None = None
    every_days: int
    weeks: int
    longer_reason: str = ""
    instructions: str


class PlanIn(Schema):
    weight_kg: float
    admission_date: date
    discharge_date: date
    products: list[PlannedProductIn]
    therapies: list[PlannedTherapyIn] = []
    notes: str = ""
    home_care: list[PlannedHomeCareIn] = []


class NewPlanIn(PlanIn):
    password: str = Field(description="The doctor's password, typed again to sign the plan")


class AmendIn(PlanIn):
    reason: str
    password: str = Field(description="The doctor's password, typed again to sign the version")


class CancelIn(Schema):
    reason: str


class AcceptQuoteIn(Schema):
    accepted_by_name: str
    accepted_at: AwareDatetime
    channel: str


class AcceptanceOut(Schema):
    accepted_by_name: str
    accepted_at: AwareDatetime
    channel: str
    quote_total: Decimal
    currency: str


class PlannedProductOut(Schema):
    product: str
    product_name: str
    source: str
    route: str
    dose_per_kg: float
    # What the dose counts: viable_cells, particles or ug_protein (per kg).
    dose_unit: str
    day_of_stay: int
    planned_time: str  # "HH:MM", the clinic's local time
    total_amount: float


class PlannedTherapyOut(Schema):
    therapy: str
    therapy_name: str
    sessions: int


class PlannedHomeCareOut(Schema):
    product: str | None
    what: str
    route: str
    dose_per_kg: float | None
    dose_unit: str | None
    every_days: int
    weeks: int
    doses: int
    longer_reason: str
    instructions: str


class QuoteLineOut(Schema):
    description: str
    quantity: int
    unit_price: Decimal
    amount: Decimal


class PlanOut(Schema):
    id: int
    number: int
    version: int
    status: str
    supersedes_id: int | None
    amendment_reason: str
    cancellation_reason: str
    patient_id: int
    screening_id: int
    weight_kg: float
    admission_date: date
    discharge_date: date
    notes: str
    products: list[PlannedProductOut]
    therapies: list[PlannedTherapyOut]
    home_care: list[PlannedHomeCareOut]
    quote_lines: list[QuoteLineOut]
    quote_total: Decimal
    currency: str
    quote_accepted: bool
    acceptance: AcceptanceOut | None
    lot_ids: list[int]
    e_signatures: list[ElectronicSignatureOut] = Field(
        description="The doctor's signature approving this version"
    )


def _by_code(model, codes):
    return {row.code: row for row in model.objects.filter(code__in=codes)}


def plan_out(plan, *, with_lots: bool) -> PlanOut:
    products = plan.products.select_related("product")
    therapies = plan.therapies.select_related("therapy")
    lines = list(plan.quote_lines.all())
    acceptance = plan.quote_acceptance
    return PlanOut(
        id=plan.pk,
        number=plan.number,
        version=plan.version,
        status=plan.status,
        supersedes_id=plan.supersedes_id,
        amendment_reason=plan.amendment_reason,
        cancellation_reason=plan.cancellation_reason,
        patient_id=plan.patient_id,
        screening_id=plan.screening_id,
        weight_kg=plan.weight_kg,
        admission_date=plan.admission_date,
        discharge_date=plan.discharge_date,
        notes=plan.notes,
        products=[
            PlannedProductOut(
                product=p.product.code,
                product_name=p.product.name,
                source=p.product.source,
                route=p.route,
                dose_per_kg=p.dose_per_kg,
                dose_unit=p.product.dose_unit,
                day_of_stay=p.day_of_stay,
                planned_time=f"{p.planned_time:%H:%M}",
                total_amount=p.total_amount,
            )
            for p in products
        ],
        therapies=[
            PlannedTherapyOut(
                therapy=t.therapy.code, therapy_name=t.therapy.name, sessions=t.sessions
            )
            for t in therapies
        ],
        home_care=[
            PlannedHomeCareOut(
                product=h.product.code if h.product_id else None,
                what=h.what,
                route=h.route,
                dose_per_kg=h.dose_per_kg,
                dose_unit=h.product.dose_unit if h.product_id else None,
                every_days=h.every_days,
                weeks=h.weeks,
                doses=h.dose_count,
                longer_reason=h.longer_reason,
                instructions=h.instructions,
            )
            for h in plan.home_care.select_related("product")
        ],
        quote_lines=[QuoteLineOut.from_orm(line) for line in lines],
        quote_total=sum((line.amount for line in lines), Decimal("0")),
        currency=plan.currency,
        quote_accepted=acceptance is not None,
        acceptance=AcceptanceOut.from_orm(acceptance) if acceptance else None,
        lot_ids=list(plan.lots.values_list("pk", flat=True)) if with_lots else [],
        e_signatures=e_signatures_out(plan, time_zone=plan.patient.site.time_zone),
    )


def plan_request(payload: PlanIn) -> PlanRequest:
    """Build the typed request from the payload; unknown catalog codes become None."""
    products = _by_code(
        CellProduct,
        [p.product for p in payload.products] + [h.product for h in payload.home_care if h.product],
    )
    therapies = _by_code(Therapy, [t.therapy for t in payload.therapies])
    return PlanRequest(
        weight_kg=payload.weight_kg,
        admission_date=payload.admission_date,
        discharge_date=payload.discharge_date,
        doses=tuple(
            RequestedDose(**{**p.model_dump(), "product": products.get(p.product)})
            for p in payload.products
        ),
        therapies=tuple(
            RequestedTherapy(therapy=therapies.get(t.therapy), sessions=t.sessions)
            for t in payload.therapies
        ),
        notes=payload.notes,
        # An unknown product code stays text: the action refuses it on its field.
        home_care=tuple(
            RequestedHomeCare(
                **{**h.model_dump(), "product": products.get(h.product, h.product)}
                if h.product
                else {**h.model_dump(), "product": None}
            )
            for h in payload.home_care
        ),
    )


@router.post("/patients/{patient_id}", response={201: PlanOut}, auth=RoleSession(PLAN_MAKERS))
def create(request, patient_id: int, payload: NewPlanIn):
    """Make and sign a treatment plan; refused (422) unless every dose, date and product is
    allowed and the password is the doctor's."""
    patient = get_patient_for_user(request.user, patient_id)
    plan = actions.create_plan(
        patient, request.user, plan_request(payload), password=payload.password
    )
    return Status(201, plan_out(plan, with_lots=True))


@router.get("/{plan_id}", response=PlanOut, auth=RoleSession(PLAN_VIEWERS))
def detail(request, plan_id: int):
    """A plan version with its products, therapies, quote lines, total and acceptance."""
    plan = get_plan_for_user(request.user, plan_id)
    return plan_out(plan, with_lots=request.user.role != "patient")


@router.post("/{plan_id}/amend", response={201: PlanOut}, auth=RoleSession(PLAN_MAKERS))
def amend(request, plan_id: int, payload: AmendIn):
    """Make the next, signed version of the plan; refused (422) as a new plan would be."""
    plan = get_plan_for_user(request.user, plan_id)
    new = actions.amend_plan(
        plan,
        request.user,
        plan_request(payload),
        reason=payload.reason,
        password=payload.password,
    )
    return Status(201, plan_out(new, with_lots=True))


@router.post("/{plan_id}/cancel", response=PlanOut, auth=RoleSession(PLAN_CANCELLERS))
def cancel(request, plan_id: int, payload: CancelIn):
    """Cancel the plan before admission; the lab's orders for it stop."""
    plan = get_plan_for_user(request.user, plan_id)
    return plan_out(actions.cancel_plan(plan, request.user, reason=payload.reason), with_lots=True)


@router.post(
    "/{plan_id}/quote-acceptance", response={201: AcceptanceOut}, auth=RoleSession(QUOTE_RECORDERS)
)
def accept(request, plan_id: int, payload: AcceptQuoteIn):
    """Record the patient's acceptance of this version's quote."""
    plan = get_plan_for_user(request.user, plan_id)
    acceptance = actions.accept_quote(plan, request.user, **payload.model_dump())
    return Status(201, AcceptanceOut.from_orm(acceptance))
