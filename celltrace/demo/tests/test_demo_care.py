"""The demo shows the ward's care and the program's services, each made by its action in time."""

import datetime as dt

from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.models import Role, User
from celltrace.care.models import DailyRound, ServiceBooking, TherapySession
from celltrace.care.queries import stays_without_round_today
from celltrace.clinical.program_services import flight_number_problem, transfer_day_problem
from celltrace.plans.models import TreatmentPlan
from celltrace.stays.models import AdverseEvent, Stay
from celltrace.web.worklists.coordinator import arrivals


def test_the_coordinator_booked_every_service_of_the_program(demo):
    bookings = ServiceBooking.objects.select_related("booked_by", "plan__patient__site")
    assert set(bookings.values_list("kind", "direction")) == {
        ("interpreter", ""),
        ("transfer", "arrival"),
        ("transfer", "departure"),
        ("meals", ""),
    }
    assert len(set(bookings.filter(kind="meals").values_list("diet", flat=True))) > 3
    for booking in bookings:
        plan = booking.plan
        assert booking.booked_by.role == Role.COORDINATOR, booking
        assert booking.booked_by.site_id == plan.patient.site_id, booking
        assert plan.status == TreatmentPlan.Status.ACTIVE, booking
        assert booking.booked_at < timezone.make_aware(
            dt.datetime.combine(plan.admission_date, dt.time())
        ), booking
        if booking.kind == "interpreter":
            assert booking.language == plan.patient.language, booking
        if booking.kind == "transfer":
            day = site_time.local_date(booking.scheduled_at, plan.patient.site)
            assert flight_number_problem(booking.flight_number) == "", booking
            assert (
                transfer_day_problem(
                    booking.direction,
                    day,
                    admission=plan.admission_date,
                    discharge=plan.discharge_date,
                )
                == ""
            ), booking
            assert booking.booked_at < booking.scheduled_at, booking


def test_every_treated_patient_has_meals_and_transfers_booked(demo):
    for stay in Stay.objects.select_related("plan"):
        booked = set(stay.plan.bookings.values_list("kind", "direction"))
        assert {("meals", ""), ("transfer", "arrival"), ("transfer", "departure")} <= booked


def test_the_coordinators_list_shows_an_arrival_still_waiting_for_its_interpreter(demo):
    waiting = []
    for coordinator in User.objects.filter(role=Role.COORDINATOR):
        today = site_time.today(coordinator.site)
        for arrival in arrivals(coordinator, today):
            if arrival.plan.in_force and "interpreter" in arrival.missing:
                waiting.append(arrival)
    assert waiting


def test_sessions_are_given_or_missed_with_a_reason_at_or_after_their_time(demo):
    now = timezone.now()
    sessions = TherapySession.objects.select_related("recorded_by", "stay")
    given, missed = sessions.filter(status="given"), sessions.filter(status="missed")
    assert given.count() > 5 * missed.count() > 0
    assert not missed.filter(missed_reason="").exists()
    assert missed.filter(missed_reason__icontains="tired after infusion").exists()
    for session in sessions.exclude(status="scheduled"):
        assert session.scheduled_for <= session.recorded_at <= now, session
        assert session.recorded_by.role == Role.NURSE, session
        assert session.recorded_by.site_id == session.stay.site_id, session
    assert not sessions.filter(scheduled_for__gt=now).exclude(status="scheduled").exists()


def test_each_stay_has_its_planned_sessions_on_the_ward_some_still_ahead(demo):
    now = timezone.now()
    for stay in Stay.objects.prefetch_related("plan__therapies", "therapy_sessions"):
        planned = sum(therapy.sessions for therapy in stay.plan.therapies.all())
        sessions = list(stay.therapy_sessions.all())
        assert len(sessions) == planned, stay
        if stay.discharged_at:  # the letter counts every session given or missed
            assert all(s.is_final for s in sessions), stay
    on_ward = TherapySession.objects.filter(stay__discharged_at__isnull=True)
    assert on_ward.filter(status="scheduled", scheduled_for__gt=now).exists()


def test_the_attending_doctor_saw_each_discharged_patient_every_day(demo):
    for stay in Stay.objects.filter(discharged_at__isnull=False).prefetch_related("rounds"):
        first, last = timezone.localdate(stay.admitted_at), timezone.localdate(stay.discharged_at)
        days = {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}
        rounds = list(stay.rounds.all())
        assert {timezone.localdate(r.taken_at) for r in rounds} == days, stay
        assert len(rounds) == len(days), stay
        for daily_round in rounds:
            assert daily_round.doctor_id == stay.doctor_id, daily_round
            assert stay.admitted_at < daily_round.taken_at < stay.discharged_at, daily_round
            assert daily_round.plan_for_day and 0 <= daily_round.pain_nrs <= 10, daily_round


def test_a_patient_on_the_ward_has_had_no_round_today(demo):
    on_ward = Stay.objects.filter(discharged_at__isnull=True)
    assert on_ward.exists()
    assert stays_without_round_today(on_ward)
    assert DailyRound.objects.filter(stay__in=on_ward).exists()


def test_one_plan_was_amended_before_admission_and_the_stay_follows_the_new_version(demo):
    amended = TreatmentPlan.objects.get(version=2)
    first = amended.supersedes
    assert first.version == 1 and first.status == TreatmentPlan.Status.SUPERSEDED
    assert amended.status == TreatmentPlan.Status.ACTIVE and amended.amendment_reason
    assert amended.weight_kg != first.weight_kg
    assert amended.signature.doctor.role == Role.DOCTOR
    assert amended.quote_acceptance is not None
    assert first.created_at < amended.created_at < amended.stay.admitted_at
    assert not Stay.objects.filter(plan=first).exists()
    assert not first.bookings.exists() and amended.bookings.exists()
    assert amended.stay.weight_kg == amended.weight_kg


def test_one_planned_patient_had_the_plan_cancelled_by_the_coordinator(demo):
    cancelled = TreatmentPlan.objects.get(status=TreatmentPlan.Status.CANCELLED)
    assert cancelled.cancellation_reason
    assert cancelled.cancelled_by.role == Role.COORDINATOR
    assert cancelled.created_at < cancelled.cancelled_at <= timezone.now()
    assert not Stay.objects.filter(plan=cancelled).exists()
    assert not cancelled.bookings.exists() and not cancelled.lots.exists()


def test_side_effects_name_their_lot_and_some_are_resolved_later_by_an_update(demo):
    events = AdverseEvent.objects.select_related("administration")
    assert events.exists()
    for event in events:
        assert event.administration is not None, event
        assert event.lot_id == event.administration.lot_id, event
        assert event.resolved_at is None or event.onset_at < event.resolved_at, event
    updated = [e for e in events if e.history.count() > 1]
    assert updated
    for event in updated:
        outcomes = list(event.history.order_by("history_id").values_list("outcome", flat=True))
        assert outcomes[0] == "not_recovered" and outcomes[-1] == "recovered", event
    followed = [e for e in updated if e.history.count() > 2]
    assert followed
    assert "recovering" in followed[0].history.values_list("outcome", flat=True)


def test_the_history_names_who_did_each_piece_of_care(demo):
    for booking in ServiceBooking.objects.all():
        assert booking.history.earliest("history_id").history_user_id == booking.booked_by_id
    for daily_round in DailyRound.objects.all():
        assert daily_round.history.get().history_user_id == daily_round.doctor_id
    for session in TherapySession.objects.exclude(status="scheduled"):
        assert session.history.latest("history_id").history_user_id == session.recorded_by_id
