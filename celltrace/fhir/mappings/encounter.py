"""Encounter: the screening consultation and the stay on the ward."""

from celltrace.fhir import codes
from celltrace.fhir.mappings.common import (
    location_ref,
    organization_ref,
    patient_ref,
    period,
    practitioner_ref,
    ref,
    resource,
)


def _class(code: str, display: str) -> dict:
    return {"system": codes.ACT_CODE, "code": code, "display": display}


def _participant(user) -> list[dict]:
    return [{"individual": practitioner_ref(user)}] if user is not None else []


def stay(row) -> dict:
    return resource(
        "Encounter",
        f"stay-{row.pk}",
        status="in-progress" if row.discharged_at is None else "finished",
        **{"class": _class("IMP", "inpatient encounter")},
        type=[{"text": "Stay for cell therapy"}],
        subject=patient_ref(row.patient),
        participant=_participant(row.doctor),
        period=period(row.admitted_at, row.discharged_at),
        reasonReference=[ref("Condition", f"condition-{row.patient_id}")],
        location=[{"location": location_ref(row.site), "status": "active"}],
        serviceProvider=organization_ref(row.site),
    )


def consultation(screening) -> dict:
    """The screening consultation that decided whether the patient may be treated."""
    patient = screening.patient
    return resource(
        "Encounter",
        f"screening-{screening.pk}",
        status="finished" if screening.finalized_at else "in-progress",
        **{"class": _class("AMB", "ambulatory")},
        type=[{"text": "Screening consultation"}],
        subject=patient_ref(patient),
        participant=_participant(screening.doctor),
        period=period(screening.decided_at, screening.finalized_at),
        reasonReference=[ref("Condition", f"condition-{patient.pk}")],
        serviceProvider=organization_ref(patient.site),
    )
