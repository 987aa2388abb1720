"""Writes of follow-up: mark a home-care item or check-up as done; end a patient's follow-up."""

import datetime as dt

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.access import check_actor
from celltrace.audit import save_by
from celltrace.followup import access
from celltrace.followup.models import FollowUpEnd, FollowUpItem
from celltrace.patients.models import Patient
from celltrace.refusal import Refused


@transaction.atomic
def complete_follow_up_item(item: FollowUpItem, user, *, notes: str = "") -> FollowUpItem:
    """Record that a follow-up item was done, by whom and when."""
    item = FollowUpItem.objects.select_for_update().select_related("patient").get(pk=item.pk)
    check_actor(user, access.COMPLETE, "complete a follow-up item", site_id=item.patient.site_id)
    if item.completed_at is not None:
        raise Refused(
            f"This item was already completed on {item.completed_at:%Y-%m-%d}.",
            code="already_completed",
            params={"completed_on": f"{item.completed_at:%Y-%m-%d}"},
        )
    item.completed_at = timezone.now()
    item.completed_by = user
    item.notes = notes.strip()
    return save_by(item, user)


@transaction.atomic
def record_follow_up_end(
    patient: Patient, user, *, on: dt.date, reason: str, detail: str = ""
) -> FollowUpEnd:
    """Record that a treated patient died or withdrew: later visits are not counted as missed."""
    patient = Patient.objects.select_for_update().select_related("site").get(pk=patient.pk)
    check_actor(user, access.END, "record the end of follow-up", site_id=patient.site_id)
    errors = _end_problems(patient, on=on, reason=reason)
    if errors:
        raise Refused("The end of follow-up was not recorded.", code="invalid", field_errors=errors)
    end = FollowUpEnd(
        patient=patient, on=on, reason=reason, detail=detail.strip(), recorded_by=user
    )
    return save_by(end, user)


def _end_problems(patient: Patient, *, on: dt.date, reason: str) -> dict[str, str]:
    if FollowUpEnd.objects.filter(patient=patient).exists():
        return {"on": "The end of this patient's follow-up is already recorded."}
    errors = {}
    if reason not in FollowUpEnd.Reason.values:
        errors["reason"] = "Choose died or withdrawn."
    # By name: administrations belong to the stays app, above followup in the layers.
    first = patient.stays.aggregate(first=Min("administrations__given_at"))["first"]
    if first is None:
        errors["on"] = "The patient was never given a product: there is no follow-up to end."
    elif on < (first_day := site_time.local_date(first, patient.site)):
        errors["on"] = f"The date is before the first administration ({first_day})."
    elif on > site_time.today(patient.site):
        errors["on"] = "The date is in the future."
    return errors
