"""The patient's e-mails about the plan: the quote is ready; the admission is near."""

from celltrace.accounts import site_time
from celltrace.accounts.models import Site
from celltrace.clinical.reminders import ADMISSION_LEAD_DAYS, window
from celltrace.outbox.kinds import Kind
from celltrace.outbox.queue import Recipient, notify
from celltrace.outbox.writing import link
from celltrace.plans.models import TreatmentPlan


def notify_quote_ready(plan: TreatmentPlan) -> None:
    """Tell the patient a plan version and its all-inclusive quote are ready to accept."""
    patient = plan.patient
    context = {
        "version": plan.version,
        "total": plan.price(plan.quote_total),
        "admission_date": plan.admission_date,
        "discharge_date": plan.discharge_date,
        "portal_url": link(patient.get_absolute_url()) if patient.portal_user_id else "",
    }
    notify(Kind.QUOTE_READY, Recipient.patient_of(patient), about=plan, context=context)


def remind_admissions() -> int:
    """Remind each patient whose admission is near, once per plan; return how many reminders."""
    written = 0
    for site in Site.objects.all():
        first, last = window(site_time.today(site), lead_days=ADMISSION_LEAD_DAYS)
        plans = TreatmentPlan.objects.filter(
            patient__site=site,
            status=TreatmentPlan.Status.ACTIVE,
            stay__isnull=True,
            admission_date__range=(first, last),
        ).select_related("patient")
        for plan in plans:
            context = {"admission_date": plan.admission_date}
            to = Recipient.patient_of(plan.patient)
            notify(Kind.ADMISSION_REMINDER, to, about=plan, context=context)
            written += 1
    return written
