"""API endpoints of ward care and the program's services: parse input, call the actions."""

import datetime as dt

from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from celltrace.accounts.access import RoleSession
from celltrace.care import access, actions, queries
from celltrace.care.models import DailyRound, ServiceBooking
from celltrace.schemas import AwareDatetime
from celltrace.stays.access import get_stay_for_user

router = Router(tags=["care"])


class RoundIn(Schema):
    taken_at: AwareDatetime
    # NaN and infinity are not readings: refused at parsing; the ranges by the action.
    temperature_c: float = Field(allow_inf_nan=False)
    heart_rate: int
    systolic_bp: int
    diastolic_bp: int
    spo2: int
    pain_nrs: int = Field(description="Numeric rating scale, 0 (no pain) to 10")
    neuro_status: DailyRound.NeuroStatus
    neuro_notes: str = ""
    notes: str = ""
    plan_for_day: str = ""


class RoundOut(Schema):
    id: int
    stay_id: int
    doctor_id: int
    taken_at: dt.datetime
    temperature_c: float
    heart_rate: int
    systolic_bp: int
    diastolic_bp: int
    spo2: int
    pain_nrs: int
    neuro_status: str
    neuro_notes: str
    notes: str
    plan_for_day: str


class SessionOut(Schema):
    id: int
    stay_id: int
    planned_therapy_id: int
    therapy: str = Field(alias="planned_therapy.therapy.name")
    scheduled_for: dt.datetime
    therapist: str
    room: str
    status: str
    missed_reason: str
    recorded_by_id: int | None
    recorded_at: dt.datetime | None


class RescheduleIn(Schema):
    scheduled_for: AwareDatetime
    therapist: str = ""
    room: str = ""


class MarkIn(Schema):
    status: str = Field(description="given or missed")
    reason: str = Field("", description="Why the session was missed (required when missed)")


class InterpreterIn(Schema):
    language: str = Field("", description="Empty: the patient's language")
    notes: str = ""


class TransferIn(Schema):
    direction: ServiceBooking.Direction
    flight_number: str
    scheduled_at: AwareDatetime
    pickup_place: str
    notes: str = ""


class MealsIn(Schema):
    diet: ServiceBooking.Diet
    notes: str = ""


class BookingCancelIn(Schema):
    reason: str


class BookingOut(Schema):
    id: int
    plan_id: int
    kind: str
    language: str
    direction: str
    flight_number: str
    scheduled_at: dt.datetime | None
    pickup_place: str
    diet: str
    notes: str
    status: str
    booked_by_id: int
    cancel_reason: str


class UpcomingOut(Schema):
    day: dt.date
    booking: BookingOut


@router.get("/stays/{stay_id}/rounds", response=list[RoundOut], auth=RoleSession(access.VIEW_CARE))
def list_rounds(request, stay_id: int):
    stay = get_stay_for_user(request.user, stay_id)
    return access.rounds_for_user(request.user).filter(stay=stay)


@router.post("/stays/{stay_id}/rounds", response={201: RoundOut}, auth=RoleSession(access.ROUNDS))
def record_round(request, stay_id: int, payload: RoundIn):
    stay = get_stay_for_user(request.user, stay_id)
    return Status(201, actions.record_round(stay, request.user, **payload.dict()))


@router.get(
    "/stays/{stay_id}/therapy-sessions",
    response=list[SessionOut],
    auth=RoleSession(access.VIEW_CARE),
)
def list_sessions(request, stay_id: int):
    stay = get_stay_for_user(request.user, stay_id)
    return access.therapy_sessions_for_user(request.user).filter(stay=stay)


@router.post(
    "/stays/{stay_id}/therapy-sessions",
    response={201: list[SessionOut]},
    auth=RoleSession(access.SCHEDULE_THERAPY),
)
def schedule_sessions(request, stay_id: int):
    stay = get_stay_for_user(request.user, stay_id)
    return Status(201, actions.schedule_therapy_sessions(stay, request.user))


@router.get(
    "/therapy-sessions/today", response=list[SessionOut], auth=RoleSession(access.VIEW_CARE)
)
def sessions_today(request):
    return queries.sessions_today(request.user)


@router.post(
    "/therapy-sessions/{session_id}/reschedule",
    response=SessionOut,
    auth=RoleSession(access.SCHEDULE_THERAPY),
)
def reschedule(request, session_id: int, payload: RescheduleIn):
    session = access.get_therapy_session_for_user(request.user, session_id)
    return actions.reschedule_session(session, request.user, **payload.dict())


@router.post(
    "/therapy-sessions/{session_id}/record",
    response=SessionOut,
    auth=RoleSession(access.MARK_THERAPY),
)
def mark(request, session_id: int, payload: MarkIn):
    session = access.get_therapy_session_for_user(request.user, session_id)
    return actions.mark_session(session, request.user, **payload.dict())


@router.get(
    "/plans/{plan_id}/bookings", response=list[BookingOut], auth=RoleSession(access.VIEW_SERVICES)
)
def list_bookings(request, plan_id: int):
    plan = access.get_plan_for_booking(request.user, plan_id)
    return queries.of_plan(access.bookings_for_user(request.user), plan)


@router.post(
    "/plans/{plan_id}/interpreter",
    response={201: BookingOut},
    auth=RoleSession(access.BOOK_SERVICES),
)
def book_interpreter(request, plan_id: int, payload: InterpreterIn):
    plan = access.get_plan_for_booking(request.user, plan_id)
    return Status(201, actions.book_interpreter(plan, request.user, **payload.dict()))


@router.post(
    "/plans/{plan_id}/transfers", response={201: BookingOut}, auth=RoleSession(access.BOOK_SERVICES)
)
def book_transfer(request, plan_id: int, payload: TransferIn):
    plan = access.get_plan_for_booking(request.user, plan_id)
    return Status(201, actions.book_transfer(plan, request.user, **payload.dict()))


@router.post(
    "/plans/{plan_id}/meals", response={201: BookingOut}, auth=RoleSession(access.BOOK_SERVICES)
)
def book_meals(request, plan_id: int, payload: MealsIn):
    plan = access.get_plan_for_booking(request.user, plan_id)
    return Status(201, actions.book_meals(plan, request.user, **payload.dict()))


@router.post(
    "/bookings/{booking_id}/cancel", response=BookingOut, auth=RoleSession(access.BOOK_SERVICES)
)
def cancel_booking(request, booking_id: int, payload: BookingCancelIn):
    booking = access.get_booking_for_user(request.user, booking_id)
    return actions.cancel_booking(booking, request.user, reason=payload.reason)


@router.get(
    "/services/upcoming", response=list[UpcomingOut], auth=RoleSession(access.VIEW_SERVICES)
)
def upcoming(request):
    return [
        {"day": day, "booking": booking} for day, booking in queries.upcoming_bookings(request.user)
    ]
