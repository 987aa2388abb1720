"""Writes of ward care and the program's services: rounds, therapy sessions, bookings."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from celltrace.accounts import site_time
from celltrace.accounts.access import check_actor
from celltrace.audit import save_by
from celltrace.care import access, queries
from celltrace.care.models import DailyRound, ServiceBooking, TherapySession
from celltrace.clinical import program_services
from celltrace.clinical.administration import VitalSigns, vital_sign_problems
from celltrace.clinical.rounds import pain_problem, taken_at_problem
from celltrace.clinical.therapy_schedule import TherapyCourse, spread_sessions
from celltrace.plans.models import TreatmentPlan
from celltrace.plans.standing import require_in_force
from celltrace.refusal import Refused
from celltrace.stays.models import Stay


def _open_stay(stay: Stay, doing: str) -> Stay:
    """Lock and return the stay, or refuse when the patient has left the ward."""
    stays = Stay.objects.select_related("site", "plan", "patient").select_for_update(of=("self",))
    stay = stays.get(pk=stay.pk)
    if not stay.is_open:
        raise Refused(
            f"The patient was discharged on {stay.discharged_at:%Y-%m-%d}: "
            f"you cannot {doing} any more.",
            code="stay_closed",
            params={"on": f"{stay.discharged_at:%Y-%m-%d}"},
        )
    return stay


def _refuse_if(errors: dict[str, str], message: str) -> None:
    if errors:
        raise Refused(message, code="invalid", field_errors=errors)


def _too_long(errors: dict, model, **values: str) -> None:
    for field, value in values.items():
        limit = model._meta.get_field(field).max_length
        if len(value) > limit:
            errors[field] = f"At most {limit} characters."


# Daily rounds -------------------------------------------------------------------------


@transaction.atomic
def record_round(
    stay: Stay,
    doctor,
    *,
    taken_at: dt.datetime,
    temperature_c: float,
    heart_rate: int,
    systolic_bp: int,
    diastolic_bp: int,
    spo2: int,
    pain_nrs: int,
    neuro_status: str,
    neuro_notes: str = "",
    notes: str = "",
    plan_for_day: str = "",
) -> DailyRound:
    """Record the doctor's daily check-up of a patient on the ward."""
    check_actor(doctor, access.ROUNDS, "record a daily round", site_id=stay.site_id)
    stay = _open_stay(stay, "record a round")
    vitals = VitalSigns(temperature_c, heart_rate, systolic_bp, diastolic_bp, spo2)
    errors = vital_sign_problems(vitals)
    if problem := pain_problem(pain_nrs):
        errors["pain_nrs"] = problem
    if neuro_status not in DailyRound.NeuroStatus.values:
        errors["neuro_status"] = "Choose the neurological status."
    if problem := taken_at_problem(taken_at, admitted_at=stay.admitted_at, now=timezone.now()):
        errors["taken_at"] = problem
    _refuse_if(errors, "The round is not recorded: check the marked fields.")
    daily_round = DailyRound(
        stay=stay,
        doctor=doctor,
        taken_at=taken_at,
        temperature_c=temperature_c,
        heart_rate=heart_rate,
        systolic_bp=systolic_bp,
        diastolic_bp=diastolic_bp,
        spo2=spo2,
        pain_nrs=int(pain_nrs),
        neuro_status=neuro_status,
        neuro_notes=neuro_notes.strip(),
        notes=notes.strip(),
        plan_for_day=plan_for_day.strip(),
    )
    return save_by(daily_round, doctor)


# Therapy sessions ---------------------------------------------------------------------


@transaction.atomic
def schedule_therapy_sessions(stay: Stay, user) -> list[TherapySession]:
    """Spread the plan's complementary therapy sessions over the rest of the stay, once."""
    check_actor(user, access.SCHEDULE_THERAPY, "schedule therapy sessions", site_id=stay.site_id)
    stay = _open_stay(stay, "schedule therapy sessions")
    if stay.therapy_sessions.exists():
        raise Refused(
            "The therapy sessions of this stay are already scheduled: move a session instead.",
            code="already_scheduled",
        )
    therapies = {t.pk: t for t in stay.plan.therapies.select_related("therapy").order_by("pk")}
    if not therapies:
        raise Refused("The plan has no complementary therapy to schedule.", code="no_therapies")
    site, now = stay.site, timezone.now()
    local_now = timezone.localtime(now, site_time.zone(site))
    schedule = spread_sessions(
        [TherapyCourse(pk, str(t.therapy), t.sessions) for pk, t in therapies.items()],
        first_day=local_now.date(),
        last_day=stay.plan.discharge_date,
        arrival=local_now.time(),
        arrival_day=local_now.date() == site_time.local_date(stay.admitted_at, site),
    )
    if schedule.unplaced:
        missing = "; ".join(
            f"{count} of {therapies[pk].therapy}" for pk, count in schedule.unplaced.items()
        )
        raise Refused(
            f"Not every session fits in the rest of the stay (at most 2 of a therapy and "
            f"4 sessions a day): {missing} left over. Change the plan or the discharge date.",
            code="sessions_do_not_fit",
            params={"left_over": missing},
        )
    return [
        save_by(
            TherapySession(
                stay=stay,
                planned_therapy=therapies[placed.key],
                scheduled_for=site_time.at(placed.starts_at.date(), placed.starts_at.time(), site),
            ),
            user,
        )
        for placed in schedule.sessions
    ]


