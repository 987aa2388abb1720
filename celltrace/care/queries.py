"""Read questions of ward care and services that several screens and the API ask."""

import datetime as dt
import zoneinfo

from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.care import access
from celltrace.care.models import DailyRound, ServiceBooking
from celltrace.clinical.rounds import needs_round_today
from celltrace.plans.models import TreatmentPlan

SERVICES_AHEAD_DAYS = 14


def stays_without_round_today(stays) -> set[int]:
    """Return the ids of the open stays no doctor has seen yet on their site's today.

    One query for a whole ward: only the last day and a half of rounds can fall on any
    site's today, and each round brings its site's time zone along.
    """
    stays = [stay for stay in stays if stay.is_open]
    now = timezone.now()
    recent = DailyRound.objects.filter(
        stay__in=stays, taken_at__gte=now - dt.timedelta(hours=36)
    ).values_list("stay_id", "taken_at", "stay__site__time_zone")
    round_days: dict[int, list[dt.date]] = {stay.pk: [] for stay in stays}
    today: dict[int, dt.date] = {}
    for stay_id, taken_at, time_zone in recent:
        zone = zoneinfo.ZoneInfo(time_zone)
        round_days[stay_id].append(timezone.localtime(taken_at, zone).date())
        today[stay_id] = timezone.localtime(now, zone).date()
    return {
        pk
        for pk, days in round_days.items()
        if needs_round_today(is_open=True, round_days=days, today=today.get(pk, dt.date.min))
    }


def needs_round(stay) -> bool:
    """Tell whether the stay has had no daily round yet on its site's today."""
    return stay.pk in stays_without_round_today([stay])


def sessions_today(user):
    """Return the therapy sessions due on the user's site's today, in time order."""
    start, end = site_time.user_day_bounds(user, site_time.user_today(user)[0])
    return access.therapy_sessions_for_user(user).filter(
        scheduled_for__gte=start, scheduled_for__lt=end
    )


# Bookings belong to the plan's number, not to one version: an amendment makes a new version
# and the plans stage (below care) cannot carry the bookings over, so every read of a plan's
# bookings gathers them from all its versions and judges them by the version in force.


def of_plan(bookings, plan: TreatmentPlan):
    """Narrow `bookings` to those of any version of the plan."""
    return bookings.filter(Q(plan_id=plan.number) | Q(plan__first_version_id=plan.number))


def with_plan_in_force(bookings):
    """Annotate each booking with the id and stay days of its plan's version in force.

    `in_force_id` is None when no version is in force: the plan was cancelled.
    """
    in_force = TreatmentPlan.objects.in_force().filter(
        Q(pk=OuterRef("plan_number")) | Q(first_version_id=OuterRef("plan_number"))
    )
    return bookings.annotate(
        plan_number=Coalesce("plan__first_version_id", "plan_id"),
        in_force_id=Subquery(in_force.values("pk")[:1]),
        in_force_admission=Subquery(in_force.values("admission_date")[:1]),
        in_force_discharge=Subquery(in_force.values("discharge_date")[:1]),
    )


def upcoming_bookings(user) -> list[tuple[dt.date, ServiceBooking]]:
    """Return (day, booking) of the active bookings at the user's site due in two weeks.

    A transfer is due on its pickup day (at the site); an interpreter and meals from the
    admission day, or today while the stay lasts, as the plan in force now says. A
    cancelled plan's bookings are due nowhere.
    """
    today, _site = site_time.user_today(user)
    last = today + dt.timedelta(days=SERVICES_AHEAD_DAYS)
    # A day's margin each side: the local day is decided below, in the site's time zone.
    transfer = Q(
        kind=ServiceBooking.Kind.TRANSFER,
        scheduled_at__gte=timezone.now() - dt.timedelta(days=1),
        scheduled_at__lt=timezone.now() + dt.timedelta(days=SERVICES_AHEAD_DAYS + 2),
    )
    for_stay = ~Q(kind=ServiceBooking.Kind.TRANSFER) & Q(
        in_force_admission__lte=last, in_force_discharge__gte=today
    )
    bookings = with_plan_in_force(
        access.bookings_for_user(user).filter(status=ServiceBooking.Status.ACTIVE)
    ).filter(in_force_id__isnull=False)
    due = [(service_day(b, today), b) for b in bookings.filter(transfer | for_stay)]
    return sorted(
        ((day, b) for day, b in due if today <= day <= last),
        key=lambda pair: (pair[0], pair[1].scheduled_at or pair[1].booked_at, pair[1].pk),
    )


def service_day(booking: ServiceBooking, today: dt.date) -> dt.date:
    """The day a booking next needs someone: the pickup day, or the stay's next day.

    The booking comes from `with_plan_in_force`: the stay's days are those of the plan now.
    """
    if booking.scheduled_at:
        return site_time.local_date(booking.scheduled_at, booking.plan.patient.site)
    return max(booking.in_force_admission, today)
