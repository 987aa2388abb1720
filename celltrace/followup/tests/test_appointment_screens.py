"""The coordinator books from the follow-up screen and the API; the patient sees their own
appointments in the portal and is reminded of them, in their language."""

import datetime as dt

from celltrace.accounts.models import Role, User
from celltrace.followup.models import Appointment
from celltrace.followup.tests.test_appointments import CLOSES, OPENS, TARGET, at, book, three_months
from celltrace.outbox.models import Message
from celltrace.sweeps import run_sweeps
from celltrace.web.navigation import links_for


def portal_user_of(patient, username="pat"):
    user = User.objects.create_user(username, password="x", role=Role.PATIENT, site=patient.site)
    patient.portal_user = user
    patient.save()
    return user


def test_the_follow_up_screen_lists_an_upcoming_check_up_with_its_window_and_a_booking_link(
    client_for, coordinator, discharged, time_machine
):
    time_machine.move_to(at(dt.date(2026, 4, 10)), tick=False)  # the window opens in 21 days
    response = client_for(coordinator).get("/followup/overdue/")
    item = three_months(discharged)
    assert item in [row.item for row in response.context["upcoming"]]
    page = response.content.decode()
    assert "due between 1 May and 30 June 2026" in page
    assert f"/followup/items/{item.pk}/book/" in page


def test_a_coordinator_books_through_the_form_and_the_booking_shows_on_the_list(
    client_for, coordinator, discharged, site, time_machine
):
    site.time_zone = "Asia/Nicosia"
    site.save()
    time_machine.move_to(at(dt.date(2026, 5, 2)), tick=False)
    item = three_months(discharged)
    client = client_for(coordinator)
    form = {"day": "2026-06-03", "time": "09:15", "place": "phone", "phone": "+351 912 000 000"}
    response = client.post(f"/followup/items/{item.pk}/book/", form)
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert appointment.starts_at == dt.datetime(2026, 6, 3, 6, 15, tzinfo=dt.UTC)  # UTC+3
    page = client.get("/followup/overdue/").content.decode()
    assert "3 June 2026 09:15, phone call" in page  # the site's wall clock


def test_a_day_outside_the_window_without_a_reason_is_shown_on_the_form(
    client_for, coordinator, discharged, time_machine
):
    time_machine.move_to(at(dt.date(2026, 5, 2)), tick=False)
    item = three_months(discharged)
    form = {"day": "2026-07-10", "time": "09:15", "place": "clinic"}
    response = client_for(coordinator).post(f"/followup/items/{item.pk}/book/", form)
    assert response.status_code == 200
    assert "outside the check-up" in response.content.decode()
    assert not Appointment.objects.exists()


def test_the_coordinator_records_attendance_on_the_list_and_the_check_up_is_done(
    client_for, coordinator, discharged, time_machine
):
    time_machine.move_to(at(dt.date(2026, 5, 2)), tick=False)
    appointment = book(three_months(discharged), coordinator)
    time_machine.move_to(at(TARGET, 14), tick=False)
    client = client_for(coordinator)
    response = client.post(
        f"/followup/appointments/{appointment.pk}/outcome/", {"status": "attended"}
    )
    assert response.status_code == 302
    assert three_months(discharged).completed_at is not None


def test_the_patient_sees_their_window_and_appointment_and_nobody_elses(
    client_for, coordinator, discharged, time_machine, site, doctor, nurse
):
    from celltrace.followup.tests.conftest import discharged_patient

    time_machine.move_to(at(dt.date(2026, 5, 2)), tick=False)
    book(three_months(discharged), coordinator, place="video", link="https://meet.example.org/x1")
    other = discharged_patient(site, doctor, nurse)
    book(three_months(other), coordinator, day=dt.date(2026, 6, 20), place="clinic")
    patient_user = portal_user_of(discharged.patient)
    assert ("My appointments", "/portal/appointments/") in [
        (str(label), url) for label, url in links_for(patient_user)
    ]
    page = client_for(patient_user).get("/portal/appointments/").content.decode()
    assert "Due between 1 May and 30 June 2026." in page
    assert "Booked for Monday 1 June 2026, 10:30" in page
    assert 'href="https://meet.example.org/x1"' in page
    assert "20 June" not in page  # the other patient's booking
    assert client_for(coordinator).get("/portal/appointments/").status_code == 403


