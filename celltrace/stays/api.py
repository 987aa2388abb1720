"""API endpoints of the stays stage: parse input, check access, call actions."""

import dataclasses
import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from celltrace.accounts.access import RoleSession, get_for_user
from celltrace.catalog.models import Route
from celltrace.plans.models import TreatmentPlan
from celltrace.schemas import AwareDatetime
from celltrace.screening.actions import rescreen_on_admission
from celltrace.screening.api import ScreeningOut
from celltrace.signatures.schemas import ElectronicSignatureOut, e_signatures_out
from celltrace.stays import access, actions, occupancy
from celltrace.stays.access import get_event_for_user, get_hold_for_user, get_stay_for_user
from celltrace.stays.models import AdverseEvent
from celltrace.stays.rates import site_event_rates

router = Router(tags=["stays"])


class AdmitIn(Schema):
    plan_id: int
    admitted_at: AwareDatetime
    bed_id: int
    doctor_id: int = Field(description="The attending doctor")
    weight_kg: float = Field(allow_inf_nan=False, description="Measured at admission, in kg")


class AssignDoctorIn(Schema):
    doctor_id: int


class MoveBedIn(Schema):
    bed_id: int


class AdministrationIn(Schema):
    patient_code: str = Field(description="The ID on the patient's wristband")
    lot_code: str = Field(description="The ID on the lot's label")
    # NaN and infinity are not numbers a nurse can give or measure: refused at parsing.
    dose_per_kg: float = Field(allow_inf_nan=False)
    route: Route
    given_at: AwareDatetime
    temperature_c: float = Field(allow_inf_nan=False)
    heart_rate: int
    systolic_bp: int
    diastolic_bp: int
    spo2: int
    notes: str = ""


class AdministrationOut(Schema):
    id: int
    stay_id: int
    lot_code: str = Field(alias="lot.code")
    planned_product_id: int
    route: str
    dose_per_kg: float
    given_at: dt.datetime
    nurse_id: int
    temperature_c: float
    heart_rate: int
    systolic_bp: int
    diastolic_bp: int
    spo2: int
    notes: str


class PreviewOut(Schema):
    """What the nurse sees after scanning: the plan's dose and the lot, and every refusal."""

    patient_code: str
    lot_code: str
    patient_name: str
    product_name: str
    route: str
    dose_per_kg: float | None
    dose_unit: str
    dose_label: str
    weight_kg: float | None
    dose_for_weight: float | None
    dose_for_weight_label: str
    lot_content: float | None
    lot_content_label: str
    volume_ml: float | None
    planned_day: int | None
    planned_on: dt.date | None
    planned_time: str | None  # "HH:MM", the clinic's local time
    day_change_reason: str
    time_notice: str
    may_give: bool
    reasons: list[str]
    lot_chain: str = Field(description="The lot's Chain of Identity with K, '' without one")
    plan_chain: str = Field(description="The Chain of Identity of the patient's plan, with K")


class DayChangeIn(Schema):
    day: int
    reason: str


class DayChangeOut(Schema):
    id: int
    planned_product_id: int
    day_of_stay: int
    reason: str
    doctor_id: int
    decided_at: dt.datetime


class AdverseEventUpdateIn(Schema):
    ctcae_grade: int = Field(ge=1, le=5)
    serious: bool
    relatedness: AdverseEvent.Relatedness
    outcome: AdverseEvent.Outcome
    resolved_at: AwareDatetime | None = None
    description: str = ""
    administration_id: int | None = Field(
        None, description="The administration of the stay the event may come from"
    )


class AdverseEventIn(AdverseEventUpdateIn):
    term: str = Field(description="The code of a CTCAE v5.0 term, e.g. fever, headache, other")
    term_detail: str = Field("", description='The event in words, required for "other"')
    onset_at: AwareDatetime


