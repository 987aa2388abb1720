import datetime as dt

import time_machine

from celltrace.followup.models import FollowUpItem
from celltrace.followup.tests.conftest import discharged_patient

# Nothing given: the 3-month check-up is due 91 days after the discharge day (2 March).
CHECKUP_DUE = dt.date(2026, 6, 1)


def test_nothing_is_overdue_on_the_due_date(client_for, coordinator, discharged):
    with time_machine.travel(dt.datetime(2026, 6, 1, 23, 0, tzinfo=dt.UTC), tick=False):
        page = client_for(coordinator).get("/followup/overdue/").content.decode()
    assert "Nothing is overdue." in page


def test_an_item_is_overdue_the_day_after_with_its_patient_and_days(
    client_for, coordinator, discharged
):
    with time_machine.travel(dt.datetime(2026, 6, 2, 8, 0, tzinfo=dt.UTC), tick=False):
        response = client_for(coordinator).get("/followup/overdue/")
    rows = response.context["rows"]
    assert [(r.item.due_date, r.days_overdue) for r in rows] == [(CHECKUP_DUE, 1)]
    assert discharged.patient.full_name in response.content.decode()


def test_overdue_items_are_listed_oldest_first(client_for, coordinator, discharged):
    with time_machine.travel(dt.datetime(2026, 9, 10, tzinfo=dt.UTC), tick=False):
        rows = client_for(coordinator).get("/followup/overdue/").context["rows"]
    # The 3- and 6-month check-ups: days 91 and 182 after the discharge (nothing was given).
    assert [r.days_overdue for r in rows] == [101, 10]


def test_other_sites_items_are_not_listed_and_queries_stay_constant(
    client_for,
    coordinator,
    discharged,
    other_site,
    site,
    doctor,
    nurse,
    django_assert_max_num_queries,
):
    from celltrace.accounts.models import User
    from testkit import PASSWORD

    # A password: the discharge is signed with it.
    far_doctor = User.objects.create_user(
        "far.doc", password=PASSWORD, role="doctor", site=other_site
    )
    far = discharged_patient(other_site, far_doctor, far_doctor)
    for _ in range(3):
        discharged_patient(site, doctor, nurse)
    client = client_for(coordinator)
    june = time_machine.travel(dt.datetime(2026, 6, 10, tzinfo=dt.UTC), tick=False)
    # Each of the two lists: its count, its page, the page's bookings.
    with june, django_assert_max_num_queries(8):
        response = client.get("/followup/overdue/")
    assert len(response.context["rows"]) == 4  # the 3-month check-up of four patients
    assert far.patient.full_name not in response.content.decode()


def test_a_completed_item_leaves_the_overdue_list(client_for, coordinator, home_check):
    item = home_check
    client = client_for(coordinator)
    with time_machine.travel(dt.datetime(2026, 3, 12, tzinfo=dt.UTC), tick=False):
        response = client.post(f"/followup/items/{item.pk}/complete/", {"notes": "Phoned"})
        assert response.status_code == 302
        assert list(client.get("/followup/overdue/").context["rows"]) == []
    item.refresh_from_db()
    assert item.notes == "Phoned" and item.completed_by == coordinator


def test_completing_twice_shows_the_refusal(client_for, coordinator, discharged):
    item = discharged.follow_up.first()
    client = client_for(coordinator)
    client.post(f"/followup/items/{item.pk}/complete/", {"notes": "first"})
    response = client.post(f"/followup/items/{item.pk}/complete/", {"notes": "again"}, follow=True)
    assert "already completed" in response.content.decode()
    item.refresh_from_db()
    assert item.notes == "first"


def test_only_a_coordinator_completes_items_but_clinicians_see_the_list(
    client_for, doctor, nurse, discharged
):
    item = discharged.follow_up.first()
    assert client_for(doctor).get("/followup/overdue/").status_code == 200
    assert client_for(nurse).post(f"/followup/items/{item.pk}/complete/").status_code == 403
    assert not FollowUpItem.objects.filter(completed_at__isnull=False).exists()


def test_an_item_of_another_site_is_not_found(client_for, discharged, other_site):
    from celltrace.accounts.models import User

    far = User.objects.create_user("far.coord", role="coordinator", site=other_site)
    item = discharged.follow_up.first()
    assert client_for(far).post(f"/followup/items/{item.pk}/complete/").status_code == 404
