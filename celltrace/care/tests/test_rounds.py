"""Daily rounds: recorded by doctors through the action, the form and the API; refused clearly."""

import datetime as dt

import pytest
from django.utils import timezone

from celltrace.care import actions
from celltrace.care.models import DailyRound
from celltrace.care.tests.conftest import form_time
from celltrace.refusal import NotAllowed, Refused


def _changed(fields, changes) -> dict:
    """The fields with the changes; a change given as an offset is a time from now, read
    when the test runs (a parameter's own time would be the moment tests were collected)."""
    now = timezone.now()
    moved = {k: now + v if isinstance(v, dt.timedelta) else v for k, v in changes.items()}
    return {**fields, **moved}


def _refused(stay, user, fields, **changes) -> Refused:
    with pytest.raises(Refused) as caught:
        actions.record_round(stay, user, **_changed(fields, changes))
    assert not DailyRound.objects.exists()
    return caught.value


def test_a_doctor_records_a_round_and_the_flag_clears(ward, doctor, round_fields, client_for):
    client = client_for(doctor)
    assert "No round today" in client.get(f"/stays/{ward.stay.pk}/").content.decode()
    assert "No round today" in client.get("/stays/").content.decode()
    daily = actions.record_round(ward.stay, doctor, **round_fields)
    assert daily.doctor == doctor and daily.history.first().history_user == doctor
    page = client.get(f"/stays/{ward.stay.pk}/").content.decode()
    assert "No round today" not in page and "Physiotherapy twice." in page
    assert "No round today" not in client.get("/stays/").content.decode()


def test_a_round_yesterday_does_not_count_for_today(ward, doctor, round_fields, client_for):
    yesterday = ward.stay.admitted_at + dt.timedelta(minutes=30)
    assert timezone.localdate(yesterday) < timezone.localdate()
    actions.record_round(ward.stay, doctor, **{**round_fields, "taken_at": yesterday})
    assert "No round today" in client_for(doctor).get("/stays/").content.decode()


@pytest.mark.parametrize("role_user", ["nurse", "coordinator", "manager"])
def test_only_a_doctor_records_a_round(ward, round_fields, role_user, request):
    refusal = _refused(ward.stay, request.getfixturevalue(role_user), round_fields)
    assert isinstance(refusal, NotAllowed) and refusal.message.startswith("Only a doctor")


def test_a_doctor_of_another_site_is_refused(ward, other_site_doctor, round_fields):
    assert _refused(ward.stay, other_site_doctor, round_fields).code == "other_site"


def test_a_discharged_stay_gets_no_round(ward, doctor, round_fields):
    ward.stay.discharged_at = timezone.now() - dt.timedelta(hours=1)
    ward.stay.discharged_by = doctor
    ward.stay.save()
    assert _refused(ward.stay, doctor, round_fields).code == "stay_closed"


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"taken_at": dt.timedelta(hours=1)}, "taken_at", "in the future"),
        ({"temperature_c": float("nan")}, "temperature_c", "between 30.0 and 45.0"),
        ({"spo2": 101}, "spo2", "SpO2 must be between"),
        ({"diastolic_bp": 130}, "diastolic_bp", "below the systolic"),
        ({"pain_nrs": 11}, "pain_nrs", "whole number from 0"),
        ({"pain_nrs": -1}, "pain_nrs", "whole number from 0"),
        ({"neuro_status": "fine"}, "neuro_status", "neurological status"),
    ],
)
def test_the_action_refuses_each_bad_value(ward, doctor, round_fields, changes, field, text):
    refusal = _refused(ward.stay, doctor, round_fields, **changes)
    assert text in refusal.field_errors[field]


def test_a_round_before_the_admission_is_refused(ward, doctor, round_fields):
    before = ward.stay.admitted_at - dt.timedelta(minutes=1)
    refusal = _refused(ward.stay, doctor, round_fields, taken_at=before)
    assert refusal.field_errors["taken_at"] == "The round time is before the admission."


# The form ------------------------------------------------------------------------------


def _form(fields, **changes):
    data = _changed(fields, changes)
    data["taken_at"] = form_time(data["taken_at"])
    return data


def test_the_form_records_a_round(ward, doctor, round_fields, client_for):
    url = f"/care/stays/{ward.stay.pk}/rounds/new/"
    response = client_for(doctor).post(url, _form(round_fields))
    assert response.status_code == 302 and response["Location"] == f"/stays/{ward.stay.pk}/"
    assert DailyRound.objects.get().pain_nrs == 3


