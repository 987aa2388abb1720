"""Therapy sessions: scheduled once from the plan, moved, and recorded as given or missed."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from celltrace.care import actions
from celltrace.care.models import TherapySession
from celltrace.care.tests.conftest import form_time
from celltrace.catalog.models import Therapy
from celltrace.plans.models import PlannedTherapy
from celltrace.refusal import NotAllowed, Refused
from testkit.journey import make_patient, make_plan, make_stay


def _scheduled(ward, user):
    return actions.schedule_therapy_sessions(ward.stay, user)


def _past_session(ward, **fields) -> TherapySession:
    """A session due an hour ago, as a nurse finds it on today's list."""
    return TherapySession.objects.create(
        stay=ward.stay,
        planned_therapy=ward.physio,
        scheduled_for=timezone.now() - dt.timedelta(hours=1),
        **fields,
    )


def test_scheduling_spreads_the_plans_sessions_over_the_rest_of_the_stay(ward, coordinator):
    sessions = _scheduled(ward, coordinator)
    assert len(sessions) == 4
    now = timezone.now()
    assert all(now <= s.scheduled_for for s in sessions)
    assert max(timezone.localdate(s.scheduled_for) for s in sessions) <= ward.plan.discharge_date
    assert sessions[0].history.first().history_user == coordinator


@pytest.mark.parametrize("role_user", ["nurse", "manager"])
def test_only_a_doctor_or_coordinator_schedules(ward, role_user, request):
    with pytest.raises(NotAllowed):
        _scheduled(ward, request.getfixturevalue(role_user))
    assert not TherapySession.objects.exists()


def test_sessions_are_scheduled_once(ward, doctor):
    _scheduled(ward, doctor)
    with pytest.raises(Refused) as caught:
        _scheduled(ward, doctor)
    assert caught.value.code == "already_scheduled" and TherapySession.objects.count() == 4


def test_sessions_that_do_not_fit_are_refused_and_nothing_is_scheduled(ward, doctor):
    PlannedTherapy.objects.create(
        plan=ward.plan, therapy=Therapy.objects.get(code="kinesiotherapy"), sessions=30
    )
    with pytest.raises(Refused) as caught:
        _scheduled(ward, doctor)
    assert caught.value.code == "sessions_do_not_fit" and "Kinesiotherapy" in caught.value.message
    assert not TherapySession.objects.exists()


def test_a_plan_without_therapies_has_nothing_to_schedule(ward, doctor):
    ward.physio.delete()
    with pytest.raises(Refused) as caught:
        _scheduled(ward, doctor)
    assert caught.value.code == "no_therapies"


def test_the_arrival_days_morning_is_kept_free(catalog, site, doctor, nurse):
    arrival = dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(arrival, tick=False):
        plan = make_plan(make_patient(site), doctor, admission=dt.date(2025, 3, 10), days=6)
        PlannedTherapy.objects.create(
            plan=plan, therapy=Therapy.objects.get(code="physiotherapy"), sessions=6
        )
        stay = make_stay(plan, nurse, admitted_at=arrival)
        sessions = actions.schedule_therapy_sessions(stay, doctor)
    first_day = [s.scheduled_for for s in sessions if s.scheduled_for.date() == arrival.date()]
    assert len(sessions) == 6 and all(moment.hour >= 13 for moment in first_day)


# Recording sessions ----------------------------------------------------------------------


@pytest.mark.parametrize("role_user", ["nurse", "doctor", "coordinator"])
def test_the_care_team_records_a_given_session(ward, role_user, request):
    user = request.getfixturevalue(role_user)
    session = actions.mark_session(_past_session(ward), user, status="given")
    assert session.status == "given" and session.recorded_by == user and session.recorded_at


def _mark_refused(session, user, **fields) -> Refused:
    before = TherapySession.objects.get(pk=session.pk).status
    with pytest.raises(Refused) as caught:
        actions.mark_session(session, user, **fields)
    assert TherapySession.objects.get(pk=session.pk).status == before
    return caught.value


def test_a_missed_session_needs_a_reason(ward, nurse):
    refusal = _mark_refused(_past_session(ward), nurse, status="missed", reason="  ")
    assert refusal.field_errors == {"reason": "Say why the session was missed."}


def test_a_session_cannot_be_given_before_its_time(ward, nurse):
    session = _past_session(ward)
    session.scheduled_for = timezone.now() + dt.timedelta(hours=2)
    session.save()
    refusal = _mark_refused(session, nurse, status="given")
    assert "cannot have been given yet" in refusal.field_errors["status"]


def test_a_session_after_the_discharge_was_not_given(ward, nurse):
    session = _past_session(ward)
    ward.stay.discharged_at = session.scheduled_for - dt.timedelta(hours=1)
    ward.stay.save()
    refusal = _mark_refused(session, nurse, status="given")
    assert refusal.field_errors["status"].startswith("The patient was discharged before")
    missed = actions.mark_session(session, nurse, status="missed", reason="Discharged early.")
    assert missed.status == "missed"


def test_a_recorded_session_is_final(ward, nurse, coordinator):
    session = actions.mark_session(_past_session(ward), nurse, status="missed", reason="Fever")
    assert _mark_refused(session, nurse, status="given").code == "session_final"
    with pytest.raises(Refused) as caught:
        later = timezone.now() + dt.timedelta(hours=1)
        actions.reschedule_session(session, coordinator, scheduled_for=later)
    assert caught.value.code == "session_final"


def test_an_unknown_status_is_refused(ward, nurse):
    refusal = _mark_refused(_past_session(ward), nurse, status="done")
    assert refusal.field_errors == {"status": "Choose given or missed."}


def test_a_manager_does_not_record_sessions(ward, manager):
    assert isinstance(_mark_refused(_past_session(ward), manager, status="given"), NotAllowed)


