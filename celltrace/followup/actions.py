"""Writes of follow-up: mark a home-care item or check-up as done."""

from django.db import transaction
from django.utils import timezone

from celltrace.accounts.access import check_actor
from celltrace.audit import save_by
from celltrace.followup import access
from celltrace.followup.models import FollowUpItem
from celltrace.refusal import Refused


@transaction.atomic
def complete_follow_up_item(item: FollowUpItem, user, *, notes: str = "") -> FollowUpItem:
    """Record that a follow-up item was done, by whom and when."""
    item = FollowUpItem.objects.select_for_update().select_related("patient").get(pk=item.pk)
    check_actor(user, access.COMPLETE, "complete a follow-up item", site_id=item.patient.site_id)
    if item.completed_at is not None:
        raise Refused(
            f"This item was already completed on {item.completed_at:%Y-%m-%d}.",
            code="already_completed",
            params={"completed_on": f"{item.completed_at:%Y-%m-%d}"},
        )
    item.completed_at = timezone.now()
    item.completed_by = user
    item.notes = notes.strip()
    return save_by(item, user)
