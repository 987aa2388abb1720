"""Patient: the record every other resource points at."""

from celltrace.accounts.languages import named
from celltrace.fhir import codes
from celltrace.fhir.mappings.common import organization_ref, resource


def patient(row) -> dict:
    erasure = getattr(row, "erasure", None)  # an erased patient's identity is a pseudonym
    return resource(
        "Patient",
        row.pk,
        meta=erasure and {"security": [_PSEUDONYMISED]},
        extension=erasure and [_retention(erasure)],
        identifier=[{"use": "usual", "system": codes.PATIENT_CODE, "value": row.code}],
        active=erasure is None,
        name=[{"use": "official", "text": row.full_name}],
        telecom=[
            {"system": system, "value": value}
            for system, value in (("email", row.email), ("phone", row.phone))
            if value  # an erased patient has neither
        ],
        gender=row.sex or "unknown",
        birthDate=row.date_of_birth and _birth_date(row.date_of_birth, erased=bool(erasure)),
        address=[{"country": row.country}],
        communication=_communication(row),
        managingOrganization=organization_ref(row.site),
    )


_PSEUDONYMISED = {"system": codes.OBSERVATION_VALUE, "code": "PSEUDED", "display": "pseudonymized"}


def _communication(row) -> list[dict]:
    """The coded language the clinic writes to the patient in, and the language they named.

    `preferred_language` (BCP-47) is what the portal and the e-mails use: preferred. The
    free text is what the interpreter is booked for; when it names the same language it is
    that concept's text, otherwise it is a language of its own, spoken but not written to.
    """
    code = row.preferred_language
    coding = {"system": codes.BCP47, "code": code, "display": codes.LANGUAGE_NAMES[code]}
    spoken = (row.language or "").strip()
    if spoken and named(spoken) == code:
        return [{"language": {"coding": [coding], "text": spoken}, "preferred": True}]
    written = {"language": {"coding": [coding], "text": coding["display"]}, "preferred": True}
    return [written, {"language": {"text": spoken}}] if spoken else [written]


def _birth_date(value, *, erased: bool) -> str:
    """After erasure only the year is kept (a FHIR date may be a year)."""
    return str(value.year) if erased else value.isoformat()


def _retention(erasure) -> dict:
    return {
        "url": codes.RETENTION_EXTENSION,
        "extension": [
            {"url": "legalBasis", "valueString": erasure.legal_basis},
            {"url": "retainUntil", "valueDate": erasure.retain_until.isoformat()},
            {"url": "erasedAt", "valueDateTime": erasure.erased_at.isoformat()},
        ],
    }