# Moving sessions ---------------------------------------------------------------------------


def test_a_coordinator_moves_a_session(ward, coordinator):
    session = _scheduled(ward, coordinator)[0]
    later = timezone.now() + dt.timedelta(hours=3)
    moved = actions.reschedule_session(
        session, coordinator, scheduled_for=later, therapist="Ana Silva", room="Gym 2"
    )
    assert (moved.scheduled_for, moved.therapist, moved.room) == (later, "Ana Silva", "Gym 2")


@pytest.mark.parametrize(
    ("when", "text"),
    [
        (dt.timedelta(hours=-1), "The new time has passed."),
        (dt.timedelta(days=10), "after the planned discharge"),
    ],
)
def test_a_session_is_not_moved_out_of_the_stay(ward, coordinator, when, text):
    session = _scheduled(ward, coordinator)[0]
    with pytest.raises(Refused) as caught:
        actions.reschedule_session(session, coordinator, scheduled_for=timezone.now() + when)
    assert text in caught.value.field_errors["scheduled_for"]
    assert TherapySession.objects.get(pk=session.pk).scheduled_for == session.scheduled_for


# Screens -----------------------------------------------------------------------------------


def test_the_stay_page_schedules_and_lists_the_sessions(ward, doctor, client_for):
    client = client_for(doctor)
    page = client.get(f"/stays/{ward.stay.pk}/").content.decode()
    assert "Schedule the therapy sessions" in page
    response = client.post(f"/care/stays/{ward.stay.pk}/therapy/schedule/")
    assert response.status_code == 302 and TherapySession.objects.count() == 4
    page = client.get(f"/stays/{ward.stay.pk}/").content.decode()
    assert page.count("Physiotherapy") >= 4 and "Schedule the therapy sessions" not in page


def test_scheduling_twice_through_the_screen_says_why(ward, doctor, client_for):
    client = client_for(doctor)
    client.post(f"/care/stays/{ward.stay.pk}/therapy/schedule/")
    page = client.post(f"/care/stays/{ward.stay.pk}/therapy/schedule/", follow=True)
    assert "already scheduled" in page.content.decode() and TherapySession.objects.count() == 4


def test_todays_list_shows_the_sessions_and_records_one(ward, nurse, client_for):
    session = _past_session(ward)
    client = client_for(nurse)
    page = client.get("/care/therapy/today/").content.decode()
    assert ward.patient.full_name in page and f"/care/therapy/{session.pk}/record/" in page
    response = client.post(
        f"/care/therapy/{session.pk}/record/", {"status": "given", "next": "/care/therapy/today/"}
    )
    assert response.status_code == 302 and response["Location"] == "/care/therapy/today/"
    assert TherapySession.objects.get().status == "given"


def test_the_form_shows_a_missing_reason_and_saves_nothing(ward, nurse, client_for):
    session = _past_session(ward)
    response = client_for(nurse).post(f"/care/therapy/{session.pk}/record/", {"status": "missed"})
    page = response.content.decode()
    assert response.status_code == 200 and "Say why the session was missed." in page
    assert TherapySession.objects.get().status == "scheduled"


def test_the_form_refuses_to_change_a_recorded_session(ward, nurse, client_for):
    session = _past_session(ward, status="given", recorded_by=nurse, recorded_at=timezone.now())
    response = client_for(nurse).post(
        f"/care/therapy/{session.pk}/record/", {"status": "missed", "reason": "x"}
    )
    assert "cannot change" in response.content.decode()
    assert TherapySession.objects.get().status == "given"


def test_the_move_form_refuses_a_past_time(ward, coordinator, client_for):
    session = _scheduled(ward, coordinator)[0]
    past = form_time(timezone.now() - dt.timedelta(hours=2))
    response = client_for(coordinator).post(
        f"/care/therapy/{session.pk}/move/", {"scheduled_for": past}
    )
    assert "The new time has passed." in response.content.decode()
    assert TherapySession.objects.get(pk=session.pk).scheduled_for == session.scheduled_for


# API ---------------------------------------------------------------------------------------


def test_the_api_schedules_lists_and_records(ward, doctor, nurse, client_for):
    url = f"/api/care/stays/{ward.stay.pk}/therapy-sessions"
    response = client_for(doctor).post(url)
    assert response.status_code == 201 and len(response.json()) == 4
    assert client_for(doctor).post(url).json()["code"] == "already_scheduled"
    listed = client_for(nurse).get(url).json()
    assert [s["therapy"] for s in listed] == ["Physiotherapy"] * 4


@pytest.mark.parametrize(
    ("body", "field"),
    [({"status": "missed"}, "reason"), ({"status": "maybe"}, "status")],
)
def test_the_api_refuses_bad_records(ward, nurse, client_for, body, field):
    session = _past_session(ward)
    response = client_for(nurse).post(
        f"/api/care/therapy-sessions/{session.pk}/record", body, content_type="application/json"
    )
    assert response.status_code == 422 and field in response.json()["errors"]
    assert TherapySession.objects.get().status == "scheduled"


def test_the_api_refuses_to_move_a_final_session(ward, coordinator, client_for):
    session = _past_session(ward, status="missed", missed_reason="Fever")
    response = client_for(coordinator).post(
        f"/api/care/therapy-sessions/{session.pk}/reschedule",
        {"scheduled_for": (timezone.now() + dt.timedelta(hours=1)).isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["code"] == "session_final"


def test_the_api_refuses_a_manager_scheduling(ward, manager, client_for):
    url = f"/api/care/stays/{ward.stay.pk}/therapy-sessions"
    assert client_for(manager).post(url).status_code == 403
    assert not TherapySession.objects.exists()
