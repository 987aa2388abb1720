"""Patient: the record every other resource points at."""

from celltrace.fhir import codes
from celltrace.fhir.mappings.common import organization_ref, resource


def patient(row) -> dict:
    return resource(
        "Patient",
        row.pk,
        identifier=[{"use": "usual", "system": codes.PATIENT_CODE, "value": row.code}],
        active=True,
        name=[{"use": "official", "text": row.full_name}],
        telecom=[
            {"system": "email", "value": row.email},
            {"system": "phone", "value": row.phone},
        ],
        gender=row.sex or "unknown",
        birthDate=row.date_of_birth and row.date_of_birth.isoformat(),
        address=[{"country": row.country}],
        communication=[{"language": {"text": row.language}, "preferred": True}],
        managingOrganization=organization_ref(row.site),
    )
