import datetime as dt

import pytest
from django.utils import timezone

from celltrace.followup.actions import record_follow_up_end
from celltrace.followup.models import FollowUpEnd
from celltrace.outcomes.tests.reporting import FIRST_DOSE, treat
from celltrace.refusal import NotAllowed, Refused
from testkit.journey import make_patient


@pytest.fixture
def treated(catalog, site, doctor, nurse, lab_technician):
    return treat(site, doctor, nurse, lab_technician)


def test_a_doctor_records_a_death_and_a_coordinator_a_withdrawal(
    treated, doctor, coordinator, site, nurse, lab_technician
):
    died = record_follow_up_end(treated, doctor, on=dt.date(2026, 5, 1), reason="died")
    assert (died.reason, died.recorded_by, died.history.count()) == ("died", doctor, 1)
    other = treat(site, doctor, nurse, lab_technician)
    withdrawn = record_follow_up_end(
        other, coordinator, on=FIRST_DOSE.date(), reason="withdrawn", detail=" Moved abroad "
    )
    assert withdrawn.detail == "Moved abroad"


@pytest.mark.parametrize(
    ("on", "field_text"),
    [
        (FIRST_DOSE.date() - dt.timedelta(days=1), "before the first administration"),
        (None, "in the future"),
    ],
)
def test_a_date_before_the_first_administration_or_in_the_future_is_refused(
    treated, doctor, on, field_text
):
    on = on or timezone.localdate() + dt.timedelta(days=2)
    with pytest.raises(Refused) as refused:
        record_follow_up_end(treated, doctor, on=on, reason="died")
    assert field_text in refused.value.field_errors["on"]
    assert not FollowUpEnd.objects.exists()


def test_an_untreated_patient_a_second_end_and_an_unknown_reason_are_refused(treated, doctor, site):
    with pytest.raises(Refused):
        record_follow_up_end(make_patient(site), doctor, on=dt.date(2026, 5, 1), reason="died")
    with pytest.raises(Refused) as refused:
        record_follow_up_end(treated, doctor, on=dt.date(2026, 5, 1), reason="cured")
    assert "reason" in refused.value.field_errors
    record_follow_up_end(treated, doctor, on=dt.date(2026, 5, 1), reason="died")
    with pytest.raises(Refused):
        record_follow_up_end(treated, doctor, on=dt.date(2026, 6, 1), reason="withdrawn")
    assert FollowUpEnd.objects.get().on == dt.date(2026, 5, 1)


def test_a_nurse_or_another_sites_doctor_is_refused(treated, nurse, other_site_doctor):
    for user in (nurse, other_site_doctor):
        with pytest.raises(NotAllowed):
            record_follow_up_end(treated, user, on=dt.date(2026, 5, 1), reason="died")
    assert not FollowUpEnd.objects.exists()


def test_the_form_is_reached_from_the_patients_page_and_records_the_end(
    client_for, treated, doctor
):
    client = client_for(doctor)
    url = f"/followup/patients/{treated.pk}/end/"
    assert url in client.get(f"/patients/{treated.pk}/").content.decode()
    response = client.post(url, {"on": "2026-05-01", "reason": "died", "detail": "Stroke"})
    assert response.status_code == 302 and FollowUpEnd.objects.get().detail == "Stroke"
    page = client.get(f"/patients/{treated.pk}/").content.decode()
    assert "Follow-up ended on 2026-05-01: died" in page and url not in page


def test_the_form_shows_the_refusal_and_writes_nothing(client_for, treated, doctor):
    url = f"/followup/patients/{treated.pk}/end/"
    response = client_for(doctor).post(url, {"on": "2025-01-01", "reason": "died"})
    assert "before the first administration" in response.content.decode()
    assert not FollowUpEnd.objects.exists()


def test_the_api_records_the_end_and_refuses_with_422(client_for, treated, coordinator):
    client = client_for(coordinator)
    url = f"/api/followup/patients/{treated.pk}/end"
    refused = client.post(
        url, {"on": "2999-01-01", "reason": "died"}, content_type="application/json"
    )
    assert refused.status_code == 422 and not FollowUpEnd.objects.exists()
    body = {"on": "2026-05-01", "reason": "withdrawn"}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["reason"] == "withdrawn"


def test_another_sites_patient_is_not_found(client_for, treated, other_site_doctor):
    url = f"/api/followup/patients/{treated.pk}/end"
    body = {"on": "2026-05-01", "reason": "died"}
    response = client_for(other_site_doctor).post(url, body, content_type="application/json")
    assert response.status_code == 404 and not FollowUpEnd.objects.exists()
