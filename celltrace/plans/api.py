"""API endpoints of the plans stage: parse input, check access, call actions."""

from datetime import date
from decimal import Decimal

from ninja import Router, Schema, Status

from celltrace.accounts.access import RoleSession
from celltrace.catalog.models import CellProduct, Therapy
from celltrace.patients.access import get_patient_for_user
from celltrace.plans.access import PLAN_MAKERS, PLAN_VIEWERS, get_plan_for_user
from celltrace.plans.actions import create_plan
from celltrace.plans.requests import PlanRequest, RequestedDose, RequestedTherapy

router = Router(tags=["plans"])


class PlannedProductIn(Schema):
    product: str
    route: str
    dose_cells_per_kg: float
    day_of_stay: int


class PlannedTherapyIn(Schema):
    therapy: str
    sessions: int


class PlanIn(Schema):
    weight_kg: float
    admission_date: date
    discharge_date: date
    products: list[PlannedProductIn]
    therapies: list[PlannedTherapyIn] = []
    notes: str = ""


class PlannedProductOut(Schema):
    product: str
    product_name: str
    source: str
    route: str
    dose_cells_per_kg: float
    # What the dose counts: viable_cells, particles or ug_protein (per kg).
    dose_unit: str
    day_of_stay: int
    total_cells: float


class PlannedTherapyOut(Schema):
    therapy: str
    therapy_name: str
    sessions: int


class QuoteLineOut(Schema):
    description: str
    quantity: int
    unit_price: Decimal
    amount: Decimal


class PlanOut(Schema):
    id: int
    patient_id: int
    screening_id: int
    weight_kg: float
    admission_date: date
    discharge_date: date
    notes: str
    products: list[PlannedProductOut]
    therapies: list[PlannedTherapyOut]
    quote_lines: list[QuoteLineOut]
    quote_total: Decimal
    lot_ids: list[int]


def _by_code(model, codes):
    return {row.code: row for row in model.objects.filter(code__in=codes)}


def plan_out(plan, *, with_lots: bool) -> PlanOut:
    products = plan.products.select_related("product")
    therapies = plan.therapies.select_related("therapy")
    lines = list(plan.quote_lines.all())
    return PlanOut(
        id=plan.pk,
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
                dose_cells_per_kg=p.dose_cells_per_kg,
                dose_unit=p.product.dose_unit,
                day_of_stay=p.day_of_stay,
                total_cells=p.total_cells,
            )
            for p in products
        ],
        therapies=[
            PlannedTherapyOut(
                therapy=t.therapy.code, therapy_name=t.therapy.name, sessions=t.sessions
            )
            for t in therapies
        ],
        quote_lines=[QuoteLineOut.from_orm(line) for line in lines],
        quote_total=sum((line.amount for line in lines), Decimal("0")),
        lot_ids=list(plan.lots.values_list("pk", flat=True)) if with_lots else [],
    )


@router.post("/patients/{patient_id}", response={201: PlanOut}, auth=RoleSession(PLAN_MAKERS))
def create(request, patient_id: int, payload: PlanIn):
    """Make a treatment plan; refused (422) unless every dose, date and product is allowed."""
    patient = get_patient_for_user(request.user, patient_id)
    products = _by_code(CellProduct, [p.product for p in payload.products])
    therapies = _by_code(Therapy, [t.therapy for t in payload.therapies])
    plan = create_plan(
        patient,
        request.user,
        PlanRequest(
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
        ),
    )
    return Status(201, plan_out(plan, with_lots=True))


@router.get("/{plan_id}", response=PlanOut, auth=RoleSession(PLAN_VIEWERS))
def detail(request, plan_id: int):
    """A plan with its products, therapies, quote lines and total."""
    plan = get_plan_for_user(request.user, plan_id)
    return plan_out(plan, with_lots=request.user.role != "patient")
