"""API endpoints of the followup stage: parse input, check access, call actions."""

import datetime as dt

from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from celltrace.accounts.access import RoleSession
from celltrace.followup import access, actions
from celltrace.followup.access import get_item_for_user
from celltrace.followup.models import FollowUpEnd
from celltrace.followup.queries import overdue_items
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
    completed_at: dt.datetime | None
    completed_by_id: int | None
    notes: str


class OverdueOut(Schema):
    item: ItemOut
    days_overdue: int


class CompleteIn(Schema):
    notes: str = Field("", max_length=2000)


@router.get("/overdue", response=list[OverdueOut], auth=RoleSession(access.VIEW))
def overdue(request):
    return overdue_items(request.user)


@router.post("/items/{item_id}/complete", response=ItemOut, auth=RoleSession(access.COMPLETE))
def complete(request, item_id: int, payload: CompleteIn):
    item = get_item_for_user(request.user, item_id)
    return actions.complete_follow_up_item(item, request.user, notes=payload.notes)


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
