"""The coordinator's list: who arrives soon and what is not booked, services, follow-up due."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.urls import reverse

from celltrace.accounts import site_time
from celltrace.care.access import bookings_for_user
from celltrace.care.models import ServiceBooking
from celltrace.care.queries import upcoming_bookings, with_plan_in_force
from celltrace.clinical.program_services import missing_services
from celltrace.followup.access import items_for_user
from celltrace.followup.queries import overdue_items
from celltrace.patients.access import patients_for_user
from celltrace.plans.models import TreatmentPlan
from celltrace.web.worklists.base import SHOWN, Queue

AHEAD_DAYS = 14


@dataclass(frozen=True)
class Arrival:
    plan: TreatmentPlan
    bookings: list[ServiceBooking]
    missing: list[str]  # the program's services not booked yet


def arrivals(user, today: dt.date) -> list[Arrival]:
    """Plans in force at the user's site admitted in the next two weeks, not on the ward yet."""
    plans = list(
        TreatmentPlan.objects.awaiting_admission()
        .filter(
            patient__in=patients_for_user(user),
            admission_date__gte=today,
            admission_date__lte=today + dt.timedelta(days=AHEAD_DAYS),
        )
        .select_related("patient")
        .order_by("admission_date", "pk")[:SHOWN]
    )
    # A plan's bookings may have been made on an earlier version: gather them by number.
    booked = with_plan_in_force(
        bookings_for_user(user).filter(status=ServiceBooking.Status.ACTIVE)
    ).filter(in_force_id__in=[plan.pk for plan in plans])
    by_plan = defaultdict(list)
    for booking in booked:
        by_plan[booking.in_force_id].append(booking)
    return [
        Arrival(
            plan,
            by_plan[plan.pk],
            missing_services((b.kind, b.direction) for b in by_plan[plan.pk]),
        )
        for plan in plans
    ]


def follow_up_due(user, today: dt.date):
    """Open follow-up items at the user's site due from today on, for the next two weeks."""
    last = today + dt.timedelta(days=AHEAD_DAYS)
    items = items_for_user(user).filter(
        completed_at__isnull=True, due_date__gte=today, due_date__lte=last
    )
    return list(items[:SHOWN])


def worklists(user) -> list[Queue]:
    today, _site = site_time.user_today(user)
    return [
        Queue(
            f"Arrivals in the next {AHEAD_DAYS} days",
            arrivals(user, today),
            kind="arrivals",
            note="Each patient's interpreter, transfers and meals; what is not booked is flagged.",
            empty=f"Nobody is planned to arrive in the next {AHEAD_DAYS} days.",
        ),
        Queue(
            "Services coming up",
            upcoming_bookings(user)[:SHOWN],
            reverse("care:services"),
            kind="services",
            empty="Nothing booked for the coming days.",
        ),
        Queue(
            "Overdue follow-up",
            overdue_items(user)[:SHOWN],
            reverse("followup:overdue"),
            kind="overdue",
            empty="No follow-up is overdue.",
        ),
        Queue(
            f"Follow-up due in the next {AHEAD_DAYS} days",
            follow_up_due(user, today),
            kind="follow_up",
            empty=f"No follow-up due in the next {AHEAD_DAYS} days.",
        ),
    ]
