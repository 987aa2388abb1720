"""API endpoints of the lab stage: parse input, check access, call actions."""

from datetime import date, datetime

from django.http import Http404
from ninja import Router, Schema, Status
from pydantic import Field

from celltrace.accounts.access import RoleSession
from celltrace.accounts.models import Role
from celltrace.catalog.models import CellProduct
from celltrace.lab import actions
from celltrace.lab.access import (
    LOT_MAKERS,
    LOT_REVIEWERS,
    LOT_VIEWERS,
    get_lot_for_user,
    get_plan_for_lab,
    lots_for_user,
)
from celltrace.lab.models import ProductLot
from celltrace.lab.scanning import lot_from_scan
from celltrace.lab.worklist import Order, cancelled_orders, open_orders
from celltrace.refusal import Refused

router = Router(tags=["lab"])


class LotOut(Schema):
    id: int
    code: str
    din: str | None = Field(description="ISBT 128 DIN, 13 characters (None on legacy lots)")
    din_with_check: str = Field(description="The DIN as printed, grouped, with K")
    division: str = Field(description="00 when not divided; A0, B0, ... for a part")
    divided: bool = Field(description="Split into divisions: only its parts are used")
    chain_of_identity: str = Field(
        description="ISBT 128 Chain of Identity (ST-028) with K; '' when the lot has none"
    )
    status: str
    product: str
    product_name: str
    source: str
    site: str
    plan_id: int | None
    order_cancelled: bool
    source_patient_id: int | None
    donor_code: str
    made_at: datetime
    expires_at: datetime
    released_at: datetime | None
    rejection_reason: str
    viable_content: float | None
    dose_unit: str
    volume_ml: float | None


class StepOut(Schema):
    step: str
    performed_by: str
    performed_at: datetime
    notes: str


class QCResultOut(Schema):
    test: str
    value: float | None
    passed: bool
    tested_by: str
    tested_at: datetime


class OrderOut(Schema):
    plan_id: int
    plan_number: int
    plan_version: int
    plan_status: str
    patient_code: str
    patient_name: str
    product: str
    product_name: str
    route: str
    day_of_stay: int
    planned_date: date
    amount_needed: float = Field(
        description="Dose per kg x the plan's weight, in the product's dose unit"
    )
    dose_unit: str = Field(description="viable_cells, particles or ug_protein")
    lot_codes: list[str]
    order_cancelled: bool


class WorklistOut(Schema):
    orders: list[OrderOut]
    cancelled: list[OrderOut]


class LotDetailOut(LotOut):
    steps: list[StepOut]
    qc_results: list[QCResultOut]
    release_blockers: list[str]


class AutologousLotIn(Schema):
    product: str
    harvested_at: datetime


class DonorLotIn(Schema):
    product: str
    donor_code: str
    made_at: datetime


class StepIn(Schema):
    step: str
    performed_at: datetime
    notes: str = ""
    # Formulation only: what the lot holds in the product's dose unit, and its volume.
    viable_content: float | None = Field(None, allow_inf_nan=False)
    volume_ml: float | None = Field(None, allow_inf_nan=False)


class QCResultIn(Schema):
    test: str
    value: float | None = None
    passed: bool | None = None
    tested_at: datetime


class RejectIn(Schema):
    reason: str


class AllocateIn(Schema):
    plan_id: int


class PartIn(Schema):
    viable_content: float = Field(allow_inf_nan=False)
    volume_ml: float = Field(allow_inf_nan=False)


class DivideIn(Schema):
    parts: list[PartIn] = Field(description="2 to 26 parts, each at most what is left")


def lot_out(lot: ProductLot) -> LotOut:
    return LotOut(
        id=lot.pk,
        code=lot.code,
        din=lot.din,
        din_with_check=lot.din_with_check,
        division=lot.division,
        divided=lot.divided_at is not None,
        chain_of_identity=lot.chain_with_check,
        status=lot.status,
        product=lot.product.code,
        product_name=lot.product.name,
        source=lot.product.source,
        site=lot.site.code,
        plan_id=lot.plan_id,
        order_cancelled=lot.order_cancelled,
        source_patient_id=lot.source_patient_id,
        donor_code=lot.donor_code,
        made_at=lot.made_at,
        expires_at=lot.expires_at,
        released_at=lot.released_at,
        rejection_reason=lot.rejection_reason,
        viable_content=lot.viable_content,
        dose_unit=lot.product.dose_unit,
        volume_ml=lot.volume_ml,
    )


def order_out(order: Order) -> OrderOut:
    plan, planned = order.plan, order.planned
    return OrderOut(
        plan_id=plan.pk,
        plan_number=plan.number,
        plan_version=plan.version,
        plan_status=plan.status,
        patient_code=plan.patient.code,
        patient_name=plan.patient.full_name,
        product=planned.product.code,
        product_name=planned.product.name,
        route=planned.route,
        day_of_stay=planned.day_of_stay,
        planned_date=planned.planned_date,
        amount_needed=planned.total_amount,
        dose_unit=planned.product.dose_unit,
        lot_codes=[lot.code for lot in order.lots],
        order_cancelled=order.cancelled,
    )


def lot_detail_out(lot: ProductLot, user) -> LotDetailOut:
    reviewer = user if user.role == Role.QUALITY_REVIEWER else None
    return LotDetailOut(
        **lot_out(lot).model_dump(),
        steps=[
            StepOut(
                step=s.step,
                performed_by=str(s.performed_by),
                performed_at=s.performed_at,
                notes=s.notes,
            )
            for s in lot.steps.select_related("performed_by")
        ],
        qc_results=[
            QCResultOut(
                test=r.specification.test,
                value=r.value,
                passed=r.passed,
                tested_by=str(r.tested_by),
                tested_at=r.tested_at,
            )
            for r in lot.qc_results.select_related("specification", "tested_by")
        ],
        release_blockers=actions.release_blockers(lot, reviewer),
    )