class AdverseEventOut(Schema):
    id: int
    stay_id: int
    term: str = Field(alias="term.code")
    term_name: str = Field(alias="term.term")
    meddra_code: str = Field(alias="term.meddra_code")
    term_detail: str
    administration_id: int | None
    lot_code: str | None
    onset_at: dt.datetime
    resolved_at: dt.datetime | None
    ctcae_grade: int
    serious: bool
    relatedness: str
    outcome: str
    description: str
    reported_by_id: int

    @staticmethod
    def resolve_lot_code(event) -> str | None:
        return event.lot.code if event.lot_id else None


class LotHoldOut(Schema):
    id: int
    lot_code: str = Field(alias="lot.code")
    event_id: int
    raised_at: dt.datetime
    cleared_at: dt.datetime | None
    cleared_by_id: int | None
    review_note: str


class ClearHoldIn(Schema):
    review_note: str


class DischargeIn(Schema):
    discharged_at: AwareDatetime
    open_events_reason: str = ""
    missed_doses_reason: str = ""
    early_discharge_reason: str = ""
    password: str = Field(
        "", description="The discharging doctor's password, typed again to sign the discharge"
    )


class StayOut(Schema):
    id: int
    site_id: int
    patient_id: int
    patient_code: str = Field(alias="patient.code")
    plan_id: int
    bed_id: int | None
    doctor_id: int | None
    weight_kg: float | None
    admitted_at: dt.datetime
    discharged_at: dt.datetime | None
    open_events_reason: str
    missed_doses_reason: str
    early_discharge_reason: str
    administrations: list[AdministrationOut]
    adverse_events: list[AdverseEventOut]
    e_signatures: list[ElectronicSignatureOut] = Field(
        description="The discharging doctor's electronic signature; empty before discharge"
    )

    @staticmethod
    def resolve_e_signatures(stay):
        return e_signatures_out(stay, time_zone=stay.site.time_zone)


@router.post("/", response={201: StayOut}, auth=RoleSession(access.ADMIT))
def admit(request, payload: AdmitIn):
    plans = TreatmentPlan.objects.select_related("patient")
    plan = get_for_user(plans, request.user, payload.plan_id, site_field="patient__site")
    stay = actions.admit_patient(
        plan,
        request.user,
        admitted_at=payload.admitted_at,
        bed=occupancy.bed_at_site(plan.patient.site_id, payload.bed_id),
        doctor=occupancy.doctor_at_site(plan.patient.site_id, payload.doctor_id),
        weight_kg=payload.weight_kg,
    )
    return Status(201, stay)


@router.post("/{stay_id}/doctor", response=StayOut, auth=RoleSession(access.ASSIGN_DOCTOR))
def assign_doctor(request, stay_id: int, payload: AssignDoctorIn):
    stay = get_stay_for_user(request.user, stay_id)
    return actions.assign_doctor(
        stay, request.user, occupancy.doctor_at_site(stay.site_id, payload.doctor_id)
    )


@router.post("/{stay_id}/bed", response=StayOut, auth=RoleSession(access.MOVE_BED))
def move_bed(request, stay_id: int, payload: MoveBedIn):
    stay = get_stay_for_user(request.user, stay_id)
    return actions.move_bed(stay, request.user, occupancy.bed_at_site(stay.site_id, payload.bed_id))


@router.post(
    "/administrations", response={201: AdministrationOut}, auth=RoleSession(access.ADMINISTER)
)
def administer(request, payload: AdministrationIn):
    return Status(201, actions.record_administration(request.user, **payload.dict()))


@router.get("/administrations/preview", response=PreviewOut, auth=RoleSession(access.ADMINISTER))
def preview_administration(request, patient_code: str, lot_code: str):
    """The same facts as the nurse's second screen: nothing is recorded."""
    preview = actions.preview_administration(
        request.user, patient_code=patient_code, lot_code=lot_code
    )
    return PreviewOut(
        **{
            **dataclasses.asdict(preview),
            "planned_time": f"{preview.planned_time:%H:%M}" if preview.planned_time else None,
        },
        dose_label=preview.dose_label,
        dose_for_weight_label=preview.dose_for_weight_label,
        lot_content_label=preview.lot_content_label,
        may_give=preview.may_give,
    )


