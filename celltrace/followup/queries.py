"""Reading follow-up: the overdue and upcoming items a user may see, with their bookings."""

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.db.models import Prefetch, Q

from celltrace.accounts import site_time
from celltrace.clinical.follow_up import completion_problem, days_overdue
from celltrace.followup.access import items_for_user
from celltrace.followup.models import Appointment, FollowUpItem
from celltrace.pages import Rows

# How far ahead the coordinator's list looks: time to agree a day with a patient abroad.
UPCOMING_DAYS = 30


@dataclass(frozen=True)
class OverdueRow:
    item: FollowUpItem
    days_overdue: int
    appointment: Appointment | None = None  # the one booked, if any
    not_yet: str = ""  # why it cannot be marked done today ("" when it can)


def _open_items(user):
    booked = Appointment.objects.filter(status=Appointment.Status.BOOKED)
    return (
        items_for_user(user)
        .filter(completed_at__isnull=True)
        .prefetch_related(Prefetch("appointments", queryset=booked, to_attr="booked"))
    )


def _row(item: FollowUpItem, today: dt.date) -> OverdueRow:
    return OverdueRow(
        item,
        days_overdue(item.due_date, today),
        item.booked[0] if item.booked else None,
        completion_problem(
            item.kind, due_date=item.due_date, window_opens=item.window_opens, today=today
        ),
    )


def overdue_items(user) -> Rows:
    """Open items past their due date at the user's site, oldest first, read a page at a time."""
    today, _site = site_time.user_today(user)
    items = _open_items(user).filter(due_date__lt=today).order_by("due_date", "pk")
    return Rows(items, partial(_row, today=today))


def follow_up_lists(user, *, days: int = UPCOMING_DAYS) -> tuple[Rows, Rows]:
    """Return the overdue items and the upcoming ones, each read a page at a time.

    Upcoming: open items due from today to `days` ahead, and check-ups whose window opens
    by then (a check-up is booked while its window is open, often weeks before its target
    day, so it is listed from the day its window is `days` away).
    """
    today, _site = site_time.user_today(user)
    horizon = today + dt.timedelta(days=days)
    upcoming = (
        _open_items(user)
        .filter(due_date__gte=today)
        .filter(Q(due_date__lte=horizon) | Q(window_opens__lte=horizon))
        .order_by("due_date", "pk")
    )
    return overdue_items(user), Rows(upcoming, partial(_row, today=today))
