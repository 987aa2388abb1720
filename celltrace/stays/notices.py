"""The e-mail that alerts doctors to a serious adverse event."""

from celltrace.accounts import site_time
from celltrace.outbox.kinds import Kind
from celltrace.outbox.queue import Recipient, notify
from celltrace.outbox.writing import link
from celltrace.stays.models import AdverseEvent


def notify_serious_event(event: AdverseEvent) -> None:
    """Alert the stay's doctor and the site's medical director, once each per event."""
    if not event.serious:
        return
    stay = event.stay
    site = stay.site
    onset = event.onset_at.astimezone(site_time.zone(site))
    context = {
        "patient_code": stay.patient.code,
        "term": event.label,
        "grade": event.ctcae_grade,
        "onset": f"{onset:%Y-%m-%d %H:%M} ({site.time_zone})",
        "relatedness": event.get_relatedness_display(),
        "reported_by": str(event.reported_by),
        "lot_code": event.lot.code if event.lot_id else "",
        "lot_held": event.lot_id is not None
        and event.lot_holds.filter(cleared_at__isnull=True).exists(),
        "url": link(stay.get_absolute_url()),
    }
    doctors = [stay.doctor, site.medical_director]
    for doctor in dict.fromkeys(d for d in doctors if d is not None):
        to = Recipient.staff(doctor, site_id=stay.site_id)
        notify(Kind.SERIOUS_ADVERSE_EVENT, to, about=event, context=context)