def _product(code: str) -> CellProduct:
    product = CellProduct.objects.filter(code=code).first()
    if product is None:
        raise Refused(
            f"No product {code!r} in the catalog.",
            code="unknown_product",
            params={"product": code},
            field_errors={"product": "Unknown."},
        )
    return product


@router.get("/lots", response=list[LotOut], auth=RoleSession(LOT_VIEWERS))
def list_lots(request, status: str = ""):
    """The lots of the caller's site, newest first; optionally of one status."""
    lots = lots_for_user(request.user).select_related("site")
    if status:
        lots = lots.filter(status=status)
    return [lot_out(lot) for lot in lots[:500]]


@router.get("/worklist", response=WorklistOut, auth=RoleSession(LOT_VIEWERS))
def worklist(request):
    """The orders of the plans in force at the caller's site, and the orders cancelled since."""
    return WorklistOut(
        orders=[order_out(o) for o in open_orders(request.user)],
        cancelled=[order_out(o) for o in cancelled_orders(request.user)],
    )


@router.get("/lots/scan", response=LotDetailOut, auth=RoleSession(LOT_VIEWERS))
def scan_lot(request, code: str):
    """The lot a scan names: DIN barcode, DIN with K (and division), or lot number.

    404 when no lot of the caller's site has it; 422 with the reason for a misread or
    mistyped DIN, another barcode of the label, or the DIN of a split product.
    """
    lot = lot_from_scan(lots_for_user(request.user), code)
    if lot is None:
        raise Http404(f"No lot of your site has the DIN or lot number {code.strip()!r}.")
    return lot_detail_out(lot, request.user)


@router.get("/lots/{lot_id}", response=LotDetailOut, auth=RoleSession(LOT_VIEWERS))
def get_lot(request, lot_id: int):
    """A lot with its chain of identity, QC results and what still blocks its release."""
    return lot_detail_out(get_lot_for_user(request.user, lot_id), request.user)


@router.post(
    "/plans/{plan_id}/autologous-lots", response={201: LotOut}, auth=RoleSession(LOT_MAKERS)
)
def start_autologous(request, plan_id: int, payload: AutologousLotIn):
    """Start a lot with the harvest of the plan's patient's own cells."""
    plan = get_plan_for_lab(request.user, plan_id)
    lot = actions.start_autologous_lot(
        plan, request.user, product=_product(payload.product), harvested_at=payload.harvested_at
    )
    return Status(201, lot_out(lot))


@router.post("/donor-lots", response={201: LotOut}, auth=RoleSession(LOT_MAKERS))
def create_donor(request, payload: DonorLotIn):
    """Register a lot made ahead from donor tissue at the caller's site."""
    lot = actions.create_donor_lot(
        request.user.site,
        request.user,
        product=_product(payload.product),
        donor_code=payload.donor_code,
        made_at=payload.made_at,
    )
    return Status(201, lot_out(lot))


@router.post("/lots/{lot_id}/steps", response={201: LotDetailOut}, auth=RoleSession(LOT_MAKERS))
def add_step(request, lot_id: int, payload: StepIn):
    lot = get_lot_for_user(request.user, lot_id)
    actions.record_process_step(lot, request.user, **payload.model_dump())
    return Status(201, lot_detail_out(lot, request.user))


@router.post("/lots/{lot_id}/qc-results", response={201: QCResultOut}, auth=RoleSession(LOT_MAKERS))
def add_qc_result(request, lot_id: int, payload: QCResultIn):
    """Record a QC result; numeric tests take a value and their verdict is computed."""
    lot = get_lot_for_user(request.user, lot_id)
    result = actions.record_qc_result(lot, request.user, **payload.model_dump())
    return Status(
        201,
        QCResultOut(
            test=payload.test,
            value=result.value,
            passed=result.passed,
            tested_by=str(request.user),
            tested_at=result.tested_at,
        ),
    )


@router.post("/lots/{lot_id}/release", response=LotOut, auth=RoleSession(LOT_REVIEWERS))
def release(request, lot_id: int):
    """Release a lot; refused (422) with every blocker while any remains."""
    return lot_out(actions.release_lot(get_lot_for_user(request.user, lot_id), request.user))


@router.post("/lots/{lot_id}/reject", response=LotOut, auth=RoleSession(LOT_REVIEWERS))
def reject(request, lot_id: int, payload: RejectIn):
    lot = get_lot_for_user(request.user, lot_id)
    return lot_out(actions.reject_lot(lot, request.user, reason=payload.reason))


@router.post("/lots/{lot_id}/allocate", response=LotOut, auth=RoleSession(LOT_MAKERS))
def allocate(request, lot_id: int, payload: AllocateIn):
    """Set a released donor lot aside for a plan of a patient at the same site."""
    lot = get_lot_for_user(request.user, lot_id)
    plan = get_plan_for_lab(request.user, payload.plan_id)
    return lot_out(actions.allocate_lot(lot, plan, request.user))


@router.post("/lots/{lot_id}/divide", response={201: list[LotOut]}, auth=RoleSession(LOT_MAKERS))
def divide(request, lot_id: int, payload: DivideIn):
    """Split a formulated lot into divisions A0, B0, ... of its DIN; returns the parts."""
    lot = get_lot_for_user(request.user, lot_id)
    parts = actions.divide_lot(lot, request.user, parts=payload.model_dump()["parts"])
    return Status(201, [lot_out(part) for part in parts])