@pytest.mark.parametrize(
    ("changes", "text"),
    [
        ({"taken_at": dt.timedelta(hours=2)}, "The round time is in the future."),
        ({"pain_nrs": 12}, "Pain is a whole number from 0"),
        ({"heart_rate": 400}, "Heart rate must be between 20 and 250"),
    ],
)
def test_the_form_shows_each_refusal_and_saves_nothing(
    ward, doctor, round_fields, client_for, changes, text
):
    url = f"/care/stays/{ward.stay.pk}/rounds/new/"
    response = client_for(doctor).post(url, _form(round_fields, **changes))
    page = response.content.decode()
    assert response.status_code == 200 and 'class="refusal"' in page and text in page
    assert not DailyRound.objects.exists()


def test_a_nurse_cannot_open_the_round_form(ward, nurse, client_for):
    assert client_for(nurse).get(f"/care/stays/{ward.stay.pk}/rounds/new/").status_code == 403


def test_another_sites_stay_is_not_found(ward, other_site_doctor, round_fields, client_for):
    url = f"/care/stays/{ward.stay.pk}/rounds/new/"
    assert client_for(other_site_doctor).post(url, _form(round_fields)).status_code == 404
    assert not DailyRound.objects.exists()


# The API -------------------------------------------------------------------------------


def _json(fields, **changes):
    data = _changed(fields, changes)
    data["taken_at"] = data["taken_at"].isoformat()
    return data


def test_the_api_records_and_lists_rounds(ward, doctor, round_fields, client_for):
    client = client_for(doctor)
    url = f"/api/care/stays/{ward.stay.pk}/rounds"
    response = client.post(url, _json(round_fields), content_type="application/json")
    assert response.status_code == 201 and response.json()["neuro_status"] == "stable"
    assert [r["id"] for r in client.get(url).json()] == [response.json()["id"]]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"pain_nrs": 11}, "pain_nrs"),
        ({"taken_at": dt.timedelta(hours=1)}, "taken_at"),
        ({"systolic_bp": 20}, "systolic_bp"),
    ],
)
def test_the_api_refuses_with_the_field_and_saves_nothing(
    ward, doctor, round_fields, client_for, changes, field
):
    url = f"/api/care/stays/{ward.stay.pk}/rounds"
    response = client_for(doctor).post(
        url, _json(round_fields, **changes), content_type="application/json"
    )
    assert response.status_code == 422 and field in response.json()["errors"]
    assert not DailyRound.objects.exists()


def test_the_api_refuses_a_nurse(ward, nurse, round_fields, client_for):
    url = f"/api/care/stays/{ward.stay.pk}/rounds"
    response = client_for(nurse).post(url, _json(round_fields), content_type="application/json")
    assert response.status_code == 403 and not DailyRound.objects.exists()


def test_the_api_refuses_a_discharged_stay(ward, doctor, round_fields, client_for):
    ward.stay.discharged_at = timezone.now() - dt.timedelta(hours=1)
    ward.stay.save()
    url = f"/api/care/stays/{ward.stay.pk}/rounds"
    response = client_for(doctor).post(url, _json(round_fields), content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "stay_closed"


def test_today_is_the_sites_own_day(catalog, site, doctor, nurse, round_fields):
    """01:00 in Nicosia is still yesterday in UTC: the round counts for the ward's today."""
    import time_machine

    from celltrace.care.queries import needs_round
    from testkit.journey import make_patient, make_plan, make_stay

    site.time_zone = "Asia/Nicosia"
    site.save()
    morning = dt.datetime(2025, 3, 10, 6, 0, tzinfo=dt.UTC)  # 08:00 in Nicosia
    with time_machine.travel(morning, tick=False):
        plan = make_plan(make_patient(site), doctor, admission=dt.date(2025, 3, 9))
        stay = make_stay(plan, nurse, admitted_at=morning - dt.timedelta(days=1))
        assert needs_round(stay)
        at_one = dt.datetime(2025, 3, 9, 23, 0, tzinfo=dt.UTC)  # 01:00 on the 10th there
        actions.record_round(stay, doctor, **{**round_fields, "taken_at": at_one})
        assert not needs_round(stay)
