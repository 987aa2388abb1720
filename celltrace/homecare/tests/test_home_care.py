"""Discharge dates the plan's home care; the patient confirms or skips each dose; the
coordinator sees the missed ones; the patient is reminded the evening before."""

import datetime as dt

import pytest
from django.urls import reverse

from celltrace.followup.models import FollowUpItem
from celltrace.homecare.actions import confirm_dose, record_phoned_dose, skip_dose
from celltrace.homecare.models import HomeCareDose
from celltrace.homecare.notices import remind_home_care
from celltrace.homecare.tests.conftest import FIRST_DOSE, at, discharge
from celltrace.outbox.models import Message
from celltrace.refusal import NotAllowed, Refused
from testkit.signin import sign_in


def test_discharge_dates_every_dose_the_plan_holds_and_no_generic_home_care(discharged):
    doses = list(discharged.home_doses.all())
    spray = [d for d in doses if d.product]
    assert [d.day for d in spray][:2] == [FIRST_DOSE, FIRST_DOSE + dt.timedelta(days=3)]
    assert (len(spray), spray[0].of, spray[0].amount) == (11, 11, 1.0e9 * 70.0)
    assert spray[0].dose_text == "7.0 × 10¹⁰ particles"
    (guidance,) = [d for d in doses if not d.product]
    assert (guidance.what, guidance.day) == ("Paracetamol 500 mg", dt.date(2026, 3, 9))
    assert not FollowUpItem.objects.filter(kind="home_care").exists()
    assert spray[0].history.first().history_user == discharged.discharged_by


def test_a_plan_without_home_care_schedules_none(catalog, site, doctor, nurse):
    stay = discharge(site, doctor, nurse, with_home_care=False)
    assert not stay.home_doses.exists()
    assert set(stay.follow_up.values_list("kind", flat=True)) == {"checkup"}


def test_the_patient_confirms_a_dose_due_today_and_it_records_who_and_when(
    discharged, patient_user, time_machine
):
    time_machine.move_to(at(FIRST_DOSE), tick=False)
    dose = discharged.home_doses.get(day=FIRST_DOSE)
    confirmed = confirm_dose(dose, patient_user)
    assert (confirmed.status, confirmed.answered_by) == ("taken", patient_user)
    assert confirmed.answered_at == at(FIRST_DOSE)
    with pytest.raises(Refused, match="already recorded as taken"):
        confirm_dose(dose, patient_user)


def test_a_dose_cannot_be_confirmed_before_its_day(discharged, patient_user, time_machine):
    time_machine.move_to(at(FIRST_DOSE - dt.timedelta(days=1)), tick=False)
    with pytest.raises(Refused, match="confirm it once you have taken it"):
        confirm_dose(discharged.home_doses.get(day=FIRST_DOSE), patient_user)


def test_a_patient_cannot_answer_for_another_patients_dose(
    discharged, patient_user, catalog, site, doctor, nurse, client, time_machine
):
    other = discharge(site, doctor, nurse).home_doses.filter(product__isnull=False).first()
    time_machine.move_to(at(FIRST_DOSE), tick=False)
    with pytest.raises(NotAllowed):
        confirm_dose(other, patient_user)
    sign_in(client, patient_user)
    response = client.post(reverse("homecare:confirm", args=[other.pk]))
    assert response.status_code == 404
    assert HomeCareDose.objects.get(pk=other.pk).status == "planned"


def test_a_skipped_dose_needs_a_reason_and_may_be_announced_two_days_ahead(
    discharged, patient_user, time_machine
):
    time_machine.move_to(at(FIRST_DOSE - dt.timedelta(days=2)), tick=False)
    dose = discharged.home_doses.get(day=FIRST_DOSE)
    with pytest.raises(Refused, match="why the dose was not taken"):
        skip_dose(dose, patient_user, reason=" ")
    later = discharged.home_doses.get(day=FIRST_DOSE + dt.timedelta(days=3))
    with pytest.raises(Refused, match="at most 2 days ahead"):
        skip_dose(later, patient_user, reason="Flying home.")
    skipped = skip_dose(dose, patient_user, reason="Flying home that day.")
    assert (skipped.status, skipped.skip_reason) == ("skipped", "Flying home that day.")


def test_the_calendar_shows_the_doses_by_week_and_confirms_through_the_button(
    discharged, patient_user, client, time_machine
):
    time_machine.move_to(at(FIRST_DOSE), tick=False)
    sign_in(client, patient_user)
    page = client.get(reverse("homecare:mine")).content.decode()
    assert "Week 1 after you went home" in page and "Week 5 after you went home" in page
    assert "One puff in each nostril after breakfast." in page
    assert page.count("I took this dose</button>") == 1  # only today's dose; none ahead of its day
    dose = discharged.home_doses.get(day=FIRST_DOSE)
    response = client.post(reverse("homecare:confirm", args=[dose.pk]), follow=True)
    assert "recorded as taken" in response.content.decode()
    assert HomeCareDose.objects.get(pk=dose.pk).status == "taken"


