import pytest
from django.core.exceptions import PermissionDenied

from celltrace.accounts.models import Role, User
from celltrace.followup.actions import complete_follow_up_item
from celltrace.refusal import Refused


def test_a_coordinator_completes_an_item(discharged, coordinator):
    item = discharged.follow_up.first()
    done = complete_follow_up_item(item, coordinator, notes=" Called; exosomes taken. ")
    assert done.completed_by == coordinator and done.completed_at is not None
    assert done.notes == "Called; exosomes taken."
    assert done.history.first().history_user == coordinator


def test_an_item_is_completed_only_once(discharged, coordinator):
    item = discharged.follow_up.first()
    first = complete_follow_up_item(item, coordinator, notes="first")
    with pytest.raises(Refused, match="already completed"):
        complete_follow_up_item(item, coordinator, notes="second")
    item.refresh_from_db()
    assert item.notes == "first" and item.completed_at == first.completed_at


def test_a_coordinator_of_another_site_cannot_complete_an_item(discharged, other_site):
    other_coordinator = User.objects.create_user(
        username="olga.coordinator", role=Role.COORDINATOR, site=other_site
    )
    item = discharged.follow_up.first()
    with pytest.raises(Refused, match="another site"):
        complete_follow_up_item(item, other_coordinator)
    item.refresh_from_db()
    assert item.completed_at is None


@pytest.mark.parametrize("role_user", ["doctor", "nurse", "manager"])
def test_only_a_coordinator_may_complete_an_item_even_calling_the_action(
    discharged, role_user, request
):
    item = discharged.follow_up.first()
    with pytest.raises(PermissionDenied):
        complete_follow_up_item(item, request.getfixturevalue(role_user))
    item.refresh_from_db()
    assert item.completed_at is None
