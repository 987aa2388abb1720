"""Reading follow-up: the overdue items a user may see."""

from dataclasses import dataclass

from django.utils import timezone

from celltrace.accounts.access import scope_to_site
from celltrace.clinical.follow_up import days_overdue
from celltrace.followup.models import FollowUpItem


@dataclass(frozen=True)
class OverdueRow:
    item: FollowUpItem
    days_overdue: int


def overdue_items(user) -> list[OverdueRow]:
    """Open items past their due date at the user's site, oldest first."""
    today = timezone.localdate()
    items = FollowUpItem.objects.filter(completed_at__isnull=True, due_date__lt=today)
    items = scope_to_site(items, user, site_field="patient__site").select_related("patient")
    return [OverdueRow(item, days_overdue(item.due_date, today)) for item in items]