def test_a_dose_unconfirmed_by_the_end_of_the_next_day_is_missed_for_the_coordinator(
    discharged, patient_user, coordinator, client, time_machine
):
    sign_in(client, coordinator)
    dose = discharged.home_doses.get(day=FIRST_DOSE)
    time_machine.move_to(at(FIRST_DOSE + dt.timedelta(days=1)), tick=False)
    assert (
        discharged.patient.full_name not in client.get(reverse("homecare:missed")).content.decode()
    )
    time_machine.move_to(at(FIRST_DOSE + dt.timedelta(days=2)), tick=False)
    page = client.get(reverse("homecare:missed")).content.decode()
    assert discharged.patient.full_name in page and "(1 of 11)" in page
    confirm_dose(dose, patient_user)  # confirmed late: it leaves the list
    assert "(1 of 11)" not in client.get(reverse("homecare:missed")).content.decode()
    patient_page = client.get(discharged.patient.get_absolute_url()).content.decode()
    assert "Home-care doses" in patient_page and "missed" in patient_page


def test_the_reminder_goes_the_evening_before_once_with_the_days_doses(discharged, time_machine):
    patient = discharged.patient
    patient.preferred_language = "de"
    patient.save()
    eve = FIRST_DOSE - dt.timedelta(days=1)
    time_machine.move_to(at(eve, 17), tick=False)  # 17:00 UTC is 17:00 in Lisbon in March
    assert remind_home_care() == 0
    time_machine.move_to(at(eve, 18), tick=False)
    assert remind_home_care() == 1
    remind_home_care()
    (message,) = Message.objects.filter(kind="home_care_due")
    assert message.language == "de"
    assert "2026-03-05" in message.subject or "5. März 2026" in message.subject
    assert "Exosome nasal spray for home use: 7.0 × 10¹⁰ particles" in message.body


def test_staff_enter_a_dose_the_patient_reported_by_phone_with_who_and_how(
    discharged, patient_user, coordinator, nurse, client, time_machine
):
    time_machine.move_to(at(FIRST_DOSE + dt.timedelta(days=2)), tick=False)
    dose = discharged.home_doses.get(day=FIRST_DOSE)
    sign_in(client, coordinator)
    assert "(1 of 11)" in client.get(reverse("homecare:missed")).content.decode()
    page = client.post(reverse("homecare:phoned", args=[dose.pk]), {"taken": "yes"}, follow=True)
    assert "(1 of 11)" not in page.content.decode()  # recorded: no longer missed
    dose.refresh_from_db()
    assert (dose.status, dose.source, dose.answered_by) == ("taken", "phone", coordinator)
    assert dose.history.first().history_user == coordinator
    with pytest.raises(Refused, match="already recorded as taken"):
        record_phoned_dose(dose, nurse, taken=False, reason="Forgot.")
    sign_in(client, patient_user)
    assert "as you told us on the phone" in client.get(reverse("homecare:mine")).content.decode()


def test_a_phoned_answer_keeps_the_patients_rules_and_needs_a_reason_when_not_taken(
    discharged, nurse, time_machine
):
    time_machine.move_to(at(FIRST_DOSE - dt.timedelta(days=1)), tick=False)
    dose = discharged.home_doses.get(day=FIRST_DOSE)
    with pytest.raises(Refused, match="confirm it once you have taken it"):
        record_phoned_dose(dose, nurse, taken=True)
    with pytest.raises(Refused, match="why the dose was not taken"):
        record_phoned_dose(dose, nurse, taken=False, reason="")
    skipped = record_phoned_dose(dose, nurse, taken=False, reason="Fever since yesterday.")
    assert (skipped.status, skipped.skip_reason, skipped.source) == (
        "skipped",
        "Fever since yesterday.",
        "phone",
    )


def test_only_the_sites_nurses_coordinators_and_doctors_enter_phoned_doses(
    discharged, patient_user, manager, other_site_doctor, time_machine
):
    time_machine.move_to(at(FIRST_DOSE), tick=False)
    dose = discharged.home_doses.get(day=FIRST_DOSE)
    for user in (manager, patient_user, other_site_doctor):
        with pytest.raises(NotAllowed):
            record_phoned_dose(dose, user, taken=True)
    assert HomeCareDose.objects.get(pk=dose.pk).status == "planned"


def test_the_patients_own_answer_is_recorded_as_from_the_portal(
    discharged, patient_user, time_machine
):
    time_machine.move_to(at(FIRST_DOSE), tick=False)
    dose = confirm_dose(discharged.home_doses.get(day=FIRST_DOSE), patient_user)
    assert dose.source == "portal"
