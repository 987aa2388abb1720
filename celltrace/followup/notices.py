"""The patient's reminders after discharge: check-ups coming due (home-care doses: homecare)."""

from celltrace.accounts import site_time
from celltrace.accounts.models import Site
from celltrace.clinical.reminders import CHECKUP_LEAD_DAYS, window
from celltrace.followup.models import FollowUpItem
from celltrace.outbox.kinds import Kind
from celltrace.outbox.queue import Recipient, notify

LEAD_DAYS = {
    FollowUpItem.Kind.CHECKUP: (Kind.CHECKUP_DUE, CHECKUP_LEAD_DAYS),
}


def remind_follow_up() -> int:
    """Remind each patient of an open item coming due, once per item; return how many."""
    written = 0
    for site in Site.objects.all():
        today = site_time.today(site)
        for item_kind, (kind, lead_days) in LEAD_DAYS.items():
            first, last = window(today, lead_days=lead_days)
            items = FollowUpItem.objects.filter(
                patient__site=site,
                kind=item_kind,
                completed_at__isnull=True,
                due_date__range=(first, last),
                patient__follow_up_end__isnull=True,  # died or withdrew: no reminders
            ).select_related("patient")
            for item in items:
                context = {"due_date": item.due_date}
                notify(kind, Recipient.patient_of(item.patient), about=item, context=context)
                written += 1
    return written
