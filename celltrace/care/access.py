"""Who does what in ward care and the program's services, and which records they may open."""

from celltrace.accounts.access import get_for_user, scope_to_site
from celltrace.accounts.models import Role
from celltrace.care.models import DailyRound, ServiceBooking, TherapySession
from celltrace.plans.models import TreatmentPlan

ROUNDS = frozenset({Role.DOCTOR})
SCHEDULE_THERAPY = frozenset({Role.DOCTOR, Role.COORDINATOR})
MARK_THERAPY = frozenset({Role.NURSE, Role.DOCTOR, Role.COORDINATOR})
# The ward's care team reads rounds and sessions, as it reads the stay itself.
VIEW_CARE = frozenset({Role.NURSE, Role.DOCTOR, Role.COORDINATOR, Role.MANAGER, Role.ADMIN})
BOOK_SERVICES = frozenset({Role.COORDINATOR})
VIEW_SERVICES = frozenset({Role.COORDINATOR, Role.MANAGER, Role.ADMIN})


def rounds_for_user(user):
    """Return the daily rounds of stays at the user's site."""
    return scope_to_site(DailyRound.objects.select_related("doctor"), user, site_field="stay__site")


def therapy_sessions_for_user(user):
    """Return the therapy sessions of stays at the user's site."""
    sessions = TherapySession.objects.select_related(
        "stay__patient", "planned_therapy__therapy", "recorded_by"
    )
    return scope_to_site(sessions, user, site_field="stay__site")


def get_therapy_session_for_user(user, pk) -> TherapySession:
    """Return one therapy session at the user's site, or 404."""
    return get_for_user(therapy_sessions_for_user(user), user, pk, site_field="stay__site")


def bookings_for_user(user):
    """Return the service bookings of plans at the user's site."""
    bookings = ServiceBooking.objects.select_related("plan__patient__site", "booked_by")
    return scope_to_site(bookings, user, site_field="plan__patient__site")


def get_booking_for_user(user, pk) -> ServiceBooking:
    """Return one service booking at the user's site, or 404."""
    return get_for_user(bookings_for_user(user), user, pk, site_field="plan__patient__site")


def get_plan_for_booking(user, pk) -> TreatmentPlan:
    """Return a plan at the user's site to book services on, or 404."""
    plans = TreatmentPlan.objects.select_related("patient__site")
    return get_for_user(plans, user, pk, site_field="patient__site")
