"""The nurse's day on the ward: the doses due today, the therapy sessions, the unseen patients."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse

from celltrace.accounts import site_time
from celltrace.care.queries import sessions_today, stays_without_round_today
from celltrace.clinical.dosing import planned_day
from celltrace.plans.models import PlannedProduct
from celltrace.stays.access import stays_for_user
from celltrace.stays.facts import day_in_force
from celltrace.stays.models import Administration, DoseDayChange, Stay
from celltrace.web.worklists.base import Queue, links_queue


@dataclass(frozen=True)
class DueDose:
    stay: Stay
    planned: PlannedProduct
    day: dt.date


def open_stays(user):
    """The stays on the ward at the user's site, bed by bed."""
    return (
        stays_for_user(user)
        .filter(discharged_at__isnull=True)
        .order_by("bed__room__number", "bed__label", "admitted_at")
    )


def doses_due_on(user, day: dt.date) -> list[DueDose]:
    """The planned doses of the open stays at the user's site that fall on `day`, not yet given,
    by planned time and, at one time, bed by bed.

    The one place that decides which doses are due on a day: a dose falls on the plan's
    admission day plus its day of stay less one (clinical.dosing.planned_day), or on the day
    a doctor moved it to (stays.facts.day_in_force). An open stay's plan is in force: a plan
    with a stay can be neither amended nor cancelled.
    """
    given = Administration.objects.filter(planned_product=OuterRef("pk"))
    changes = DoseDayChange.objects.order_by("decided_at", "pk")
    waiting = (
        PlannedProduct.objects.filter(~Exists(given))
        .select_related("product")
        .prefetch_related(Prefetch("day_changes", queryset=changes))
    )
    stays = open_stays(user).prefetch_related(Prefetch("plan__products", queryset=waiting))
    due = [
        DueDose(stay, planned, day)
        for stay in stays
        for planned in stay.plan.products.all()
        if planned_day(stay.plan.admission_date, day_in_force(planned)) == day
    ]
    # The stays come bed by bed; a stable sort by time keeps that order within a time.
    return sorted(due, key=lambda dose: dose.planned.planned_time)


def worklists(user) -> list[Queue]:
    today, _site = site_time.user_today(user)
    stays = list(open_stays(user))
    unseen = stays_without_round_today(stays)
    sessions = sessions_today(user).select_related("stay__bed__room")
    return [
        Queue(
            "Doses due today",
            doses_due_on(user, today),
            link=reverse("stays:administer"),
            kind="doses",
            note=f"Planned for {today:%A %d %B}, not given yet, by time and bed.",
            empty="No dose is due today.",
        ),
        Queue(
            "Therapy sessions today",
            list(sessions),
            link=reverse("care:therapy_today"),
            kind="sessions",
            empty="No therapy session today.",
        ),
        Queue(
            "Patients without a doctor's round today",
            [stay for stay in stays if stay.pk in unseen],
            kind="stays",
            note="The attending doctor records the round; remind them if it is late.",
            empty="Every patient on the ward has been seen today.",
        ),
        links_queue("Patients on the ward", stays, "stays:ward"),
    ]
