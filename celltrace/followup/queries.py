"""Reading follow-up: the overdue items a user may see."""

from dataclasses import dataclass

from celltrace.accounts import site_time
from celltrace.clinical.follow_up import days_overdue
from celltrace.followup.access import items_for_user
from celltrace.followup.models import FollowUpItem


@dataclass(frozen=True)
class OverdueRow:
    item: FollowUpItem
    days_overdue: int


def overdue_items(user) -> list[OverdueRow]:
    """Open items past their due date at the user's site, oldest first."""
    today, _site = site_time.user_today(user)
    items = items_for_user(user).filter(completed_at__isnull=True, due_date__lt=today)
    return [OverdueRow(item, days_overdue(item.due_date, today)) for item in items]