def test_booking_and_listing_through_the_api(client_for, coordinator, discharged, time_machine):
    time_machine.move_to(at(dt.date(2026, 5, 2)), tick=False)
    item = three_months(discharged)
    client = client_for(coordinator)
    url = f"/api/followup/items/{item.pk}/appointments"
    late = {"day": "2026-07-02", "time": "10:00", "place": "clinic"}
    refused = client.post(url, late, content_type="application/json")
    assert refused.status_code == 422 and "outside_window_reason" in refused.json()["errors"]
    late["outside_window_reason"] = "Surgery in June"
    booked = client.post(url, late, content_type="application/json")
    assert booked.status_code == 201 and booked.json()["outside_window"] is True
    listed = client.get("/api/followup/appointments").json()["items"]
    assert [(a["item_id"], a["window_opens"], a["window_closes"]) for a in listed] == [
        (item.pk, f"{OPENS}", f"{CLOSES}")
    ]
    patient_user = portal_user_of(discharged.patient)
    assert client_for(patient_user).get("/api/followup/appointments").json()["count"] == 1


def test_another_patient_lists_no_appointments_through_the_api(
    client_for, coordinator, discharged, time_machine, site, doctor, nurse
):
    from celltrace.followup.tests.conftest import discharged_patient

    time_machine.move_to(at(dt.date(2026, 5, 2)), tick=False)
    book(three_months(discharged), coordinator)
    stranger = portal_user_of(discharged_patient(site, doctor, nurse).patient, "other.pat")
    assert client_for(stranger).get("/api/followup/appointments").json()["items"] == []


def test_a_booked_check_up_is_reminded_by_its_appointment_days_before_in_german(
    discharged, coordinator, time_machine, site
):
    patient = discharged.patient
    patient.preferred_language = "de"
    patient.save()
    site.time_zone = "Europe/Berlin"
    site.save()
    time_machine.move_to(at(dt.date(2026, 5, 2)), tick=False)
    appointment = book(
        three_months(discharged), coordinator, place="video", link="https://v.example/1"
    )
    time_machine.move_to(at(dt.date(2026, 5, 18)), tick=False)  # two weeks before the target
    run_sweeps()
    assert not Message.objects.filter(kind="checkup_due").exists()  # the day is agreed
    time_machine.move_to(at(dt.date(2026, 5, 28)), tick=False)
    run_sweeps()
    assert not Message.objects.filter(kind="appointment_reminder").exists()
    time_machine.move_to(at(dt.date(2026, 5, 28), 23), tick=False)  # 29 May in Berlin
    run_sweeps()
    run_sweeps()
    message = Message.objects.get(kind="appointment_reminder")
    assert (message.language, message.about_id) == ("de", appointment.pk)
    assert message.subject == "Ihre Nachuntersuchung am 1. Juni 2026 um 10:30 Uhr"
    assert "Montag, 1. Juni 2026 um 10:30 Uhr" in message.body
    assert "https://v.example/1" in message.body


def test_the_reminder_reads_well_in_russian_and_english(discharged, coordinator, time_machine):
    time_machine.move_to(at(dt.date(2026, 5, 2)), tick=False)
    book(three_months(discharged), coordinator, place="phone", phone="+7 900 000 00 00")
    time_machine.move_to(at(dt.date(2026, 5, 30)), tick=False)
    run_sweeps()
    english = Message.objects.get(kind="appointment_reminder")
    assert english.subject == "Your check-up on 1 June 2026 at 10:30"
    assert "we will call you on +7 900 000 00 00" in english.body
    english.delete()
    patient = discharged.patient
    patient.preferred_language = "ru"
    patient.save()
    run_sweeps()
    russian = Message.objects.get(kind="appointment_reminder")
    assert russian.subject == "Ваш контрольный осмотр 1 июня 2026 в 10:30"
