"""API endpoints of the followup stage: parse input, check access, call actions."""

import datetime as dt

from ninja import Router, Schema
from pydantic import Field

from celltrace.accounts.access import RoleSession
from celltrace.followup import access, actions
from celltrace.followup.access import get_item_for_user
from celltrace.followup.queries import overdue_items

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
