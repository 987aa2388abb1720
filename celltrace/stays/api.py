"""API endpoints of the stays stage: parse input, check access, call actions."""

import dataclasses
import datetime as dt
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator, Field

from celltrace.accounts.access import RoleSession, get_for_user
from celltrace.catalog.models import Route
from celltrace.plans.models import TreatmentPlan
from celltrace.schemas import RefusalOut
from celltrace.screening.actions import rescreen_on_admission
from celltrace.screening.api import ScreeningOut
from celltrace.stays import access, actions
from celltrace.stays.access import get_stay_for_user
from celltrace.stays.models import AdverseEvent

router = Router(tags=["stays"])


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


AwareDatetime = Annotated[dt.datetime, AfterValidator(_aware)]


class AdmitIn(Schema):
    plan_id: int
    admitted_at: AwareDatetime
    weight_kg: float = Field(allow_inf_nan=False, description="Measured at admission, in kg")
    room: str = Field("", max_length=20)


class AdministrationIn(Schema):
    patient_code: str = Field(description="The ID on the patient's wristband")
    lot_code: str = Field(description="The ID on the lot's label")
    # NaN and infinity are not numbers a nurse can give or measure: refused at parsing.
    dose_cells_per_kg: float = Field(allow_inf_nan=False)
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
    dose_cells_per_kg: float
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
    day_change_reason: str
    may_give: bool
    reasons: list[str]


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


class AdverseEventIn(Schema):
    term: str
    onset_at: AwareDatetime
    ctcae_grade: int = Field(ge=1, le=5)
    serious: bool
    relatedness: AdverseEvent.Relatedness
    outcome: AdverseEvent.Outcome
    description: str = ""


class AdverseEventOut(Schema):
    id: int
    stay_id: int
    term: str
    onset_at: dt.datetime
    ctcae_grade: int
    serious: bool
    relatedness: str
    outcome: str
    description: str
    reported_by_id: int


class DischargeIn(Schema):
    discharged_at: AwareDatetime


class StayOut(Schema):
    id: int
    site_id: int
    patient_id: int
    patient_code: str = Field(alias="patient.code")
    plan_id: int
    room: str
    weight_kg: float | None
    admitted_at: dt.datetime
    discharged_at: dt.datetime | None
    administrations: list[AdministrationOut]
    adverse_events: list[AdverseEventOut]


@router.post("/", response={201: StayOut}, auth=RoleSession(access.ADMIT))
def admit(request, payload: AdmitIn):
    plans = TreatmentPlan.objects.select_related("patient")
    plan = get_for_user(plans, request.user, payload.plan_id, site_field="patient__site")
    stay = actions.admit_patient(
        plan,
        request.user,
        admitted_at=payload.admitted_at,
        weight_kg=payload.weight_kg,
        room=payload.room,
    )
    return Status(201, stay)


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
        **dataclasses.asdict(preview),
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
    return get_stay_for_user(request.user, stay_id)


@router.post(
    "/{stay_id}/adverse-events",
    response={201: AdverseEventOut},
    auth=RoleSession(access.REPORT_EVENT),
)
def report_event(request, stay_id: int, payload: AdverseEventIn):
    stay = get_stay_for_user(request.user, stay_id)
    return Status(201, actions.report_adverse_event(stay, request.user, **payload.dict()))


@router.post("/{stay_id}/discharge", response=StayOut, auth=RoleSession(access.DISCHARGE))
def discharge(request, stay_id: int, payload: DischargeIn):
    stay = get_stay_for_user(request.user, stay_id)
    return actions.discharge_patient(stay, request.user, discharged_at=payload.discharged_at)


@router.post(
    "/{stay_id}/day-one",
    response={201: ScreeningOut, 422: RefusalOut},
    auth=RoleSession(access.DAY_ONE),
)
def day_one(request, stay_id: int):
    stay = get_stay_for_user(request.user, stay_id)
    return Status(201, rescreen_on_admission(stay, request.user))
