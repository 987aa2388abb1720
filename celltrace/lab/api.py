"""API endpoints of the lab stage: parse input, check access, call actions."""

from datetime import date, datetime

from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from celltrace.accounts.access import RoleSession
from celltrace.accounts.models import Role
from celltrace.catalog.models import CellProduct
from celltrace.clinical.process import ReagentLot
from celltrace.lab import actions, labels, process
from celltrace.lab.access import (
    ALERT_READERS,
    EXCEPTIONAL_RELEASERS,
    INVESTIGATORS,
    LABEL_PRINTERS,
    LABEL_REPRINTERS,
    LOT_MAKERS,
    LOT_REVIEWERS,
    LOT_VIEWERS,
    alerts_for_user,
    get_alert_for_user,
    get_donor_for_user,
    get_investigation_for_user,
    get_lot_for_user,
    get_lot_to_show,
    get_plan_for_lab,
    lots_for_user,
    lots_to_show,
)
from celltrace.lab.models import ProductLot
from celltrace.lab.release_record import shown_release
from celltrace.lab.scanning import lot_from_scan
from celltrace.lab.worklist import Order, cancelled_orders, open_orders
from celltrace.pages import ClinicPagination, Rows
from celltrace.refusal import Refused
from celltrace.schemas import LocalTime
from celltrace.signatures.schemas import (
    ElectronicSignatureOut,
    e_signatures_out,
    signature_out,
)

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
    donor_id: int | None
    # "" (free to use), "quarantine" (donor determination pending) or "segregated"
    # (ineligible donor), with the label the lot carries.
    donor_state: str
    donor_state_label: str
    made_at: datetime
    expires_at: datetime
    released_at: datetime | None
    rejection_reason: str
    viable_content: float | None
    dose_unit: str
    volume_ml: float | None
    release_label: str = Field(
        "", description="exceptional release, released pending sterility, blocked after release"
    )
    sterility_pending: bool = False
    exceptional: bool = False
    blocked_reason: str = ""
    warnings: list[str] = Field(
        [], description="On creation: e.g. the lot expires before its first planned dose"
    )


class ReagentLotIO(Schema):
    name: str
    lot_number: str
    expires_on: date


class StepOut(Schema):
    step: str
    passage: int | None
    performed_by: str
    performed_at: datetime
    equipment: str
    reagents: list[ReagentLotIO]
    notes: str


class ProcessStepOut(Schema):
    position: int
    step: str
    label: str
    required: bool
    passages_expected: int
    passages_allowed: int
    passages_done: int
    typical_hours: float
    state: str = Field(description="done, next (may be recorded now), skipped or pending")


class NextStepOut(Schema):
    step: str
    label: str
    passage: int | None


class QCResultOut(Schema):
    id: int
    test: str
    method: str
    value: float | None
    passed: bool
    tested_by: str
    tested_at: datetime
    limit: float | None = Field(None, description="The limit applied when computed (endotoxin)")
    limit_basis: str = ""
    invalidated: bool = Field(False, description="A closed lab_error investigation voids it")
    investigation_ids: list[int] = []


class InvestigationOut(Schema):
    id: int
    lot_id: int
    result_ids: list[int]
    opened_by: str
    opened_at: datetime
    description: str
    conclusion: str
    findings: str
    closed_by: str | None
    closed_at: datetime | None


class ExceptionalReleaseOut(Schema):
    failed_tests: str
    accepted_by: str
    accepted_at: datetime
    acceptance_statement: str
    released_by: str | None
    released_at: datetime | None
    justification: str


class AlertOut(Schema):
    id: int
    lot_id: int
    lot_code: str
    patient_id: int
    patient_code: str
    doctor: str
    reason: str
    created_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    comment: str


class DoseOut(Schema):
    day_of_stay: int
    planned_date: date
    planned_time: LocalTime
    route: str
    dose_per_kg: float


