"""Appointment: a check-up after discharge booked for a day and time, and how it went."""

import datetime as dt

from celltrace.clinical.appointments import CHECKUP_MINUTES, CLINIC
from celltrace.fhir import codes
from celltrace.fhir.mappings.common import location_ref, moment, patient_ref, ref, resource

# booked -> booked; attended -> fulfilled; cancelled -> cancelled; did not come -> noshow
_STATUS = {"booked": "booked", "attended": "fulfilled", "cancelled": "cancelled"}
_STATUS["no_show"] = "noshow"


def checkup(row) -> dict:
    """A check-up appointment: at the clinic (the site as its location) or by video or phone."""
    item, patient = row.item, row.item.patient
    participants = [{"actor": patient_ref(patient), "required": "required", "status": "accepted"}]
    if row.place == CLINIC:
        participants.append({"actor": location_ref(patient.site), "status": "accepted"})
    return resource(
        "Appointment",
        f"appointment-{row.pk}",
        status=_STATUS[row.status],
        cancelationReason={"text": row.status_note} if row.status == "cancelled" else None,
        appointmentType={
            "coding": [{"system": codes.APPOINTMENT_TYPE, "code": "CHECKUP", "display": "Check-up"}]
        },
        serviceType=[{"text": row.get_place_display()}],
        description=item.title,
        start=moment(row.starts_at),
        end=moment(row.starts_at + dt.timedelta(minutes=CHECKUP_MINUTES)),
        minutesDuration=CHECKUP_MINUTES,
        created=moment(row.booked_at),
        comment=row.outside_window_reason and f"Outside the window: {row.outside_window_reason}",
        supportingInformation=[ref("CarePlan", f"homecare-{item.stay_id}")],
        participant=participants,
    )
