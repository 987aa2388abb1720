"""DocumentReference: the discharge letter and the documents sent with a request."""

from celltrace.fhir import codes
from celltrace.fhir.mappings.common import (
    moment,
    organization_ref,
    patient_ref,
    practitioner_ref,
    ref,
    resource,
)


def discharge_letter(stay, url: str) -> dict:
    return resource(
        "DocumentReference",
        f"letter-{stay.pk}",
        status="current",
        type=codes.DISCHARGE_SUMMARY.concept("Discharge letter"),
        subject=patient_ref(stay.patient),
        date=moment(stay.discharged_at),
        author=[practitioner_ref(stay.discharged_by)],
        custodian=organization_ref(stay.site),
        content=[
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "url": url,
                    "title": f"Discharge letter of {stay.patient.code}",
                    "creation": moment(stay.discharged_at),
                }
            }
        ],
        context={"encounter": [ref("Encounter", f"stay-{stay.pk}")]},
    )


def request_attachment(attachment, url: str) -> dict:
    """A document sent with the consultation request (a referring doctor's report)."""
    request = attachment.request
    return resource(
        "DocumentReference",
        f"attachment-{attachment.pk}",
        status="current",
        type=codes.REFERRAL_DOCUMENT.concept("Document sent with the consultation request"),
        subject=patient_ref(request.patient),
        date=moment(attachment.uploaded_at),
        author=[practitioner_ref(attachment.uploaded_by)] if attachment.uploaded_by else [],
        custodian=organization_ref(request.site),
        description=attachment.original_name,
        content=[
            {
                "attachment": {
                    "contentType": attachment.content_type,
                    "url": url,
                    "size": attachment.size,
                    "title": attachment.original_name,
                }
            }
        ],
    )
