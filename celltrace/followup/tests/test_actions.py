import pytest

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


def test_a_user_of_another_site_cannot_complete_an_item(discharged, other_site_doctor):
    item = discharged.follow_up.first()
    with pytest.raises(Refused):
        complete_follow_up_item(item, other_site_doctor)
    item.refresh_from_db()
    assert item.completed_at is None
