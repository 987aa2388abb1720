"""Who does what in ward care and the program's services, and which records they may open."""

from django.http import Http404

from celltrace.accounts.access import get_for_user, scope_to_site
from celltrace.accounts.models import Role
from celltrace.care.models import DailyRound, ServiceBooking, TherapySession
from celltrace.patients.access import patients_for_user
from celltrace.plans.models import TreatmentPlan
from celltrace.stays.models import Stay

ROUNDS = frozenset({Role.DOCTOR})
SCHEDULE_THERAPY = frozenset({Role.DOCTOR, Role.COORDINATOR})
MARK_THERAPY = frozenset({Role.NURSE, Role.DOCTOR, Role.COORDINATOR})
# The ward's care team reads rounds and sessions, as it reads the stay itself.
VIEW_CARE = frozenset({Role.NURSE, Role.DOCTOR, Role.COORDINATOR, Role.MANAGER, Role.ADMIN})
BOOK_SERVICES = frozenset({Role.COORDINATOR})
VIEW_SERVICES = frozenset({Role.COORDINATOR, Role.MANAGER, Role.ADMIN})
# The discharge letter goes to the patient (their own, in the portal) and the care team.
READ_LETTER = VIEW_CARE | {Role.PATIENT}


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


def get_discharged_stay_for_user(user, pk) -> Stay:
    """Return a discharged stay of a patient the user may open (a patient: their own), or 404."""
    stays = Stay.objects.filter(patient__in=patients_for_user(user), discharged_at__isnull=False)
    try:
        return stays.select_related(
            "patient__condition", "plan", "site", "doctor", "discharged_by"
        ).get(pk=pk)
    except (ValueError, TypeError, Stay.DoesNotExist):
        raise Http404(
            "No discharged stay of a patient you may open: the letter is written at discharge."
        ) from None
