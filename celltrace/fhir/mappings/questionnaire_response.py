"""QuestionnaireResponse: the answers of a questionnaire sheet behind an outcome score."""

from celltrace.fhir import codes
from celltrace.fhir.mappings.common import moment, patient_ref, practitioner_ref, resource


def _answer(value) -> list[dict]:
    if value is None:
        return []
    if isinstance(value, bool):
        return [{"valueBoolean": value}]
    if isinstance(value, int):
        return [{"valueInteger": value}]
    if isinstance(value, float):
        return [{"valueDecimal": value}]
    return [{"valueString": str(value)}]


def questionnaire_response(resource_id: str, first, instrument: str) -> dict:
    """One sheet: `first` is its first measurement (they share the sheet's items)."""
    details = first.details
    version = details.get("version")
    canonical = f"{codes.QUESTIONNAIRE}/{codes.slug(instrument)}"
    return resource(
        "QuestionnaireResponse",
        resource_id,
        questionnaire=f"{canonical}|{version}" if version else canonical,
        status="completed",
        subject=patient_ref(first.patient),
        authored=moment(first.measured_on),
        author=practitioner_ref(first.recorded_by),
        item=[
            {"linkId": name, "answer": _answer(value)} for name, value in details["items"].items()
        ],
    )
