"""Condition: the condition a patient came to be treated for, and screening diagnoses."""

from celltrace.fhir import codes
from celltrace.fhir.mappings.common import moment, patient_ref, practitioner_ref, resource


def _status(system: str, code: str) -> dict:
    return {"coding": [{"system": system, "code": code}]}


def program_condition(patient) -> dict:
    """The condition of the patient's program (catalog condition, ICD-10 where coded)."""
    condition = patient.condition
    coding = [{"system": codes.CONDITION, "code": codes.slug(condition.code),
               "display": condition.name}]  # fmt: skip
    if condition.icd10:
        coding.insert(0, {"system": codes.ICD10, "code": condition.icd10})
    return resource(
        "Condition",
        f"condition-{patient.pk}",
        clinicalStatus=_status(codes.CONDITION_CLINICAL, "active"),
        verificationStatus=_status(codes.CONDITION_VERIFICATION, "confirmed"),
        category=[_status(codes.CONDITION_CATEGORY, "problem-list-item")],
        code={"coding": coding, "text": condition.name},
        subject=patient_ref(patient),
        recordedDate=moment(patient.created_at),
    )


def diagnosis(fact) -> dict:
    """A dated diagnosis recorded at screening (ICD-10), with where it came from."""
    resolved = fact.resolved_on is not None
    return resource(
        "Condition",
        f"fact-{fact.pk}",
        clinicalStatus=_status(codes.CONDITION_CLINICAL, "resolved" if resolved else "active"),
        verificationStatus=_status(codes.CONDITION_VERIFICATION, "confirmed"),
        category=[_status(codes.CONDITION_CATEGORY, "encounter-diagnosis")],
        code={
            "coding": [{"system": codes.ICD10, "code": fact.code}] if fact.code else [],
            "text": fact.label or fact.code,
        },
        subject=patient_ref(fact.patient),
        onsetDateTime=moment(fact.on),
        abatementDateTime=moment(fact.resolved_on),
        recordedDate=moment(fact.recorded_at),
        recorder=practitioner_ref(fact.recorded_by),
        note=[{"text": f"Source: {fact.provenance}"}],
    )
