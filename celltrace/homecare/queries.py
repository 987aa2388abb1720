"""Reading home care: a patient's calendar by week, and the missed doses the coordinator calls."""

import datetime as dt
from dataclasses import dataclass

from celltrace.accounts import site_time
from celltrace.clinical.home_care import MISSED_AFTER_DAYS
from celltrace.homecare.access import doses_for_user
from celltrace.homecare.models import HomeCareDose


@dataclass(frozen=True)
class Week:
    number: int  # week 1: the first seven days after discharge
    doses: list[HomeCareDose]


def calendar(doses) -> list[Week]:
    """Group doses by week after their stay's discharge, in date order."""
    weeks: dict[int, list[HomeCareDose]] = {}
    for dose in doses:
        discharged = site_time.local_date(dose.stay.discharged_at, dose.patient.site)
        weeks.setdefault((dose.day - discharged).days // 7 + 1, []).append(dose)
    return [Week(number, rows) for number, rows in sorted(weeks.items())]


def missed_doses(user):
    """Doses of patients at the user's site neither taken nor skipped by the end of the day
    after their date, oldest first (clinical/home_care.is_missed)."""
    today, _site = site_time.user_today(user)
    return doses_for_user(user).filter(
        status=HomeCareDose.Status.PLANNED,
        day__lt=today - dt.timedelta(days=MISSED_AFTER_DAYS),
        patient__follow_up_end__isnull=True,
    )
