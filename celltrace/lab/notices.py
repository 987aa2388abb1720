"""The e-mail to a treating doctor when a released lot fails a test."""

from celltrace.lab.models import LotAlert
from celltrace.outbox.kinds import Kind
from celltrace.outbox.queue import Recipient, notify
from celltrace.outbox.writing import link


def notify_qc_failure(alert: LotAlert, *, given: bool) -> None:
    """E-mail the alert to the doctor it is for: they may have to see the patient now."""
    context = {
        "lot_code": alert.lot.code,
        "patient_code": alert.patient.code,
        "reason": alert.reason,
        "given": given,
        "url": link(alert.lot.get_absolute_url()),
    }
    to = Recipient.staff(alert.doctor, site_id=alert.patient.site_id)
    notify(Kind.QC_FAILURE_AFTER_RELEASE, to, about=alert, context=context)
