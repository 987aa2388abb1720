"""Procedure: the harvest of the patient's cells, the bedside administration, therapy sessions."""

from celltrace.fhir import codes
from celltrace.fhir.mappings.common import (
    location_ref,
    moment,
    patient_ref,
    practitioner_ref,
    product_extension,
    ref,
    resource,
)


def _performer(user) -> list[dict]:
    return [{"actor": practitioner_ref(user)}] if user is not None else []


def harvest(step) -> dict:
    """The harvest step of an autologous lot: the cells came from this patient."""
    lot = step.lot
    return resource(
        "Procedure",
        f"harvest-{step.pk}",
        extension=[product_extension(lot.pk)],
        status="completed",
        code=codes.HARVEST.concept(),
        subject=patient_ref(lot.source_patient),
        performedDateTime=moment(step.performed_at),
        performer=_performer(step.performed_by),
        location=location_ref(lot.site),
        note=[{"text": step.notes}] if step.notes else [],
    )


def administration(row, dose_text: str) -> dict:
    """A lot given at the bedside, after the patient's and the lot's IDs were matched."""
    stay = row.stay
    return resource(
        "Procedure",
        f"administration-{row.pk}",
        extension=[product_extension(row.lot_id)],
        status="completed",
        code=codes.ADMINISTRATION.concept(f"{row.lot.product.name}, {dose_text}"),
        subject=patient_ref(stay.patient),
        encounter=ref("Encounter", f"stay-{stay.pk}"),
        performedDateTime=moment(row.given_at),
        performer=_performer(row.nurse),
        location=location_ref(stay.site),
        reasonReference=[ref("Condition", f"condition-{stay.patient_id}")],
        note=[{"text": row.notes}] if row.notes else [],
    )


# A therapy session's status in FHIR's Procedure status.
SESSION_STATUS = {"given": "completed", "missed": "not-done", "scheduled": "preparation"}


def therapy_session(session) -> dict:
    stay = session.stay
    therapy = session.planned_therapy.therapy
    return resource(
        "Procedure",
        f"therapy-{session.pk}",
        status=SESSION_STATUS[session.status],
        statusReason={"text": session.missed_reason} if session.missed_reason else None,
        code=codes.Code(codes.THERAPY, codes.slug(therapy.code), therapy.name).concept(),
        subject=patient_ref(stay.patient),
        encounter=ref("Encounter", f"stay-{stay.pk}"),
        performedDateTime=moment(session.scheduled_for),
        recorder=practitioner_ref(session.recorded_by),
        performer=[{"actor": {"display": session.therapist}}] if session.therapist else [],
        location=location_ref(stay.site),
        note=[{"text": f"Room {session.room}"}] if session.room else [],
    )
