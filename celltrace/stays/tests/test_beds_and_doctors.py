"""Admission to a free bed with a doctor who has room, through the action, the form and the API.

Every refusal leaves the database as it was: no stay, and no change to the stay moved.
"""

import datetime as dt

import pytest
from django.utils import timezone

from celltrace.plans.actions import cancel_plan
from celltrace.refusal import NotAllowed, Refused
from celltrace.stays.actions import admit_patient, assign_doctor, move_bed
from celltrace.stays.models import Stay
from celltrace.ward.actions import set_doctor_capacity
from testkit.journey import make_bed, make_patient, make_plan, make_stay

FORM_TIME = "%Y-%m-%dT%H:%M"


@pytest.fixture
def planned(catalog, site, doctor):
    return make_plan(make_patient(site), doctor, admission=timezone.localdate())


def _fill(doctor, count: int, *, site=None):
    """Give the doctor `count` patients on the ward."""
    for _ in range(count):
        plan = make_plan(make_patient(site or doctor.site), doctor, admission=timezone.localdate())
        make_stay(plan, doctor, doctor=doctor)


def _occupied_bed(site, doctor):
    stay = make_stay(make_plan(make_patient(site), doctor), doctor, doctor=doctor)
    return stay.bed


def _refusals(site, doctor, nurse, other_site):
    """(what, bed, chosen doctor, code) for each choice the admission must refuse."""
    return {
        "occupied bed": lambda: (_occupied_bed(site, doctor), doctor, "bed_occupied"),
        "bed of another site": lambda: (make_bed(other_site), doctor, "bed_other_site"),
        "a nurse as doctor": lambda: (make_bed(site), nurse, "not_a_doctor_here"),
        "doctor at capacity": lambda: (
            _fill(doctor, 4) or make_bed(site),
            doctor,
            "doctor_at_capacity",
        ),
    }


def _admit_now(plan, nurse, bed, doctor):
    return admit_patient(
        plan, nurse, admitted_at=timezone.now(), bed=bed, doctor=doctor, weight_kg=70.0
    )


CASES = ["occupied bed", "bed of another site", "a nurse as doctor", "doctor at capacity"]


@pytest.mark.parametrize("case", CASES)
def test_the_action_refuses_a_bed_or_doctor_that_cannot_take_the_patient(
    planned, nurse, doctor, site, other_site, case
):
    bed, chosen, code = _refusals(site, doctor, nurse, other_site)[case]()
    before = Stay.objects.count()
    with pytest.raises(Refused) as refused:
        admit_patient(
            planned, nurse, admitted_at=timezone.now(), bed=bed, doctor=chosen, weight_kg=70.0
        )
    assert refused.value.code == code and refused.value.message
    assert Stay.objects.count() == before and not Stay.objects.filter(plan=planned).exists()


