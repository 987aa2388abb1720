"""The e-mail that answers a public consultation request at once."""

from celltrace.intake.models import ConsultationRequest
from celltrace.outbox.kinds import Kind
from celltrace.outbox.queue import Recipient, notify


def notify_request_received(consultation: ConsultationRequest) -> None:
    """Confirm the request with its reference, in the language the person read the form in."""
    to = Recipient.address(
        consultation.email,
        name=consultation.full_name,
        language=consultation.preferred_language,
        site_id=consultation.site_id,
    )
    context = {"reference": consultation.reference}
    notify(Kind.REQUEST_RECEIVED, to, about=consultation, context=context)
