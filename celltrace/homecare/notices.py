"""The patient's reminder of the home-care doses of a day, the evening before."""

from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.models import Site
from celltrace.clinical.home_care import reminder_days
from celltrace.homecare.models import HomeCareDose
from celltrace.outbox.kinds import Kind
from celltrace.outbox.queue import Recipient, notify


def _dose_line(dose: HomeCareDose) -> str:
    dose_text = f": {dose.dose_text}" if dose.dose_text else ""
    return f"- {dose.what}{dose_text} ({dose.get_route_display().lower()})"


def remind_home_care() -> int:
    """Remind each patient once per dose day of the doses still to take; return how many.

    One message per patient and day, keyed by the day's first dose, listing every dose.
    """
    written = 0
    for site in Site.objects.all():
        first, last = reminder_days(timezone.localtime(timezone.now(), site_time.zone(site)))
        doses = HomeCareDose.objects.filter(
            patient__site=site,
            status=HomeCareDose.Status.PLANNED,
            day__range=(first, last),
            patient__follow_up_end__isnull=True,  # died or withdrew: no reminders
        ).select_related("patient")
        by_day: dict[tuple[int, object], list[HomeCareDose]] = {}
        for dose in doses.order_by("patient", "day", "pk"):
            by_day.setdefault((dose.patient_id, dose.day), []).append(dose)
        for (_patient, day), day_doses in by_day.items():
            context = {"due_date": day, "doses": "\n".join(map(_dose_line, day_doses))}
            patient = day_doses[0].patient
            notify(
                Kind.HOME_CARE_DUE,
                Recipient.patient_of(patient),
                about=day_doses[0],
                context=context,
            )
            written += 1
    return written