def _open_session(session: TherapySession) -> TherapySession:
    sessions = TherapySession.objects.select_related("stay__site", "stay__plan")
    session = sessions.select_for_update(of=("self",)).get(pk=session.pk)
    if session.is_final:
        raise Refused(
            f"This session is already recorded as {session.get_status_display().lower()}: "
            "it cannot change.",
            code="session_final",
            params={"status": session.status},
        )
    return session


@transaction.atomic
def reschedule_session(
    session: TherapySession,
    user,
    *,
    scheduled_for: dt.datetime,
    therapist: str = "",
    room: str = "",
) -> TherapySession:
    """Move a scheduled session to another time, therapist or room within the stay."""
    site_id = session.stay.site_id
    check_actor(user, access.SCHEDULE_THERAPY, "reschedule a therapy session", site_id=site_id)
    session = _open_session(session)
    stay = _open_stay(session.stay, "reschedule a therapy session")
    errors = {}
    therapist, room = therapist.strip(), room.strip()
    _too_long(errors, TherapySession, therapist=therapist, room=room)
    last_day = stay.plan.discharge_date
    if scheduled_for < timezone.now():
        errors["scheduled_for"] = "The new time has passed."
    elif site_time.local_date(scheduled_for, stay.site) > last_day:
        errors["scheduled_for"] = f"The new time is after the planned discharge ({last_day})."
    _refuse_if(errors, "The session is not moved: check the marked fields.")
    session.scheduled_for = scheduled_for
    session.therapist = therapist
    session.room = room
    return save_by(session, user)


MARKS = (TherapySession.Status.GIVEN, TherapySession.Status.MISSED)


def _after_discharge(session: TherapySession) -> bool:
    discharged_at = session.stay.discharged_at
    return discharged_at is not None and session.scheduled_for > discharged_at


@transaction.atomic
def mark_session(session: TherapySession, user, *, status: str, reason: str = ""):
    """Record that a session was given, or missed and why; the record is final."""
    check_actor(user, access.MARK_THERAPY, "record a therapy session", site_id=session.stay.site_id)
    session = _open_session(session)
    reason, now = reason.strip(), timezone.now()
    errors = {}
    if status not in MARKS:
        errors["status"] = "Choose given or missed."
    elif status == TherapySession.Status.MISSED and not reason:
        errors["reason"] = "Say why the session was missed."
    elif status == TherapySession.Status.GIVEN and session.scheduled_for > now:
        when = timezone.localtime(session.scheduled_for, site_time.zone(session.stay.site))
        errors["status"] = (
            f"The session is scheduled for {when:%Y-%m-%d %H:%M}: it cannot have been given yet."
        )
    elif status == TherapySession.Status.GIVEN and _after_discharge(session):
        errors["status"] = "The patient was discharged before this session: it was not given."
    _refuse_if(errors, "The session is not recorded: check the marked fields.")
    session.status = status
    session.missed_reason = reason if status == TherapySession.Status.MISSED else ""
    session.recorded_by = user
    session.recorded_at = now
    return save_by(session, user)


# Program services ---------------------------------------------------------------------


def _check_may_act(plan: TreatmentPlan, user) -> TreatmentPlan:
    check_actor(user, access.BOOK_SERVICES, "book a program service", site_id=plan.patient.site_id)
    plans = TreatmentPlan.objects.select_related("patient__site")
    plan = plans.select_for_update(of=("self",)).get(pk=plan.pk)
    # Only the version in force is booked on, and its days judge a transfer's day.
    require_in_force(plan, "book a program service")
    if plan.discharge_date < site_time.today(plan.patient.site):
        raise Refused(
            f"The stay of this plan ended on {plan.discharge_date}: nothing more can be booked.",
            code="plan_over",
            params={"discharge_date": plan.discharge_date},
        )
    return plan


