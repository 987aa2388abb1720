"""API endpoints of the screening stage: parse input, check access, call actions."""

import datetime as dt

from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from celltrace.accounts.access import RoleSession
from celltrace.patients.access import get_patient_for_user
from celltrace.screening import access
from celltrace.screening.access import get_screening_for_user
from celltrace.screening.actions import (
    record_fact,
    record_prior_therapy,
    screen_patient,
    sign_screening,
)
from celltrace.screening.models import PatientFact
from celltrace.signatures.schemas import ElectronicSignatureOut, e_signatures_out

router = Router(tags=["screening"])


class FactIn(Schema):
    kind: str = Field(description="diagnosis, lab, answer or history_review")
    on: dt.date = Field(description="Sample, onset, answer or review date")
    provenance: str = Field(description="The document or person the fact comes from")
    code: str = ""
    label: str = ""
    resolved_on: dt.date | None = None
    analyte: str = ""
    value: float | None = None
    unit: str = ""
    question: str = ""
    yes: bool | None = None


class FactOut(Schema):
    id: int
    kind: str
    on: dt.date
    provenance: str
    code: str
    label: str
    resolved_on: dt.date | None
    analyte: str
    value: float | None
    unit: str
    question: str
    yes: bool | None
    recorded_by_id: int
    recorded_at: dt.datetime


class ScreenIn(Schema):
    treatment_date: dt.date
    source: str = Field(description="autologous or allogeneic")


class SignIn(Schema):
    password: str = Field(description="The signing doctor's password, typed again")
    justifications: dict[str, str] = Field(
        default={}, description="A written justification per met caution rule, keyed by rule id"
    )


class ScreeningSignatureOut(Schema):
    doctor_id: int
    signed_at: dt.datetime
    meaning: str
    justifications: dict[str, str]


class RuleResultOut(Schema):
    rule_id: str
    label: str
    kind: str
    outcome: str
    reason: str
    facts: list[str]
    needed: str


class ScreeningOut(Schema):
    id: int
    patient_id: int
    doctor_id: int
    purpose: str
    decision: str
    is_final: bool
    finalized_at: dt.datetime | None
    ruleset_version: int | None = Field(None, alias="ruleset.version")
    treatment_date: dt.date | None
    source: str
    allowed_sources: list[str]
    donor_products_only: bool
    needed: list[str]
    new_exclusions: list[str]
    new_cautions: list[str]
    stay_id: int | None
    based_on_id: int | None
    reasons: str
    decided_at: dt.datetime
    results: list[RuleResultOut]
    signatures: list[ScreeningSignatureOut]
    e_signatures: list[ElectronicSignatureOut] = Field(
        description="Each signing doctor's electronic signature of the decision"
    )

    @staticmethod
    def resolve_signatures(obj):
        return list(obj.signatures.all())

    @staticmethod
    def resolve_e_signatures(obj):
        return e_signatures_out(obj, time_zone=obj.patient.site.time_zone)


@router.post(
    "/patients/{patient_id}/facts",
    response={201: FactOut},
    auth=RoleSession(access.FACT_ROLES),
)
def add_fact(request, patient_id: int, data: FactIn):
    patient = get_patient_for_user(request.user, patient_id)
    values = data.dict(exclude={"kind", "on", "provenance"})
    fact = record_fact(
        patient, request.user, kind=data.kind, on=data.on, provenance=data.provenance, **values
    )
    return Status(201, fact)


@router.get(
    "/patients/{patient_id}/facts", response=list[FactOut], auth=RoleSession(access.VIEW_ROLES)
)
def list_facts(request, patient_id: int):
    patient = get_patient_for_user(request.user, patient_id)
    return list(PatientFact.objects.filter(patient=patient))


@router.post(
    "/patients/{patient_id}",
    response={201: ScreeningOut},
    auth=RoleSession(access.RECORD_ROLES),
)
def screen(request, patient_id: int, data: ScreenIn):
    patient = get_patient_for_user(request.user, patient_id)
    screening = screen_patient(
        patient, request.user, treatment_date=data.treatment_date, source=data.source
    )
    return Status(201, screening)


@router.post(
    "/{screening_id}/signatures",
    response={201: ScreeningOut},
    auth=RoleSession(access.SIGN_ROLES),
)
def sign(request, screening_id: int, data: SignIn):
    screening = get_screening_for_user(request.user, screening_id)
    sign_screening(
        screening, request.user, password=data.password, justifications=data.justifications
    )
    return Status(201, get_screening_for_user(request.user, screening_id))


@router.get("/{screening_id}", response=ScreeningOut, auth=RoleSession(access.VIEW_ROLES))
def get_screening(request, screening_id: int):
    return get_screening_for_user(request.user, screening_id)


class PriorTherapyIn(Schema):
    therapy: str = Field(description="A code of the condition's list, 'none' or 'other'")
    other_name: str = ""
    started_year: int | None = None
    stopped_year: int | None = None


class PriorTherapyOut(Schema):
    id: int
    patient_id: int
    therapy: str
    other_name: str
    started_year: int | None
    stopped_year: int | None


@router.post(
    "/patients/{patient_id}/prior-therapies",
    response={201: PriorTherapyOut},
    auth=RoleSession(access.PRIOR_THERAPY_ROLES),
)
def add_prior_therapy(request, patient_id: int, data: PriorTherapyIn):
    """Record one coded prior therapy of the patient's condition, or that there was none."""
    patient = get_patient_for_user(request.user, patient_id)
    return Status(201, record_prior_therapy(patient, request.user, **data.dict()))
