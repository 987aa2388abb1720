import datetime as dt

import time_machine

from celltrace.followup.models import FollowUpItem


def test_the_overdue_list_through_the_api(client_for, coordinator, discharged):
    # Nothing given: the 3-month check-up is due 91 days after the discharge day (2 March).
    with time_machine.travel(dt.datetime(2026, 6, 10, tzinfo=dt.UTC), tick=False):
        body = client_for(coordinator).get("/api/followup/overdue").json()["items"]
    assert [(row["item"]["due_date"], row["days_overdue"]) for row in body] == [("2026-06-01", 9)]
    assert body[0]["item"]["patient_code"] == discharged.patient.code


def test_completing_an_item_through_the_api_and_not_twice(client_for, coordinator, discharged):
    item = discharged.follow_up.first()
    client = client_for(coordinator)
    url = f"/api/followup/items/{item.pk}/complete"
    response = client.post(url, {"notes": "Seen"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["completed_by_id"] == coordinator.pk
    again = client.post(url, {"notes": "again"}, content_type="application/json")
    assert again.status_code == 422 and "already completed" in again.json()["detail"]
    item.refresh_from_db()
    assert item.notes == "Seen"


def test_a_doctor_cannot_complete_and_another_site_gets_404(
    client_for, doctor, other_site, discharged
):
    from celltrace.accounts.models import User

    item = discharged.follow_up.first()
    url = f"/api/followup/items/{item.pk}/complete"
    assert client_for(doctor).post(url, {}, content_type="application/json").status_code == 403
    far = User.objects.create_user("far.coord", role="coordinator", site=other_site)
    assert client_for(far).post(url, {}, content_type="application/json").status_code == 404
    assert not FollowUpItem.objects.filter(completed_at__isnull=False).exists()