def _save_booking(booking: ServiceBooking, user) -> ServiceBooking:
    """Save a new booking unless one of the same kind (and direction) is already active."""
    # Any version's booking counts: the bookings of a plan survive its amendments.
    same = queries.of_plan(ServiceBooking.objects, booking.plan).filter(
        kind=booking.kind, direction=booking.direction, status="active"
    )
    if same.exists():
        what = {
            ServiceBooking.Kind.INTERPRETER: "An interpreter is",
            ServiceBooking.Kind.MEALS: "Meals are",
        }.get(booking.kind, f"An {booking.direction} transfer is")
        raise Refused(
            f"{what} already booked for this plan: cancel the booking first to book again.",
            code="already_booked",
            params={"kind": booking.kind, "direction": booking.direction},
        )
    try:
        with transaction.atomic():
            return save_by(booking, user)
    except IntegrityError:
        raise Refused(
            "This service is already booked for this plan.", code="already_booked"
        ) from None


@transaction.atomic
def book_interpreter(plan: TreatmentPlan, user, *, language: str = "", notes: str = ""):
    """Book an interpreter for the stay, in the patient's language unless told otherwise."""
    plan = _check_may_act(plan, user)
    language = language.strip() or plan.patient.language.strip()
    errors = {}
    if not language:
        errors["language"] = "Name the language to interpret."
    _too_long(errors, ServiceBooking, language=language)
    _refuse_if(errors, "The interpreter is not booked: check the marked fields.")
    booking = ServiceBooking(
        plan=plan,
        kind=ServiceBooking.Kind.INTERPRETER,
        language=language,
        notes=notes.strip(),
        booked_by=user,
    )
    return _save_booking(booking, user)


@transaction.atomic
def book_transfer(
    plan: TreatmentPlan,
    user,
    *,
    direction: str,
    flight_number: str,
    scheduled_at: dt.datetime,
    pickup_place: str,
    notes: str = "",
) -> ServiceBooking:
    """Book the driver between the airport and the clinic for the arrival or the departure."""
    plan = _check_may_act(plan, user)
    errors = {}
    pickup_place = pickup_place.strip()
    if direction not in ServiceBooking.Direction.values:
        errors["direction"] = "Choose arrival or departure."
    if problem := program_services.flight_number_problem(flight_number):
        errors["flight_number"] = problem
    if scheduled_at < timezone.now():
        errors["scheduled_at"] = "The transfer time has passed."
    elif "direction" not in errors:
        day = site_time.local_date(scheduled_at, plan.patient.site)
        if problem := program_services.transfer_day_problem(
            direction, day, admission=plan.admission_date, discharge=plan.discharge_date
        ):
            errors["scheduled_at"] = problem
    if not pickup_place:
        errors["pickup_place"] = "Say where the driver picks the patient up."
    _too_long(errors, ServiceBooking, pickup_place=pickup_place)
    _refuse_if(errors, "The transfer is not booked: check the marked fields.")
    booking = ServiceBooking(
        plan=plan,
        kind=ServiceBooking.Kind.TRANSFER,
        direction=direction,
        flight_number=program_services.normalize_flight_number(flight_number),
        scheduled_at=scheduled_at,
        pickup_place=pickup_place,
        notes=notes.strip(),
        booked_by=user,
    )
    return _save_booking(booking, user)


@transaction.atomic
def book_meals(plan: TreatmentPlan, user, *, diet: str, notes: str = "") -> ServiceBooking:
    """Book the stay's meals with the patient's diet."""
    plan = _check_may_act(plan, user)
    notes, errors = notes.strip(), {}
    if diet not in ServiceBooking.Diet.values:
        errors["diet"] = "Choose the diet."
    elif diet == ServiceBooking.Diet.OTHER and not notes:
        errors["notes"] = "Describe the diet in the notes."
    _refuse_if(errors, "The meals are not booked: check the marked fields.")
    booking = ServiceBooking(
        plan=plan, kind=ServiceBooking.Kind.MEALS, diet=diet, notes=notes, booked_by=user
    )
    return _save_booking(booking, user)


@transaction.atomic
def cancel_booking(booking: ServiceBooking, user, *, reason: str) -> ServiceBooking:
    """Cancel a booked service, saying why; the booking stays on record."""
    site_id = booking.plan.patient.site_id
    check_actor(user, access.BOOK_SERVICES, "cancel a program service", site_id=site_id)
    booking = ServiceBooking.objects.select_for_update().get(pk=booking.pk)
    if not booking.is_active:
        raise Refused("This booking is already cancelled.", code="already_cancelled")
    if not reason.strip():
        raise Refused(
            "Say why the booking is cancelled.",
            code="invalid",
            field_errors={"reason": "Say why the booking is cancelled."},
        )
    booking.status = ServiceBooking.Status.CANCELLED
    booking.cancel_reason = reason.strip()
    booking.cancelled_by = user
    booking.cancelled_at = timezone.now()
    return save_by(booking, user)
