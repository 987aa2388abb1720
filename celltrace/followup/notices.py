"""The patient's reminders after discharge: check-ups coming due and booked check-up
appointments (home-care doses: homecare)."""

from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.models import Site
from celltrace.clinical.reminders import APPOINTMENT_LEAD_DAYS, CHECKUP_LEAD_DAYS, window
from celltrace.followup.models import Appointment, FollowUpItem
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
            # A booked check-up has its day agreed: its appointment is reminded instead.
            items = items.exclude(appointments__status=Appointment.Status.BOOKED)
            for item in items:
                context = {"due_date": item.due_date}
                notify(kind, Recipient.patient_of(item.patient), about=item, context=context)
                written += 1
        written += _remind_appointments(site, today)
    return written


def _remind_appointments(site: Site, today) -> int:
    """Remind each patient of a booked check-up a few days before its day, once per booking."""
    first, last = window(today, lead_days=APPOINTMENT_LEAD_DAYS)
    starts, _ = site_time.day_bounds(first, site)
    _, ends = site_time.day_bounds(last, site)
    appointments = Appointment.objects.filter(
        item__patient__site=site,
        status=Appointment.Status.BOOKED,
        starts_at__gte=max(starts, timezone.now()),
        starts_at__lt=ends,
        item__patient__follow_up_end__isnull=True,
    ).select_related("item__patient")
    for appointment in appointments:
        notify(
            Kind.APPOINTMENT_REMINDER,
            Recipient.patient_of(appointment.item.patient),
            about=appointment,
            context=_appointment_context(appointment, site),
        )
    return len(appointments)


def _appointment_context(appointment: Appointment, site: Site) -> dict:
    # A naive local time: the templates print the site's wall clock, named by its zone.
    local = timezone.localtime(appointment.starts_at, site_time.zone(site))
    return {
        "starts": local.replace(tzinfo=None),
        "time_zone": site.time_zone,
        "place": appointment.place,
        "link": appointment.link,
        "phone": appointment.phone,
    }