@pytest.mark.parametrize("case", CASES)
def test_the_api_refuses_a_bed_or_doctor_that_cannot_take_the_patient(
    client_for, planned, nurse, doctor, site, other_site, case
):
    bed, chosen, code = _refusals(site, doctor, nurse, other_site)[case]()
    data = {"plan_id": planned.pk, "admitted_at": timezone.now().isoformat(), "weight_kg": 70}
    data |= {"bed_id": bed.pk, "doctor_id": chosen.pk}
    response = client_for(nurse).post("/api/stays/", data, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == code
    assert not Stay.objects.filter(plan=planned).exists()


@pytest.mark.parametrize("case", ["occupied bed", "a nurse as doctor", "doctor at capacity"])
def test_the_form_refuses_a_bed_or_doctor_that_cannot_take_the_patient(
    client_for, planned, nurse, doctor, site, other_site, case
):
    bed, chosen, _code = _refusals(site, doctor, nurse, other_site)[case]()
    data = {"admitted_at": timezone.localtime().strftime(FORM_TIME), "weight_kg": "70"}
    data |= {"bed": bed.pk, "doctor": chosen.pk}
    response = client_for(nurse).post(f"/stays/admit/{planned.pk}/", data)
    assert response.status_code == 200 and b'class="refusal"' in response.content
    assert not Stay.objects.filter(plan=planned).exists()


def test_the_form_does_not_take_a_bed_of_another_site(
    client_for, planned, nurse, doctor, other_site
):
    data = {"admitted_at": timezone.localtime().strftime(FORM_TIME), "weight_kg": "70"}
    data |= {"bed": make_bed(other_site).pk, "doctor": doctor.pk}
    response = client_for(nurse).post(f"/stays/admit/{planned.pk}/", data)
    assert response.status_code == 200 and "valid choice" in response.content.decode()
    assert not Stay.objects.exists()


def test_the_form_offers_free_beds_marked_accessible_and_doctors_with_their_load(
    client_for, planned, nurse, doctor, second_doctor, site
):
    taken = _occupied_bed(site, doctor)
    _fill(doctor, 2)
    free = make_bed(site, accessible=True)
    page = client_for(nurse).get(f"/stays/admit/{planned.pk}/").content.decode()
    assert f'value="{free.pk}"' in page and f"{free}, ♿ accessible" in page
    assert str(taken) not in page
    assert "Dr Dan Doctor (3/4)" in page and "Dr Dora Doctor (0/4)" in page


def test_a_capacity_of_3_is_enforced(planned, nurse, doctor, manager, site):
    set_doctor_capacity(site, doctor, manager, max_patients=3)
    _fill(doctor, 3)
    with pytest.raises(Refused) as refused:
        _admit_now(planned, nurse, make_bed(site), doctor)
    assert refused.value.code == "doctor_at_capacity" and "at most 3" in refused.value.message
    assert not Stay.objects.filter(plan=planned).exists()


def test_a_discharged_patient_frees_the_bed_and_the_doctors_place(planned, nurse, doctor, site):
    _fill(doctor, 3)
    bed = _occupied_bed(site, doctor)  # the doctor's 4th patient
    Stay.objects.filter(bed=bed).update(discharged_at=timezone.now())
    stay = admit_patient(
        planned, nurse, admitted_at=timezone.now(), bed=bed, doctor=doctor, weight_kg=70.0
    )
    assert stay.bed == bed and stay.doctor == doctor


def test_the_database_refuses_two_open_stays_in_one_bed(planned, nurse, doctor, site):
    from django.db import IntegrityError

    bed = _occupied_bed(site, doctor)
    with pytest.raises(IntegrityError):
        make_stay(planned, nurse, bed=bed)


# --- assigning another doctor, moving to another bed -----------------------------------


@pytest.fixture
def stay(planned, nurse):
    return make_stay(planned, nurse, admitted_at=timezone.now() - dt.timedelta(hours=1))


def test_a_coordinator_assigns_another_doctor_with_room(stay, coordinator, second_doctor):
    assert assign_doctor(stay, coordinator, second_doctor).doctor == second_doctor
    stay.refresh_from_db()
    assert stay.doctor == second_doctor
    assert stay.history.first().history_user == coordinator


def test_assigning_a_doctor_over_capacity_is_refused(stay, coordinator, doctor, second_doctor):
    _fill(second_doctor, 4)
    with pytest.raises(Refused) as refused:
        assign_doctor(stay, coordinator, second_doctor)
    assert refused.value.code == "doctor_at_capacity"
    stay.refresh_from_db()
    assert stay.doctor == doctor


def test_a_nurse_may_not_assign_the_doctor(stay, nurse, second_doctor):
    with pytest.raises(NotAllowed):
        assign_doctor(stay, nurse, second_doctor)


def test_the_api_and_the_stay_page_assign_a_doctor_within_capacity(
    client_for, stay, manager, doctor, second_doctor
):
    client = client_for(manager)
    _fill(second_doctor, 4)
    url = f"/api/stays/{stay.pk}/doctor"
    response = client.post(url, {"doctor_id": second_doctor.pk}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "doctor_at_capacity"
    Stay.objects.filter(doctor=second_doctor).update(discharged_at=timezone.now())
    response = client.post(url, {"doctor_id": second_doctor.pk}, content_type="application/json")
    assert response.status_code == 200 and response.json()["doctor_id"] == second_doctor.pk
    page = client.post(f"/stays/{stay.pk}/doctor/", {"doctor": doctor.pk}, follow=True)
    assert "Doctor assigned." in page.content.decode()
    stay.refresh_from_db()
    assert stay.doctor == doctor


def test_a_nurse_moves_the_patient_to_a_free_bed_not_an_occupied_one(
    client_for, stay, nurse, doctor, site
):
    client = client_for(nurse)
    taken, free = _occupied_bed(site, doctor), make_bed(site)
    page = client.post(f"/stays/{stay.pk}/bed/", {"bed": taken.pk}, follow=True)
    assert "Another patient is in this bed." in page.content.decode()
    url = f"/api/stays/{stay.pk}/bed"
    response = client.post(url, {"bed_id": taken.pk}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "bed_occupied"
    response = client.post(url, {"bed_id": free.pk}, content_type="application/json")
    assert response.status_code == 200 and response.json()["bed_id"] == free.pk
    with pytest.raises(Refused) as refused:
        move_bed(stay, nurse, free)
    assert refused.value.code == "same_bed"


def test_the_stay_page_shows_the_bed_and_doctor_and_offers_the_changes(client_for, stay, doctor):
    page = client_for(doctor).get(f"/stays/{stay.pk}/").content.decode()
    assert str(stay.bed) in page and "Dan Doctor" in page
    assert "Assign doctor" in page and "Move to this bed" in page


# --- the ward board ----------------------------------------------------------------------


def test_the_board_shows_beds_loads_and_the_planned_admissions_to_come(
    client_for, planned, manager, doctor, second_doctor, site, other_site, other_site_doctor
):
    stay = make_stay(planned, doctor, doctor=doctor)  # planned discharge in 5 days
    set_doctor_capacity(site, doctor, manager, max_patients=1)
    _fill(doctor, 1)  # 2 patients, at most 1: overloaded
    free = make_bed(site, accessible=True)
    coming = make_plan(make_patient(site), doctor, admission=timezone.localdate() + dt.timedelta(3))
    make_stay(make_plan(make_patient(other_site), other_site_doctor), other_site_doctor)
    page = client_for(manager).get("/stays/board/").content.decode()
    assert stay.patient.code in page and free.label in page and "♿ accessible" in page
    assert "1 free bed" in page
    assert "Dr Dan Doctor" in page and "Dr Dora Doctor" in page
    assert 'title="over capacity">2</span>' in page
    assert coming.patient.code in page and "Planned, not admitted yet" in page
    assert "Omar" not in page and other_site.name not in page


def test_the_board_and_the_managers_glance_flag_days_beyond_the_doctors_capacity(
    client_for, manager, doctor, second_doctor, site
):
    for doctor_ in (doctor, second_doctor):
        set_doctor_capacity(site, doctor_, manager, max_patients=1)
    arrival = timezone.localdate() + dt.timedelta(days=2)
    plans = [make_plan(make_patient(site), doctor, admission=arrival) for _ in range(3)]
    cancelled = make_plan(make_patient(site), doctor, admission=arrival)
    cancel_plan(cancelled, doctor, reason="The patient chose another clinic.")
    board = client_for(manager).get("/stays/board/").content.decode()
    assert 'title="more patients than the doctors may attend">1</span>' in board
    assert all(plan.patient.code in board for plan in plans)
    assert cancelled.patient.code not in board
    glance = client_for(manager).get("/dashboard/").content.decode()
    assert f"{arrival:%a} {arrival.day} {arrival:%b} (1 too many)" in glance


def test_the_ward_page_links_the_board(client_for, nurse, catalog):
    assert "/stays/board/" in client_for(nurse).get("/stays/").content.decode()


# --- a miss names nobody: ids of other sites' people and beds tell nothing -------------------

NO_DOCTOR = "No doctor with this id works at this site."
NO_BED = "No bed with this id at this site."


@pytest.fixture
def stranger(other_site):
    """A patient's portal account at another site: nobody here may learn their name."""
    from celltrace.accounts.models import Role, User

    return User.objects.create_user(
        "penny.portal", role=Role.PATIENT, site=other_site, first_name="Penny", last_name="Secret"
    )


def test_the_actions_refuse_another_sites_user_as_doctor_without_naming_them(
    stay, nurse, doctor, coordinator, site, stranger
):
    waiting = make_plan(make_patient(site), doctor, admission=timezone.localdate())
    for act in (
        lambda: _admit_now(waiting, nurse, make_bed(site), stranger),
        lambda: assign_doctor(stay, coordinator, stranger),
    ):
        with pytest.raises(Refused) as refused:
            act()
        assert refused.value.message == NO_DOCTOR and refused.value.params == {}
        assert "Secret" not in str(refused.value.as_dict())
    stay.refresh_from_db()
    assert stay.doctor != stranger and not Stay.objects.filter(plan=waiting).exists()


def test_the_api_answers_every_unknown_doctor_alike_without_a_name(
    client_for, stay, coordinator, stranger, other_site_doctor, nurse
):
    client = client_for(coordinator)
    url = f"/api/stays/{stay.pk}/doctor"
    answers = []
    for doctor_id in (stranger.pk, other_site_doctor.pk, nurse.pk, 10**9):
        response = client.post(url, {"doctor_id": doctor_id}, content_type="application/json")
        assert response.status_code == 422
        answers.append(response.json())
    assert all(answer == answers[0] for answer in answers)
    assert answers[0]["detail"] == NO_DOCTOR and answers[0]["params"] == {}
    assert "Secret" not in str(answers) and "Omar" not in str(answers)


def test_the_api_admission_names_no_doctor_of_another_site(
    client_for, planned, nurse, site, stranger
):
    data = {"plan_id": planned.pk, "admitted_at": timezone.now().isoformat(), "weight_kg": 70}
    data |= {"bed_id": make_bed(site).pk}
    client = client_for(nurse)
    answers = [
        client.post("/api/stays/", data | {"doctor_id": doctor_id}, content_type="application/json")
        for doctor_id in (stranger.pk, 10**9)
    ]
    assert [answer.status_code for answer in answers] == [422, 422]
    assert answers[0].json() == answers[1].json()
    assert answers[0].json()["detail"] == NO_DOCTOR and "Secret" not in answers[0].content.decode()
    assert not Stay.objects.filter(plan=planned).exists()


def test_a_bed_of_another_site_is_answered_like_no_bed_at_all(client_for, stay, nurse, other_site):
    far = make_bed(other_site)
    with pytest.raises(Refused) as refused:
        move_bed(stay, nurse, far)
    assert refused.value.message == NO_BED and refused.value.params == {}
    url = f"/api/stays/{stay.pk}/bed"
    client = client_for(nurse)
    answers = [
        client.post(url, {"bed_id": bed_id}, content_type="application/json")
        for bed_id in (far.pk, 10**9)
    ]
    assert [answer.status_code for answer in answers] == [422, 422]
    assert answers[0].json() == answers[1].json()
    assert (
        answers[0].json()["detail"] == NO_BED and str(far.room) not in answers[0].content.decode()
    )
    stay.refresh_from_db()
    assert stay.bed != far


def test_an_admission_reads_the_plan_again_so_a_cancellation_just_made_wins(
    planned, nurse, doctor, coordinator, site
):
    """The caller read the plan before a coordinator cancelled it: the admission must see it."""
    stale = type(planned).objects.get(pk=planned.pk)
    cancel_plan(planned, coordinator, reason="The patient withdrew.")
    assert stale.in_force  # what the admission was handed is out of date
    with pytest.raises(Refused) as refused:
        _admit_now(stale, nurse, make_bed(site), doctor)
    assert refused.value.code == "plan_cancelled"
    assert not Stay.objects.filter(plan=planned).exists()
