"""Consent: the consent to process health data at intake, and to store the patient's cells."""

from celltrace.fhir import codes
from celltrace.fhir.mappings.common import (
    moment,
    organization_ref,
    patient_ref,
    period,
    resource,
)

CONSENT_DOCUMENT = {"coding": [{"system": codes.LOINC, "code": "59284-0",
                                "display": "Consent Document"}]}  # fmt: skip


def _scope(code: str) -> dict:
    return {"coding": [{"system": codes.CONSENT_SCOPE, "code": code}]}


def storage_consent(consent) -> dict:
    patient = consent.patient
    return resource(
        "Consent",
        f"storage-{consent.pk}",
        status="inactive" if consent.withdrawn_at else "active",
        scope=_scope("treatment"),
        category=[CONSENT_DOCUMENT, {"text": "Storage of the patient's cells"}],
        patient=patient_ref(patient),
        dateTime=moment(consent.recorded_at),
        performer=[patient_ref(patient)],
        organization=[organization_ref(patient.site)],
        policyRule={
            "text": f"Cells stored until {consent.storage_until.isoformat()}"
            + (
                f", withdrawn {consent.withdrawn_at.date().isoformat()}"
                if consent.withdrawn_at
                else ""
            )
        },  # fmt: skip
        provision={"type": "permit", "period": period(consent.given_on, consent.storage_until)},
    )


def data_consent(request) -> dict:
    """The consent given with the public consultation request to process health data."""
    patient = request.patient
    return resource(
        "Consent",
        f"request-{request.pk}",
        status="active",
        scope=_scope("patient-privacy"),
        category=[CONSENT_DOCUMENT, {"text": "Processing of health data"}],
        patient=patient_ref(patient),
        dateTime=moment(request.created_at),
        performer=[patient_ref(patient)],
        organization=[organization_ref(request.site)],
        policyRule={"text": "Processing of the health data sent with the consultation request"},
        provision={"type": "permit", "period": period(request.created_at)},
    )