class OrderOut(Schema):
    plan_id: int
    plan_number: int
    plan_version: int
    plan_status: str
    patient_code: str
    patient_name: str
    product: str
    product_name: str
    route: str = Field(description="The route of the first planned dose")
    day_of_stay: int = Field(description="The first planned dose's day of the stay")
    planned_date: date = Field(description="The first planned dose's day")
    need_by: datetime | None = Field(
        None, description="The first planned dose, at the site's time zone"
    )
    start_by: datetime | None = Field(
        None, description="Need-by minus the product's process days: start the lot by then"
    )
    doses: list[DoseOut]
    amount_needed: float = Field(
        description="Dose per kg x the plan's weight, summed over the planned doses, in the "
        "product's dose unit"
    )
    dose_unit: str = Field(description="viable_cells, particles or ug_protein")
    lot_codes: list[str]
    content: str = Field(
        description="enough, too_few, unknown (a lot not formulated yet) or no_lot"
    )
    warnings: list[str]
    order_cancelled: bool


class WorklistOut(Schema):
    orders: list[OrderOut]
    cancelled: list[OrderOut]


class LotDetailOut(LotOut):
    steps: list[StepOut]
    process: list[ProcessStepOut]
    next_steps: list[NextStepOut]
    qc_results: list[QCResultOut]
    release_blockers: list[str]
    investigations: list[InvestigationOut]
    exceptional_releases: list[ExceptionalReleaseOut]
    alerts: list[AlertOut]
    release_signature: ElectronicSignatureOut | None = Field(
        description="The release's electronic signature; empty before release"
    )
    e_signatures: list[ElectronicSignatureOut] = Field(
        description="Every electronic signature of the lot: release, acceptance of the risk, "
        "exceptional release"
    )


class AutologousLotIn(Schema):
    product: str
    harvested_at: datetime


class DonorLotIn(Schema):
    product: str
    # The donor by id, or by its code at the caller's site.
    donor_id: int | None = None
    donor_code: str = ""
    made_at: datetime


class StepIn(Schema):
    step: str
    performed_at: datetime
    notes: str = ""
    passage: int | None = Field(None, description="Cultivation: the passage (1, 2, ...)")
    equipment: str = Field("", description="The ID of the equipment used")
    reagents: list[ReagentLotIO] = []
    # Formulation only: what the lot holds in the product's dose unit, and its volume.
    viable_content: float | None = Field(None, allow_inf_nan=False)
    volume_ml: float | None = Field(None, allow_inf_nan=False)


class QCResultIn(Schema):
    test: str
    # NaN and infinity are refused by the action as impossible values, never stored.
    value: float | None = None
    passed: bool | None = None
    tested_at: datetime


class ReleaseIn(Schema):
    password: str = Field(description="The reviewer's password, typed again to sign the release")


class RejectIn(Schema):
    reason: str


class InvestigationIn(Schema):
    result_ids: list[int]
    description: str


class CloseInvestigationIn(Schema):
    conclusion: str = Field(description="lab_error or confirmed")
    findings: str


class AcceptanceIn(Schema):
    statement: str
    password: str


class ExceptionalReleaseIn(Schema):
    justification: str
    password: str


class AcknowledgeIn(Schema):
    comment: str


class AllocateIn(Schema):
    plan_id: int


class LabelsIn(Schema):
    kind: str = Field(description="container (102 x 76 mm) or partial (50 x 25 mm)")
    copies: int = Field(1, description="Labels to print, one a page (1-20)")
    reason: str = Field("", description="Required for a reprint (quality reviewers only)")


class BulkLabelsIn(LabelsIn):
    lot_ids: list[int] = Field(description="The lots to label, all or none, in this order")


PDF_RESPONSE = {
    200: {
        "description": "The labels as PDF, one label a page at the label's size; the "
        "printing is recorded (a reprint numbered) before the PDF is sent.",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    },
    422: {"description": "Refused: nothing recorded (wrong role, no reason, rejected lot)"},
}


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
        donor_id=lot.donor_id,
        donor_state=lot.donor_state,
        donor_state_label=lot.donor_state_label,
        made_at=lot.made_at,
        expires_at=lot.expires_at,
        released_at=lot.released_at,
        rejection_reason=lot.rejection_reason,
        viable_content=lot.viable_content,
        dose_unit=lot.product.dose_unit,
        volume_ml=lot.volume_ml,
        release_label=lot.release_label,
        sterility_pending=lot.sterility_pending,
        exceptional=lot.exceptional,
        blocked_reason=lot.blocked_reason,
    )


def _name(user) -> str | None:
    return str(user) if user else None


