"""API endpoints of the followup stage: parse input, check access, call actions."""

import datetime as dt

from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import Field

from celltrace.accounts.access import RoleSession
from celltrace.accounts.models import Role
from celltrace.followup import access, actions
from celltrace.followup.access import (
    appointments_for_user,
    get_appointment_for_user,
    get_item_for_user,
)
from celltrace.followup.models import Appointment, FollowUpEnd
from celltrace.followup.queries import overdue_items
from celltrace.pages import ClinicPagination
from celltrace.patients.access import get_patient_for_user

router = Router(tags=["followup"])


class ItemOut(Schema):
    id: int
    patient_id: int
    patient_code: str = Field(alias="patient.code")
    stay_id: int
    kind: str
    title: str
    due_date: dt.date
    window_opens: dt.date | None
    window_closes: dt.date | None
    completed_at: dt.datetime | None
    completed_by_id: int | None
    notes: str


class OverdueOut(Schema):
    item: ItemOut
    days_overdue: int


class CompleteIn(Schema):
    notes: str = Field("", max_length=2000)


@router.get("/overdue", response=list[OverdueOut], auth=RoleSession(access.VIEW))
@paginate(ClinicPagination)
def overdue(request):
    """Open items past their due date at the caller's site, oldest first, `limit` from `offset`."""
    return overdue_items(request.user)


@router.post("/items/{item_id}/complete", response=ItemOut, auth=RoleSession(access.COMPLETE))
def complete(request, item_id: int, payload: CompleteIn):
    item = get_item_for_user(request.user, item_id)
    return actions.complete_follow_up_item(item, request.user, notes=payload.notes)


class AppointmentOut(Schema):
    id: int
    item_id: int
    patient_id: int = Field(alias="item.patient_id")
    title: str = Field(alias="item.title")
    window_opens: dt.date | None = Field(alias="item.window_opens")
    window_closes: dt.date | None = Field(alias="item.window_closes")
    starts_at: dt.datetime
    place: str
    link: str
    phone: str
    outside_window: bool
    outside_window_reason: str
    status: str
    status_note: str
    booked_by_id: int
    booked_at: dt.datetime


class AppointmentIn(Schema):
    day: dt.date
    time: dt.time = Field(description="The site's wall-clock time")
    place: Appointment.Place
    link: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    outside_window_reason: str = Field("", max_length=300)


class OutcomeIn(Schema):
    status: Appointment.Status
    note: str = Field("", max_length=300)


@router.get(
    "/appointments",
    response=list[AppointmentOut],
    auth=RoleSession(access.VIEW | {Role.PATIENT}),
)
@paginate(ClinicPagination)
def appointments(request):
    """The check-up appointments at the user's site (a patient: their own), by time."""
    return appointments_for_user(request.user).order_by("starts_at", "pk")


@router.post(
    "/items/{item_id}/appointments",
    response={201: AppointmentOut},
    auth=RoleSession(access.BOOK),
)
def book(request, item_id: int, payload: AppointmentIn):
    """Book a check-up; a day outside its window needs `outside_window_reason` (flagged)."""
    item = get_item_for_user(request.user, item_id)
    return Status(201, actions.book_appointment(item, request.user, **payload.dict()))


@router.post(
    "/appointments/{appointment_id}/outcome",
    response=AppointmentOut,
    auth=RoleSession(access.BOOK),
)
def outcome(request, appointment_id: int, payload: OutcomeIn):
    """Record attended (completing the check-up), no_show or cancelled."""
    appointment = get_appointment_for_user(request.user, appointment_id)
    return actions.record_appointment_outcome(appointment, request.user, **payload.dict())


class FollowUpEndIn(Schema):
    on: dt.date
    reason: FollowUpEnd.Reason
    detail: str = Field("", max_length=300)


class FollowUpEndOut(Schema):
    id: int
    patient_id: int
    on: dt.date
    reason: str
    detail: str
    recorded_by_id: int


@router.post(
    "/patients/{patient_id}/end", response={201: FollowUpEndOut}, auth=RoleSession(access.END)
)
def end(request, patient_id: int, payload: FollowUpEndIn):
    """Record that a treated patient died or withdrew (the report stops counting visits due)."""
    patient = get_patient_for_user(request.user, patient_id)
    return Status(201, actions.record_follow_up_end(patient, request.user, **payload.dict()))
