"""Writes of follow-up: mark an item done, book a check-up and record how the visit went,
end a patient's follow-up."""

import datetime as dt

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.access import check_actor
from celltrace.audit import save_by
from celltrace.clinical.appointments import Booking, booking_problems, in_window
from celltrace.clinical.follow_up import completion_problem
from celltrace.followup import access
from celltrace.followup.models import Appointment, FollowUpEnd, FollowUpItem
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
    today = site_time.today(item.patient.site)
    problem = completion_problem(
        item.kind, due_date=item.due_date, window_opens=item.window_opens, today=today
    )
    if problem:
        raise Refused(
            problem,
            code="not_yet_open",
            params={"opens": f"{item.window_opens or item.due_date:%Y-%m-%d}"},
        )
    return _complete(item, user, notes=notes)


def _complete(item: FollowUpItem, user, *, notes: str) -> FollowUpItem:
    item.completed_at = timezone.now()
    item.completed_by = user
    item.notes = notes.strip()
    return save_by(item, user)


@transaction.atomic
def book_appointment(
    item: FollowUpItem,
    user,
    *,
    day: dt.date,
    time: dt.time,
    place: str,
    link: str = "",
    phone: str = "",
    outside_window_reason: str = "",
) -> Appointment:
    """Book an open check-up for a day and time at the site (outside its window: flagged)."""
    item = FollowUpItem.objects.select_for_update().select_related("patient__site").get(pk=item.pk)
    site = item.patient.site
    check_actor(user, access.BOOK, "book a check-up", site_id=site.pk)
    booking = Booking(day, place, link.strip(), phone.strip(), outside_window_reason.strip())
    errors = _booking_problems(item, booking, today=site_time.today(site))
    if errors:
        raise Refused("The check-up was not booked.", code="invalid", field_errors=errors)
    outside = not in_window(day, opens=item.window_opens, closes=item.window_closes)
    appointment = Appointment(
        item=item,
        starts_at=site_time.at(day, time, site),
        place=place,
        link=booking.link if place == Appointment.Place.VIDEO else "",
        phone=booking.phone if place == Appointment.Place.PHONE else "",
        outside_window=outside,
        outside_window_reason=booking.outside_window_reason if outside else "",
        booked_by=user,
    )
    return save_by(appointment, user)


def _booking_problems(item: FollowUpItem, booking: Booking, *, today: dt.date) -> dict[str, str]:
    if item.kind != FollowUpItem.Kind.CHECKUP:
        return {"item": "Only a check-up is booked as an appointment."}
    if item.completed_at is not None:
        return {"item": "This check-up is already done."}
    if FollowUpEnd.objects.filter(patient_id=item.patient_id).exists():
        return {"item": "This patient's follow-up has ended."}
    if item.appointments.filter(status=Appointment.Status.BOOKED).exists():
        return {"item": "This check-up is already booked: cancel that appointment first."}
    return booking_problems(
        booking, opens=item.window_opens, closes=item.window_closes, today=today
    )


@transaction.atomic
def record_appointment_outcome(
    appointment: Appointment, user, *, status: str, note: str = ""
) -> Appointment:
    """Record that the patient came (completing the check-up), did not come, or cancelled.

    A visit that took place completes its check-up, even outside the window (it was booked
    there with a reason and flagged): the check-up happened; the report counts its
    measurements only inside the window.
    """
    appointment = (
        Appointment.objects.select_for_update()
        .select_related("item__patient__site")
        .get(pk=appointment.pk)
    )
    check_actor(
        user, access.BOOK, "record a check-up appointment", site_id=appointment.item.patient.site_id
    )
    if appointment.status != Appointment.Status.BOOKED:
        raise Refused(
            f"This appointment is already {appointment.get_status_display().lower()}.",
            code="appointment_closed",
            params={"status": appointment.status},
        )
    if status not in Appointment.Status.values or status == Appointment.Status.BOOKED:
        raise Refused(
            "Record attended, did not come or cancelled.",
            code="invalid",
            field_errors={"status": "Choose attended, did not come or cancelled."},
        )
    if status != Appointment.Status.CANCELLED and timezone.now() < appointment.starts_at:
        raise Refused(
            "The appointment has not begun: record whether the patient came once it has.",
            code="appointment_not_begun",
            params={"starts_at": appointment.starts_at.isoformat()},
        )
    appointment.status = status
    appointment.status_note = note.strip()
    save_by(appointment, user)
    item = FollowUpItem.objects.select_for_update().get(pk=appointment.item_id)
    if status == Appointment.Status.ATTENDED and item.completed_at is None:
        _complete(item, user, notes=note or "Attended the booked appointment.")
    return appointment


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