def result_out(r) -> QCResultOut:
    return QCResultOut(
        id=r.pk,
        test=r.specification.test,
        method=r.specification.method,
        value=r.value,
        passed=r.passed,
        tested_by=str(r.tested_by),
        tested_at=r.tested_at,
        limit=r.limit,
        limit_basis=r.limit_basis,
        invalidated=r.to_domain().invalidated,
        investigation_ids=[i.pk for i in r.investigations.all()],
    )


def investigation_out(i) -> InvestigationOut:
    return InvestigationOut(
        id=i.pk,
        lot_id=i.lot_id,
        result_ids=[r.pk for r in i.results.all()],
        opened_by=str(i.opened_by),
        opened_at=i.opened_at,
        description=i.description,
        conclusion=i.conclusion,
        findings=i.findings,
        closed_by=_name(i.closed_by),
        closed_at=i.closed_at,
    )


def alert_out(a) -> AlertOut:
    return AlertOut(
        id=a.pk,
        lot_id=a.lot_id,
        lot_code=a.lot.code,
        patient_id=a.patient_id,
        patient_code=a.patient.code,
        doctor=str(a.doctor),
        reason=a.reason,
        created_at=a.created_at,
        acknowledged_by=_name(a.acknowledged_by),
        acknowledged_at=a.acknowledged_at,
        comment=a.comment,
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
        need_by=order.need_by,
        start_by=order.start_by,
        doses=[
            DoseOut(
                day_of_stay=d.day_of_stay,
                planned_date=d.planned_date,
                planned_time=d.planned_time,
                route=d.route,
                dose_per_kg=d.dose_per_kg,
            )
            for d in order.doses or (planned,)
        ],
        amount_needed=order.required,
        dose_unit=planned.product.dose_unit,
        lot_codes=[lot.code for lot in order.lots],
        content=order.content,
        warnings=list(order.warnings),
        order_cancelled=order.cancelled,
    )


