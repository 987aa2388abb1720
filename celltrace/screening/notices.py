"""E-mails of screening: the patient hears a decision was made; the doctor, of a day-one block."""

from celltrace.outbox.kinds import Kind
from celltrace.outbox.queue import Recipient, notify
from celltrace.outbox.writing import link
from celltrace.screening.models import Screening


def notify_decision(screening: Screening) -> None:
    """Tell the patient the doctors decided; the advisor tells them what (docs/messages.md)."""
    patient = screening.patient
    portal = link(patient.get_absolute_url()) if patient.portal_user_id else ""
    notify(
        Kind.SCREENING_DECIDED,
        Recipient.patient_of(patient),
        about=screening,
        context={"portal_url": portal},
    )


def notify_day_one_block(screening: Screening) -> None:
    """Alert the stay's doctor that the day-one re-check stopped or held the treatment."""
    if not (screening.new_exclusions or screening.new_cautions):
        return
    stay = screening.stay
    context = {
        "patient_code": stay.patient.code,
        "bed": str(stay.bed) if stay.bed_id else "-",
        "on": screening.treatment_date.isoformat() if screening.treatment_date else "",
        "exclusions": screening.new_exclusions,
        "cautions": screening.new_cautions,
        "blocked": bool(screening.new_exclusions),
        "url": link(stay.get_absolute_url()),
    }
    to = Recipient.staff(stay.doctor, site_id=stay.site_id)
    notify(Kind.DAY_ONE_BLOCK, to, about=screening, context=context)
