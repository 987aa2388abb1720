"""Each plan version tells the patient its quote is ready; a near admission is reminded once."""

import datetime as dt

from django.utils import timezone

from celltrace.outbox.models import Message
from celltrace.plans.actions import amend_plan, cancel_plan, create_plan
from celltrace.plans.notices import remind_admissions
from testkit import PASSWORD
from testkit.journey import make_plan, plan_request


def test_a_new_plan_sends_its_quote_to_the_patient_in_their_language(
    eligible_patient, doctor, plan_input
):
    eligible_patient.preferred_language = "ru"
    eligible_patient.save()
    plan = create_plan(eligible_patient, doctor, plan_request(plan_input), password=PASSWORD)
    message = Message.objects.get(kind="quote_ready")
    assert (message.patient, message.language, message.about_id) == (
        eligible_patient,
        "ru",
        plan.pk,
    )
    assert message.subject == "Ваш план лечения и смета готовы"
    assert plan.price(plan.quote_total) in message.body


def test_an_amended_plan_sends_its_new_quote(eligible_patient, doctor, plan_input):
    plan = create_plan(eligible_patient, doctor, plan_request(plan_input), password=PASSWORD)
    plan_input["weight_kg"] = 75.0
    new = amend_plan(
        plan, doctor, plan_request(plan_input), reason="Weighed again.", password=PASSWORD
    )
    quotes = Message.objects.filter(kind="quote_ready").order_by("pk")
    assert [m.about_id for m in quotes] == [plan.pk, new.pk]
    assert "version 2, which replaces the earlier one" in quotes[1].body


def test_an_admission_three_days_ahead_is_reminded_once(eligible_patient, doctor):
    plan = make_plan(eligible_patient, doctor, admission=timezone.localdate() + dt.timedelta(3))
    assert remind_admissions() == 1
    assert remind_admissions() == 1  # the sweep runs every minute: still one message
    message = Message.objects.get(kind="admission_reminder")
    assert (message.patient, message.about_id) == (eligible_patient, plan.pk)
    assert str(plan.admission_date) in message.subject


def test_no_reminder_too_early_nor_for_a_cancelled_plan(eligible_patient, doctor, time_machine):
    far = make_plan(eligible_patient, doctor, admission=timezone.localdate() + dt.timedelta(4))
    assert remind_admissions() == 0  # four days ahead: not yet
    cancel_plan(far, doctor, reason="The patient postponed.")
    time_machine.move_to(timezone.now() + dt.timedelta(days=2))
    assert remind_admissions() == 0
    assert not Message.objects.filter(kind="admission_reminder").exists()


def test_a_patient_who_declines_reminders_has_the_reminder_logged_not_sent(
    eligible_patient, doctor
):
    eligible_patient.declines_reminders = True
    eligible_patient.save()
    make_plan(eligible_patient, doctor, admission=timezone.localdate())
    remind_admissions()
    assert Message.objects.get(kind="admission_reminder").status == "withheld"