def lot_detail_out(lot: ProductLot, user) -> LotDetailOut:
    reviewer = user if user.role == Role.QUALITY_REVIEWER else None
    return LotDetailOut(
        **lot_out(lot).model_dump(),
        steps=[
            StepOut(
                step=s.step,
                passage=s.passage,
                performed_by=str(s.performed_by),
                performed_at=s.performed_at,
                equipment=s.equipment,
                reagents=[
                    ReagentLotIO(name=r.name, lot_number=r.lot_number, expires_on=r.expires_on)
                    for r in s.reagents.all()
                ],
                notes=s.notes,
            )
            for s in lot.steps.select_related("performed_by").prefetch_related("reagents")
        ],
        process=[
            ProcessStepOut(
                position=position,
                step=row.definition.step,
                label=row.definition.label,
                required=row.definition.required,
                passages_expected=row.definition.passages_expected,
                passages_allowed=row.definition.passages_allowed,
                passages_done=row.passages_done,
                typical_hours=row.definition.typical_hours,
                state=row.state,
            )
            for position, row in enumerate(process.progress(lot), start=1)
        ],
        next_steps=[
            NextStepOut(step=n.step, label=n.label, passage=n.passage)
            for n in process.next_steps(lot)
        ],
        qc_results=[
            result_out(r)
            for r in lot.qc_results.select_related("specification", "tested_by").prefetch_related(
                "investigations"
            )
        ],
        release_blockers=actions.release_blockers(lot, reviewer),
        investigations=[investigation_out(i) for i in lot.investigations.all()],
        exceptional_releases=[
            ExceptionalReleaseOut(
                failed_tests=x.failed_tests,
                accepted_by=str(x.accepted_by),
                accepted_at=x.accepted_at,
                acceptance_statement=x.acceptance_statement,
                released_by=_name(x.released_by),
                released_at=x.released_at,
                justification=x.justification,
            )
            for x in lot.exceptional_releases.all()
        ],
        alerts=[alert_out(a) for a in lot.alerts.select_related("lot", "patient", "doctor")],
        release_signature=signature_out(shown_release(lot)),
        e_signatures=e_signatures_out(lot, time_zone=lot.site.time_zone),
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
@paginate(ClinicPagination)
def list_lots(request, status: str = ""):
    """The lots of the caller's site, newest first, `limit` from `offset`; optionally of one
    status."""
    lots = lots_for_user(request.user).select_related("site")
    if status:
        lots = lots.filter(status=status)
    return Rows(lots, lot_out)


@router.get("/worklist", response=WorklistOut, auth=RoleSession(LOT_VIEWERS))
def worklist(request):
    """The lab board: each product a plan in force orders, by start-by date, with its need-by
    time, the amount required, its lots and warnings; and the orders cancelled since."""
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
    lot = lot_from_scan(lots_to_show(request.user), code)
    if lot is None:
        raise Http404(f"No lot of your site has the DIN or lot number {code.strip()!r}.")
    return lot_detail_out(lot, request.user)


@router.get("/lots/{lot_id}", response=LotDetailOut, auth=RoleSession(LOT_VIEWERS))
def get_lot(request, lot_id: int):
    """A lot with its chain of identity, QC results and what still blocks its release."""
    return lot_detail_out(get_lot_to_show(request.user, lot_id), request.user)


@router.post(
    "/plans/{plan_id}/autologous-lots", response={201: LotOut}, auth=RoleSession(LOT_MAKERS)
)
def start_autologous(request, plan_id: int, payload: AutologousLotIn):
    """Start a lot with the harvest of the plan's patient's own cells."""
    plan = get_plan_for_lab(request.user, plan_id)
    lot = actions.start_autologous_lot(
        plan, request.user, product=_product(payload.product), harvested_at=payload.harvested_at
    )
    out = lot_out(lot)
    out.warnings = process.expiry_warnings(lot)
    return Status(201, out)


@router.post("/donor-lots", response={201: LotOut}, auth=RoleSession(LOT_MAKERS))
def create_donor(request, payload: DonorLotIn):
    """Register a lot made ahead from donor tissue at the caller's site."""
    donor = get_donor_for_user(request.user, payload.donor_id) if payload.donor_id else None
    lot = actions.create_donor_lot(
        request.user.site,
        request.user,
        product=_product(payload.product),
        donor=donor,
        donor_code=payload.donor_code,
        made_at=payload.made_at,
    )
    return Status(201, lot_out(lot))


@router.post("/lots/{lot_id}/steps", response={201: LotDetailOut}, auth=RoleSession(LOT_MAKERS))
def add_step(request, lot_id: int, payload: StepIn):
    """Record the product's next step; refused (422) out of order or with an expired reagent."""
    lot = get_lot_for_user(request.user, lot_id)
    fields = payload.model_dump(exclude={"reagents"})
    reagents = [ReagentLot(r.name, r.lot_number, r.expires_on) for r in payload.reagents]
    actions.record_process_step(lot, request.user, reagents=reagents, **fields)
    lot = get_lot_for_user(request.user, lot_id)
    return Status(201, lot_detail_out(lot, request.user))


@router.post("/lots/{lot_id}/qc-results", response={201: QCResultOut}, auth=RoleSession(LOT_MAKERS))
def add_qc_result(request, lot_id: int, payload: QCResultIn):
    """Record a QC result; numeric tests take a value and their verdict is computed."""
    lot = get_lot_for_user(request.user, lot_id)
    result = actions.record_qc_result(lot, request.user, **payload.model_dump())
    return Status(201, result_out(result))


@router.post("/lots/{lot_id}/release", response=LotDetailOut, auth=RoleSession(LOT_REVIEWERS))
def release(request, lot_id: int, payload: ReleaseIn):
    """Release a lot, signed with the reviewer's password typed again.

    Refused (422) with every blocker while any remains, or for a wrong password (code
    wrong_password; after 5 in 15 minutes signing locks: code signing_locked).
    """
    lot = get_lot_for_user(request.user, lot_id)
    lot = actions.release_lot(lot, request.user, password=payload.password)
    return lot_detail_out(lot, request.user)


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


@router.post(
    "/lots/{lot_id}/labels",
    auth=RoleSession(LABEL_PRINTERS | LABEL_REPRINTERS),
    openapi_extra={"responses": PDF_RESPONSE},
)
def print_labels(request, lot_id: int, payload: LabelsIn):
    """Print the lot's container or partial labels: the first by the lab, reprints by quality."""
    lot = get_lot_for_user(request.user, lot_id)
    label_print = actions.print_labels(lot, request.user, **payload.model_dump())
    return labels.pdf_response([label_print])


@router.post(
    "/labels",
    auth=RoleSession(LABEL_PRINTERS | LABEL_REPRINTERS),
    openapi_extra={"responses": PDF_RESPONSE},
)
def print_labels_in_bulk(request, payload: BulkLabelsIn):
    """Print the labels of several lots (e.g. the day's) in one PDF: all of them or none."""
    lots = [get_lot_for_user(request.user, pk) for pk in payload.lot_ids]
    printed = actions.print_labels_for_lots(
        lots, request.user, **payload.model_dump(exclude={"lot_ids"})
    )
    return labels.pdf_response(printed)


@router.post(
    "/lots/{lot_id}/investigations",
    response={201: InvestigationOut},
    auth=RoleSession(INVESTIGATORS),
)
def open_investigation(request, lot_id: int, payload: InvestigationIn):
    """Open an investigation of failed results; only then is a retest of the test accepted."""
    lot = get_lot_for_user(request.user, lot_id)
    investigation = actions.open_investigation(lot, request.user, **payload.model_dump())
    return Status(201, investigation_out(investigation))


@router.post(
    "/lots/{lot_id}/investigations/{investigation_id}/close",
    response=InvestigationOut,
    auth=RoleSession(LOT_REVIEWERS),
)
def close_investigation(request, lot_id: int, investigation_id: int, payload: CloseInvestigationIn):
    """Close with lab_error (the failures are invalidated) or confirmed (out of specification)."""
    lot = get_lot_for_user(request.user, lot_id)
    investigation = get_investigation_for_user(request.user, lot, investigation_id)
    closed = actions.close_investigation(investigation, request.user, **payload.model_dump())
    return investigation_out(closed)


@router.post(
    "/lots/{lot_id}/exceptional-release/acceptance",
    response={201: ExceptionalReleaseOut},
    auth=RoleSession(EXCEPTIONAL_RELEASERS),
)
def accept_exceptional(request, lot_id: int, payload: AcceptanceIn):
    """The treating physician accepts the risk of a lot that failed QC (password again)."""
    lot = get_lot_for_user(request.user, lot_id)
    record = actions.accept_exceptional_release(lot, request.user, **payload.model_dump())
    return Status(
        201,
        ExceptionalReleaseOut(
            failed_tests=record.failed_tests,
            accepted_by=str(record.accepted_by),
            accepted_at=record.accepted_at,
            acceptance_statement=record.acceptance_statement,
            released_by=None,
            released_at=None,
            justification="",
        ),
    )


@router.post(
    "/lots/{lot_id}/exceptional-release",
    response=LotOut,
    auth=RoleSession(EXCEPTIONAL_RELEASERS),
)
def release_exceptionally(request, lot_id: int, payload: ExceptionalReleaseIn):
    """The site's medical director releases a lot that failed QC; 422 with the reason if not."""
    lot = get_lot_for_user(request.user, lot_id)
    return lot_out(actions.release_exceptionally(lot, request.user, **payload.model_dump()))


@router.get("/alerts", response=list[AlertOut], auth=RoleSession(ALERT_READERS))
@paginate(ClinicPagination)
def list_alerts(request, open_only: bool = True):
    """Alerts on lots that failed a test after release, addressed to the caller."""
    alerts = alerts_for_user(request.user).filter(doctor=request.user)
    if open_only:
        alerts = alerts.filter(acknowledged_at__isnull=True)
    return Rows(alerts, alert_out)


@router.post("/alerts/{alert_id}/acknowledge", response=AlertOut, auth=RoleSession(ALERT_READERS))
def acknowledge_alert(request, alert_id: int, payload: AcknowledgeIn):
    alert = get_alert_for_user(request.user, alert_id)
    return alert_out(actions.acknowledge_alert(alert, request.user, **payload.model_dump()))


@router.post("/lots/{lot_id}/divide", response={201: list[LotOut]}, auth=RoleSession(LOT_MAKERS))
def divide(request, lot_id: int, payload: DivideIn):
    """Split a formulated lot into divisions A0, B0, ... of its DIN; returns the parts."""
    lot = get_lot_for_user(request.user, lot_id)
    parts = actions.divide_lot(lot, request.user, parts=payload.model_dump()["parts"])
    return Status(201, [lot_out(part) for part in parts])


def _add_donor_routes() -> None:
    from celltrace.lab.donor_api import router as donors

    router.add_router("/donors", donors)


_add_donor_routes()