@router.post(
    "/{stay_id}/planned-products/{planned_id}/day-changes",
    response={201: DayChangeOut},
    auth=RoleSession(access.CHANGE_DAY),
)
def allow_other_day(request, stay_id: int, planned_id: int, payload: DayChangeIn):
    stay = get_stay_for_user(request.user, stay_id)
    planned = get_object_or_404(stay.plan.products, pk=planned_id)
    change = actions.allow_other_day(planned, request.user, day=payload.day, reason=payload.reason)
    return Status(201, change)


@router.get("/{stay_id}", response=StayOut, auth=RoleSession(access.VIEW))
def get_stay(request, stay_id: int):
    return access.get_stay_to_show(request.user, stay_id)


@router.post(
    "/{stay_id}/adverse-events",
    response={201: AdverseEventOut},
    auth=RoleSession(access.REPORT_EVENT),
)
def report_event(request, stay_id: int, payload: AdverseEventIn):
    stay = get_stay_for_user(request.user, stay_id)
    return Status(201, actions.report_adverse_event(stay, request.user, **payload.dict()))


class RateOut(Schema):
    """Administrations followed by an event, of all given, with the 95 % Wilson interval."""

    label: str
    events: int
    n: int
    rate: float | None
    low: float | None
    high: float | None


class LotEventsOut(Schema):
    lot_code: str
    events: int
    terms: list[str]
    worst_grade: int


class EventRatesOut(Schema):
    administrations: int
    overall: RateOut
    by_grade: list[RateOut]
    by_term: list[RateOut]
    by_term_and_grade: list[RateOut]
    lots_given: int
    lots_with_events: RateOut
    lots: list[LotEventsOut]


def _rate(row) -> dict:
    return {"label": row.label, **dataclasses.asdict(row.rate)}


@router.get("/adverse-events/rates", response=EventRatesOut, auth=RoleSession(access.RATES))
def event_rates(request):
    """The site's adverse event rates per administration and per lot (every site for an admin)."""
    rates = site_event_rates(request.user)
    return {
        "administrations": rates.administrations,
        "overall": _rate(rates.overall),
        "by_grade": [_rate(row) for row in rates.by_grade],
        "by_term": [_rate(row) for row in rates.by_term],
        "by_term_and_grade": [_rate(row) for row in rates.by_term_and_grade],
        "lots_given": rates.lots_given,
        "lots_with_events": {
            "label": "Lots followed by an adverse event",
            **dataclasses.asdict(rates.lots_with_events),
        },
        "lots": [dataclasses.asdict(lot) for lot in rates.lots],
    }


@router.post(
    "/adverse-events/{event_id}",
    response=AdverseEventOut,
    auth=RoleSession(access.REPORT_EVENT),
)
def update_event(request, event_id: int, payload: AdverseEventUpdateIn):
    """Follow an open event: every field below is its new value; resolved events are final."""
    event = get_event_for_user(request.user, event_id)
    changes = payload.dict()
    if "administration_id" not in payload.model_fields_set:
        changes.pop("administration_id")  # not sent: the event keeps its administration
    return actions.update_adverse_event(event, request.user, **changes)


@router.post("/lot-holds/{hold_id}/clear", response=LotHoldOut, auth=RoleSession(access.CLEAR_HOLD))
def clear_hold(request, hold_id: int, payload: ClearHoldIn):
    hold = get_hold_for_user(request.user, hold_id)
    return actions.clear_lot_hold(hold, request.user, review_note=payload.review_note)


@router.post("/{stay_id}/discharge", response=StayOut, auth=RoleSession(access.DISCHARGE))
def discharge(request, stay_id: int, payload: DischargeIn):
    stay = get_stay_for_user(request.user, stay_id)
    return actions.discharge_patient(stay, request.user, **payload.dict())


@router.post(
    "/{stay_id}/day-one",
    response={201: ScreeningOut},
    auth=RoleSession(access.DAY_ONE),
)
def day_one(request, stay_id: int):
    stay = get_stay_for_user(request.user, stay_id)
    return Status(201, rescreen_on_admission(stay, request.user))


def _add_trace_routes() -> None:
    from celltrace.stays.trace_api import router as trace

    router.add_router("", trace)


_add_trace_routes()
