"""API for traceability: a lot's recipients and its recall, a patient's lots and donors."""

from datetime import datetime

from ninja import Router, Schema

from celltrace.accounts.access import RoleSession
from celltrace.lab.access import LOT_RECALLERS, get_lot_for_user
from celltrace.lab.actions import recall_lot
from celltrace.patients.access import get_patient_for_user
from celltrace.signatures.schemas import ElectronicSignatureOut, e_signatures_out
from celltrace.stays.access import TRACE
from celltrace.stays.trace import lot_trace, patient_trace

router = Router(tags=["stays"])


class GivenOut(Schema):
    administration_id: int
    stay_id: int
    patient_id: int
    patient_code: str
    lot_code: str
    product: str
    donor_code: str
    donor_determination: str
    route: str
    dose_per_kg: float
    given_at: datetime


class EventOut(Schema):
    event_id: int
    patient_id: int
    lot_code: str
    term: str
    ctcae_grade: int
    serious: bool
    onset_at: datetime
    resolved_at: datetime | None
    open: bool


class RecipientOut(Schema):
    patient_id: int
    patient_code: str
    patient_name: str
    administrations: list[GivenOut]
    events: list[EventOut]
    open_events: int


class RecallOut(Schema):
    reason: str
    recalled_by: str
    recalled_at: datetime
    e_signatures: list[ElectronicSignatureOut]


class SiblingOut(Schema):
    code: str
    product: str
    site: str
    status: str


class LotTraceOut(Schema):
    lot_id: int
    code: str
    status: str
    product: str
    donor_code: str
    donor_state: str
    donor_state_label: str
    source_patient_id: int | None
    intended_for_patient_id: int | None
    recall: RecallOut | None
    recipients: list[RecipientOut]
    siblings: list[SiblingOut]


class PatientTraceOut(Schema):
    patient_id: int
    patient_code: str
    administrations: list[GivenOut]
    donors: list[str]
    harvested_lots: list[str]
    events: list[EventOut]


class RecallIn(Schema):
    reason: str
    password: str


def _given(a) -> GivenOut:
    lot = a.lot
    return GivenOut(
        administration_id=a.pk,
        stay_id=a.stay_id,
        patient_id=a.stay.patient_id,
        patient_code=a.stay.patient.code,
        lot_code=lot.code,
        product=lot.product.code,
        donor_code=lot.donor.code if lot.donor_id else "",
        donor_determination=lot.donor.determination if lot.donor_id else "",
        route=a.route,
        dose_per_kg=a.dose_per_kg,
        given_at=a.given_at,
    )


def _event(e) -> EventOut:
    return EventOut(
        event_id=e.pk,
        patient_id=e.stay.patient_id,
        lot_code=e.lot.code,
        term=e.label,
        ctcae_grade=e.ctcae_grade,
        serious=e.serious,
        onset_at=e.onset_at,
        resolved_at=e.resolved_at,
        open=e.resolved_at is None,
    )


def _recall(recall) -> RecallOut:
    return RecallOut(
        reason=recall.reason,
        recalled_by=str(recall.recalled_by),
        recalled_at=recall.recalled_at,
        e_signatures=e_signatures_out(recall, time_zone=recall.lot.site.time_zone),
    )


def lot_trace_out(lot) -> LotTraceOut:
    trace = lot_trace(lot)
    recall = getattr(lot, "recall", None) if lot.status == "recalled" else None
    return LotTraceOut(
        lot_id=lot.pk,
        code=lot.code,
        status=lot.status,
        product=lot.product.code,
        donor_code=lot.donor_code,
        donor_state=lot.donor_state,
        donor_state_label=lot.donor_state_label,
        source_patient_id=lot.source_patient_id,
        intended_for_patient_id=trace.intended_for.pk if trace.intended_for else None,
        recall=_recall(recall) if recall else None,
        recipients=[
            RecipientOut(
                patient_id=r.patient.pk,
                patient_code=r.patient.code,
                patient_name=r.patient.full_name,
                administrations=[_given(a) for a in r.administrations],
                events=[_event(e) for e in r.events],
                open_events=len(r.open_events),
            )
            for r in trace.recipients
        ],
        siblings=[
            SiblingOut(code=s.code, product=s.product.code, site=s.site.code, status=s.status)
            for s in trace.siblings
        ],
    )


@router.get("/lots/{lot_id}/trace", response=LotTraceOut, auth=RoleSession(TRACE))
def get_lot_trace(request, lot_id: int):
    """Every patient, administration and adverse event the lot touched, and its sibling lots."""
    return lot_trace_out(get_lot_for_user(request.user, lot_id))


@router.post("/lots/{lot_id}/recall", response=LotTraceOut, auth=RoleSession(LOT_RECALLERS))
def recall(request, lot_id: int, payload: RecallIn):
    """Recall a released lot (signed with the password); answers its recipients to follow up."""
    lot = get_lot_for_user(request.user, lot_id)
    recall_lot(lot, request.user, reason=payload.reason, password=payload.password)
    return lot_trace_out(get_lot_for_user(request.user, lot_id))


@router.get("/patients/{patient_id}/trace", response=PatientTraceOut, auth=RoleSession(TRACE))
def get_patient_trace(request, patient_id: int):
    """Every lot and donor the patient received, the lots of their own cells, linked events."""
    trace = patient_trace(get_patient_for_user(request.user, patient_id))
    return PatientTraceOut(
        patient_id=trace.patient.pk,
        patient_code=trace.patient.code,
        administrations=[_given(a) for a in trace.administrations],
        donors=[d.code for d in trace.donors],
        harvested_lots=[lot.code for lot in trace.harvested],
        events=[_event(e) for e in trace.events],
    )
